/**
 * Issue 12 item 7: records deleted during a walk shift the offsets of those after them; every
 * record that exists for the whole walk is still emitted exactly once, at concurrency 1 and 10,
 * for lists and searches, and records created after the walk began stay out of a list.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Customer from "../../src/Customer.js"
import * as Account from "./account.js"

const ids = (items: ReadonlyArray<{ readonly id: string }>) => items.map((c) => c.id)

// A seeded PRNG (mulberry32), so that a failing run can be replayed.
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

/** Every survivor once, nothing twice, nothing that was not there at the start, in order. */
const assertOnce = (
  emitted: ReadonlyArray<string>,
  initial: ReadonlyArray<string>,
  survivors: ReadonlyArray<string>
) => {
  assert.strictEqual(new Set(emitted).size, emitted.length, "an id emitted twice")
  const position = new Map(initial.map((id, i) => [id, i]))
  let last = -1
  for (const id of emitted) {
    const at = position.get(id)
    assert.isDefined(at, `${id} was not in the window when the walk began`)
    assert.isAbove(at!, last, `${id} out of order`)
    last = at!
  }
  const seen = new Set(emitted)
  const missing = survivors.filter((id) => !seen.has(id))
  assert.deepStrictEqual(missing, [], "records that existed for the whole walk are missing")
}

describe("deletes during a walk (issue 12 item 7)", () => {
  for (const concurrency of [1, 10]) {
    for (const [kind, walk] of [
      ["list", (concurrency: number) => Customer.stream({ concurrency })],
      ["search", (concurrency: number) => Customer.streamSearch({ concurrency })]
    ] as const) {
      it.effect(
        `10 records deleted from page 1 after it was served: no survivor vanishes (${kind}, concurrency ${concurrency})`,
        () =>
          Effect.gen(function* () {
            const account = Account.make(1000, {
              before: (self, _request, index) => {
                if (index === 1) self.remove(Account.range(0, 10))
              }
            })
            const result = yield* Effect.provide(Stream.runCollect(walk(concurrency)), account.http.client())
            assert.deepStrictEqual(ids(result), Account.range(0, 1000))
          })
      )
    }

    for (const order of ["chronological", "reverse_chronological"] as const) {
      it.live(
        `random deletes anywhere, and new records, while pages are in flight (list, ${order}, concurrency ${concurrency})`,
        () =>
          Effect.gen(function* () {
            for (const seed of [1, 2, 3]) {
              const random = prng(seed)
              const initial = Account.range(0, 2000)
              const account = Account.make(2000, {
                // Before each answer after the first: a few records deleted anywhere, a few created.
                before: (self, _request, index) => {
                  if (index === 0) return
                  const doomed = Array.from(
                    { length: Math.floor(random() * 40) },
                    () => self.records[Math.floor(random() * self.records.length)]?.id
                  ).filter((id) => id !== undefined)
                  self.remove(doomed)
                  self.add(Math.floor(random() * 5))
                },
                delay: () => Math.floor(random() * 4)
              })
              const result = yield* Effect.provide(
                Stream.runCollect(Customer.stream({ concurrency, order })),
                account.http.client()
              )
              const survivors = new Set(account.records.map((r) => r.id))
              const expected = order === "chronological" ? initial : [...initial].reverse()
              assertOnce(
                ids(result),
                expected,
                expected.filter((id) => survivors.has(id))
              )
            }
          })
      )
    }

    it.live(`random deletes anywhere while pages are in flight (search, concurrency ${concurrency})`, () =>
      Effect.gen(function* () {
        for (const seed of [4, 5, 6]) {
          const random = prng(seed)
          const initial = Account.range(0, 2000)
          const account = Account.make(2000, {
            before: (self) => {
              const doomed = Array.from(
                { length: Math.floor(random() * 40) },
                () => self.records[Math.floor(random() * self.records.length)]?.id
              ).filter((id) => id !== undefined)
              self.remove(doomed)
            },
            delay: () => Math.floor(random() * 4)
          })
          const result = yield* Effect.provide(
            Stream.runCollect(Customer.streamSearch({ concurrency })),
            account.http.client()
          )
          const survivors = new Set(account.records.map((r) => r.id))
          assertOnce(
            ids(result),
            initial,
            initial.filter((id) => survivors.has(id))
          )
        }
      })
    )

    it.effect(
      `a consumer deleting every record it is given still gets every record (list, concurrency ${concurrency})`,
      () =>
        Effect.gen(function* () {
          const account = Account.make(1000)
          const result = yield* Effect.provide(
            Stream.runCollect(
              Customer.stream({ concurrency }).pipe(Stream.tap((c) => Effect.sync(() => account.remove([c.id]))))
            ),
            account.http.client()
          )
          assert.deepStrictEqual(ids(result), Account.range(0, 1000))
          assert.strictEqual(account.records.length, 0)
        })
    )
  }

  it.effect("records created after the walk began stay out of a list", () =>
    Effect.gen(function* () {
      const account = Account.make(300, {
        before: (self, _request, index) => {
          if (index > 0) self.add(50)
        }
      })
      const result = yield* Effect.provide(
        Stream.runCollect(Customer.stream({ order: "reverse_chronological" })),
        account.http.client()
      )
      assert.deepStrictEqual(ids(result), Account.range(0, 300).reverse())
    })
  )
})
