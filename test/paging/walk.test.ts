/**
 * The pieces of the walk on their own: the bounded memory of emitted ids, the pure verdict on a
 * page, and the error of a page that stayed inconsistent (its request id and attempts quoted).
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Stream from "effect/Stream"
import { OmiseDecodeError } from "../../src/OmiseError.js"
import type { Answer } from "../../src/internal/execute.js"
import * as Paging from "../../src/internal/paging.js"

const items = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => ({ id: `c${from + i}` }))

describe("Recent", () => {
  it("remembers the last `capacity` ids, forgetting the oldest first", () => {
    const recent = new Paging.Recent(3)
    for (const id of ["a", "b", "c", "d", "e"]) recent.add(id)
    assert.strictEqual(recent.size, 3)
    assert.deepStrictEqual(
      ["a", "b", "c", "d", "e"].map((id) => recent.has(id)),
      [false, false, true, true, true]
    )
  })
})

describe("judge", () => {
  const pager = { size: 10, align: (offset: number) => offset, check: () => undefined }
  const view: Paging.View = { lo: 10, hi: 10, total: 100 }
  const seen = new Paging.Recent(100)
  for (const item of items(0, 10)) seen.add(item.id)

  it("accepts the next page and moves the view past it, without touching what was seen", () => {
    const verdict = Paging.judge(pager, view, seen, 10, { offset: 10, total: 100, data: items(10, 20) }, true)
    assert.deepStrictEqual(verdict, { _tag: "accept", fresh: items(10, 20), view: { lo: 20, hi: 20, total: 100 } })
    assert.strictEqual(seen.size, 10)
  })

  it("drops the emitted prefix of a page that starts before the position after deletes", () => {
    // Two records deleted: the page at 8 now starts with c8, c9 (emitted), then c12..c19.
    const data = [...items(8, 10), ...items(12, 20)]
    const verdict = Paging.judge(pager, view, seen, 8, { offset: 8, total: 98, data }, true)
    assert.deepStrictEqual(verdict, { _tag: "accept", fresh: items(12, 20), view: { lo: 18, hi: 18, total: 98 } })
  })

  it("asks again from further back when deletes may have pulled the position before the page", () => {
    const verdict = Paging.judge(pager, view, seen, 10, { offset: 10, total: 97, data: items(13, 23) }, true)
    assert.deepStrictEqual(verdict, { _tag: "again", offset: 4 })
  })

  it("finds a page that repeats an id inconsistent, and remembers nothing of it", () => {
    const data = [...items(10, 15), { id: "c12" }, ...items(15, 19)]
    const verdict = Paging.judge(pager, view, seen, 10, { offset: 10, total: 100, data }, true)
    assert.deepStrictEqual(verdict, { _tag: "inconsistent", detail: "c12 repeated among new records" })
    assert.isFalse(seen.has("c10"))
  })
})

describe("an inconsistent page's error", () => {
  const walkOver = (answer: (offset: number, asked: number) => Answer | undefined) => {
    const asked = new Map<number, number>()
    const pager: Paging.Pager<{ readonly id: string }, never> = {
      size: 10,
      concurrency: 1,
      align: (offset) => offset,
      // Offset 20 is always empty, before a total of 100.
      load: (offset) =>
        Effect.sync(() => {
          const n = (asked.get(offset) ?? 0) + 1
          asked.set(offset, n)
          return {
            offset,
            total: 100,
            data: offset === 20 ? [] : items(offset, offset + 10),
            answer: answer(offset, n)
          }
        }),
      check: () => undefined,
      requestAt: (offset) => ({ method: "GET", path: `/things?offset=${offset}` })
    }
    return Effect.flatMap(pager.load(0), (first) => Effect.exit(Stream.runCollect(Paging.walk(0, first, pager))))
  }

  it.effect("quotes the request id of the last answer and counts the attempts of every request for the page", () =>
    Effect.gen(function* () {
      const exit = yield* walkOver((offset, n) => ({
        attempts: offset === 20 && n === 1 ? 3 : 1,
        requestId: `req_${offset}_${n}`
      }))
      assert.isTrue(Exit.isFailure(exit))
      const error = Exit.isFailure(exit) ? exit.cause.reasons[0] : undefined
      const failure = error !== undefined && error._tag === "Fail" ? error.error : undefined
      assert.instanceOf(failure, OmiseDecodeError)
      const decode = failure as OmiseDecodeError
      assert.strictEqual(decode.path, "/things?offset=20")
      assert.strictEqual(decode.requestId, "req_20_2")
      // Three attempts for the first request (two retried failures), one for the second.
      assert.strictEqual(decode.attempts, 4)
      assert.include(decode.message, "req_20_2")
      assert.include(decode.message, "after 4 attempts")
    })
  )

  it.effect("without answers, counts each request for the page as one attempt", () =>
    Effect.gen(function* () {
      const exit = yield* walkOver(() => undefined)
      const error = Exit.isFailure(exit) ? exit.cause.reasons[0] : undefined
      const failure = error !== undefined && error._tag === "Fail" ? (error.error as OmiseDecodeError) : undefined
      assert.strictEqual(failure?._tag, "OmiseDecodeError")
      assert.strictEqual(failure?.attempts, 2)
      assert.isUndefined(failure?.requestId)
    })
  )
})
