/**
 * Issue 12 items 8 and 9: a server that does not advance, or answers pages that cannot be part
 * of the walk, fails the stream with a typed error after bounded work, never ends it early and
 * never loops; an item repeated two pages later is emitted once.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Customer from "../../src/Customer.js"
import * as Policy from "../../src/Policy.js"
import type { OmiseError } from "../../src/OmiseError.js"
import * as Account from "./account.js"

const ids = (items: ReadonlyArray<{ readonly id: string }>) => items.map((c) => c.id)

/** Runs `stream`, keeping what it emitted before it ended. */
const drain = <A extends { readonly id: string }, R>(stream: Stream.Stream<A, OmiseError, R>) =>
  Effect.gen(function* () {
    const seen: Array<string> = []
    const exit = yield* Effect.exit(Stream.runForEach(stream, (item) => Effect.sync(() => seen.push(item.id))))
    return { seen, error: exit._tag === "Failure" ? exit.cause : undefined, exit }
  })

const decodeError = (exit: { readonly _tag: string }, cause: unknown) => {
  assert.strictEqual(exit._tag, "Failure")
  const text = String(cause)
  assert.include(text, "OmiseDecodeError")
  assert.include(text, "inconsistent page")
  return text
}

describe("a server that does not advance (issue 12 item 8)", () => {
  for (const concurrency of [1, 10]) {
    it.effect(
      `offset ignored, the first page again and again: typed error after bounded work (concurrency ${concurrency})`,
      () =>
        Effect.gen(function* () {
          const account = Account.make(1000, {
            // Echoes the offset asked for, but serves the first records every time.
            lie: ({ body }, self) => ({
              ...body,
              data:
                body.data.length === 0
                  ? []
                  : Account.make(self.records.length)
                      .records.slice(0, 100)
                      .map((r) => ({ ...body.data[0]!, id: r.id }))
            })
          })
          const { exit, error, seen } = yield* drain(Customer.stream({ concurrency })).pipe(
            Effect.provide(account.http.client())
          )
          decodeError(exit, error)
          assert.deepStrictEqual(seen, Account.range(0, 100))
          assert.isAtMost(account.http.requests.length, 2 + 2 + concurrency)
        })
    )

    it.effect(`offset ignored and echoed as 0: typed error (concurrency ${concurrency})`, () =>
      Effect.gen(function* () {
        const account = Account.make(1000, {
          lie: ({ body, request }, self) => {
            const page = Account.make(self.records.length)
            void request
            return { ...body, offset: 0, data: page.records.slice(0, 100).map((r) => ({ ...body.data[0]!, id: r.id })) }
          }
        })
        const { exit, error, seen } = yield* drain(Customer.stream({ concurrency })).pipe(
          Effect.provide(account.http.client())
        )
        decodeError(exit, error)
        assert.deepStrictEqual(seen, Account.range(0, 100))
        assert.isAtMost(account.http.requests.length, 2 + 2 + concurrency)
      })
    )

    it.effect(`search page ignored: typed error (concurrency ${concurrency})`, () =>
      Effect.gen(function* () {
        const account = Account.make(1000, {
          lie: ({ body }) => ({ ...body, page: 1, data: body.data })
        })
        const { exit, error, seen } = yield* drain(Customer.streamSearch({ concurrency })).pipe(
          Effect.provide(account.http.client())
        )
        decodeError(exit, error)
        assert.deepStrictEqual(seen, Account.range(0, 100))
        assert.isAtMost(account.http.requests.length, 2 + 2 + concurrency)
      })
    )
  }

  it.effect("the same page again where the next was due: retried once, then a typed error", () =>
    Effect.gen(function* () {
      let served200 = 0
      const account = Account.make(1000, {
        // Offset 200 answers with the records of offset 100, every time.
        lie: ({ body, request }, self) => {
          if (request.query.offset !== "200") return body
          served200 += 1
          return { ...body, data: body.data.map((item, i) => ({ ...item, id: self.records[100 + i]!.id })) }
        }
      })
      const { exit, error, seen } = yield* drain(Customer.stream()).pipe(Effect.provide(account.http.client()))
      const text = decodeError(exit, error)
      assert.include(text, "repeats records already emitted")
      assert.deepStrictEqual(seen, Account.range(0, 200))
      assert.strictEqual(served200, 2)
    })
  )
})

describe("inconsistent pages are errors, not endings (issue 12 item 9)", () => {
  for (const concurrency of [1, 10]) {
    it.effect(
      `an empty page at offset 300 of 1,000: a typed error, not 300 items and success (concurrency ${concurrency})`,
      () =>
        Effect.gen(function* () {
          const account = Account.make(1000, {
            lie: ({ body, request }) => (request.query.offset === "300" ? { ...body, data: [] } : body)
          })
          const { exit, error, seen } = yield* drain(Customer.stream({ concurrency })).pipe(
            Effect.provide(account.http.client())
          )
          decodeError(exit, error)
          assert.deepStrictEqual(seen, Account.range(0, 300))
          assert.strictEqual(account.http.requests.filter((r) => r.query.offset === "300").length, 2)
        })
    )
  }

  it.live("the error quotes the request id of the last answer for the page and every attempt made for it", () =>
    Effect.gen(function* () {
      const account = Account.make(1000, {
        // The first request for offset 300 is answered 503 once (retried by the client), then
        // every answer for it is empty.
        status: (request, index) =>
          request.query.offset === "300" && index === account.http.requests.findIndex((r) => r.query.offset === "300")
            ? 503
            : undefined,
        lie: ({ body, request }) => (request.query.offset === "300" ? { ...body, data: [] } : body)
      })
      const exit = yield* Effect.exit(
        Stream.runDrain(Customer.stream()).pipe(
          Effect.provide(account.http.client({ retry: Policy.retry({ times: 2, base: "1 millis", jitter: false }) }))
        )
      )
      const error = Exit.isFailure(exit) ? Cause.findErrorOption(exit.cause) : Option.none()
      assert.isTrue(Option.isSome(error))
      const failure = Option.getOrThrow(error)
      assert.strictEqual(failure._tag, "OmiseDecodeError")
      const asked = account.http.requests.flatMap((r, i) => (r.query.offset === "300" ? [i] : []))
      assert.strictEqual(asked.length, 3)
      const last = asked[2]!
      assert.strictEqual(failure._tag === "OmiseDecodeError" ? failure.requestId : undefined, `req-${last + 1}`)
      // Two attempts for the first request (the 503, then the empty page), one for the second.
      assert.strictEqual(failure._tag === "OmiseDecodeError" ? failure.attempts : undefined, 3)
      assert.include(failure.message, `req-${last + 1}`)
    })
  )

  it.effect("an empty page once is asked for again, and the walk goes on", () =>
    Effect.gen(function* () {
      let lied = false
      const account = Account.make(1000, {
        lie: ({ body, request }) => {
          if (request.query.offset !== "300" || lied) return body
          lied = true
          return { ...body, data: [] }
        }
      })
      const result = yield* Effect.provide(Stream.runCollect(Customer.stream()), account.http.client())
      assert.deepStrictEqual(ids(result), Account.range(0, 1000))
    })
  )

  it.effect("a short page before total: a typed error", () =>
    Effect.gen(function* () {
      const account = Account.make(1000, {
        lie: ({ body, request }) => (request.query.offset === "500" ? { ...body, data: body.data.slice(0, 40) } : body)
      })
      const { exit, error, seen } = yield* drain(Customer.stream()).pipe(Effect.provide(account.http.client()))
      decodeError(exit, error)
      assert.deepStrictEqual(seen, Account.range(0, 500))
    })
  )

  it.effect("`total: 50` while full pages keep coming: a typed error, not 100 items and success", () =>
    Effect.gen(function* () {
      const account = Account.make(1000, { lie: ({ body, index }) => (index === 0 ? body : { ...body, total: 50 }) })
      const { exit, error, seen } = yield* drain(Customer.stream()).pipe(Effect.provide(account.http.client()))
      decodeError(exit, error)
      assert.deepStrictEqual(seen, Account.range(0, 100))
      assert.isAtMost(account.http.requests.length, 3)
    })
  )

  it.effect("a total that drops by 500 for one page, with nothing deleted: nothing is lost", () =>
    Effect.gen(function* () {
      const account = Account.make(1000, { lie: ({ body, index }) => (index === 3 ? { ...body, total: 500 } : body) })
      const result = yield* Effect.provide(Stream.runCollect(Customer.stream()), account.http.client())
      assert.deepStrictEqual(ids(result), Account.range(0, 1000))
    })
  )

  it.effect("a page whose items fall outside the pinned window: retried once, then a typed error", () =>
    Effect.gen(function* () {
      const account = Account.make(300, {
        lie: ({ body, request }) =>
          request.query.offset === "200"
            ? {
                ...body,
                data: body.data.map((item, i) => (i === 5 ? { ...item, created_at: "2030-01-01T00:00:00Z" } : item))
              }
            : body
      })
      const { exit, error, seen } = yield* drain(Customer.stream()).pipe(Effect.provide(account.http.client()))
      const text = decodeError(exit, error)
      assert.include(text, "outside the pinned window")
      assert.deepStrictEqual(seen, Account.range(0, 200))
      assert.strictEqual(account.http.requests.filter((r) => r.query.offset === "200").length, 2)
    })
  )

  it.effect("an item repeated two pages later, with a total that accounts for it, is emitted once", () =>
    Effect.gen(function* () {
      // Offset 200 answers with the last record of page one first, as if one record had been
      // inserted before it, and `total` one higher.
      const account = Account.make(1000, {
        lie: ({ body, request }, self) =>
          request.query.offset === "200"
            ? {
                ...body,
                total: self.records.length + 1,
                data: [{ ...body.data[0]!, id: Account.idOf(99) }, ...body.data.slice(0, 99)]
              }
            : request.query.offset === "299"
              ? {
                  ...body,
                  total: self.records.length + 1,
                  data: [{ ...body.data[0]!, id: Account.idOf(298) }, ...body.data.slice(0, 99)]
                }
              : body
      })
      const result = yield* Effect.provide(Stream.runCollect(Customer.stream()), account.http.client())
      const emitted = ids(result)
      assert.strictEqual(emitted.filter((id) => id === Account.idOf(99)).length, 1)
      assert.strictEqual(new Set(emitted).size, emitted.length)
    })
  )

  it.effect("an item repeated two pages later in place of a new one: emitted once, then a typed error", () =>
    Effect.gen(function* () {
      const account = Account.make(1000, {
        lie: ({ body, request }) =>
          request.query.offset === "200"
            ? { ...body, data: [{ ...body.data[0]!, id: Account.idOf(50) }, ...body.data.slice(1)] }
            : body
      })
      const { exit, error, seen } = yield* drain(Customer.stream()).pipe(Effect.provide(account.http.client()))
      decodeError(exit, error)
      assert.strictEqual(seen.filter((id) => id === Account.idOf(50)).length, 1)
      assert.deepStrictEqual(seen, Account.range(0, 200))
    })
  )
})
