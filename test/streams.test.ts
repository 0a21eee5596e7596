import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Customer from "../src/Customer.js"
import { card2019, customer2019, list, schedule2019, search } from "./fixtures/bodies.js"
import * as RecordingHttp from "./utils/RecordingHttp.js"

const idOf = (i: number) => `cust_test_${String(i).padStart(6, "0")}`
const customers = (n: number) => Array.from({ length: n }, (_, i) => customer2019({ id: idOf(i) }))

/** The page of `items` Omise answers `request` with (by offset/limit), echoing the window it used. */
const pageOf = (items: ReadonlyArray<{ id: string }>, request: RecordingHttp.Recorded, to = "2024-03-02T00:00:00Z") => {
  const offset = Number(request.query.offset ?? 0)
  const limit = Number(request.query.limit ?? 20)
  return RecordingHttp.json(
    list(items.slice(offset, offset + limit), {
      offset,
      limit,
      total: items.length,
      to: request.query.to ?? to,
      from: request.query.from ?? "1970-01-01T00:00:00Z"
    })
  )
}

/** Serves `all()` by offset/limit like Omise. */
const pagedServer = (all: () => ReadonlyArray<{ id: string }>, to?: string) =>
  RecordingHttp.makeWith((request) => pageOf(all(), request, to))

/** A reply that never comes; `interrupts.count` counts the requests interrupted while waiting. */
const hanging = (interrupts: { count: number }) =>
  Effect.onInterrupt(Effect.never, () => Effect.sync(() => (interrupts.count += 1)))

const ids = (items: ReadonlyArray<{ readonly id: string }>) => items.map((c) => c.id)

describe("Customer.stream", () => {
  it.effect("emits every customer of every page, in order, once, at page size 100", () =>
    Effect.gen(function* () {
      const all = customers(250)
      const http = pagedServer(() => all)
      const result = yield* Effect.provide(Stream.runCollect(Customer.stream()), http.client())
      assert.deepStrictEqual(
        ids(result),
        all.map((c) => c.id)
      )
      assert.deepStrictEqual(
        http.requests.map((r) => [r.query.offset, r.query.limit]),
        [
          ["0", "100"],
          ["100", "100"],
          ["200", "100"]
        ]
      )
      // The window is pinned from the first page's echo.
      assert.strictEqual(http.requests[0]!.query.to, undefined)
      assert.strictEqual(http.requests[1]!.query.to, "2024-03-02T00:00:00.000Z")
      assert.strictEqual(http.requests[2]!.query.from, "1970-01-01T00:00:00.000Z")
    })
  )

  it.effect("keeps the caller's order, window, page size and starting offset", () =>
    Effect.gen(function* () {
      const all = customers(30)
      const http = pagedServer(() => all)
      const result = yield* Effect.provide(
        Stream.runCollect(
          Customer.stream({ limit: 7, offset: 10, order: "reverse_chronological", from: "2024-01-01" })
        ),
        http.client()
      )
      assert.deepStrictEqual(
        ids(result),
        all.slice(10).map((c) => c.id)
      )
      assert.deepStrictEqual(
        http.requests.map((r) => r.query.offset),
        ["10", "17", "24"]
      )
      for (const request of http.requests) {
        assert.strictEqual(request.query.order, "reverse_chronological")
        assert.strictEqual(request.query.limit, "7")
        assert.strictEqual(request.query.from, "2024-01-01T00:00:00.000Z")
      }
    })
  )

  it.effect("stops requesting when the consumer stops", () =>
    Effect.gen(function* () {
      const http = pagedServer(() => customers(1000))
      const result = yield* Effect.provide(Stream.runCollect(Stream.take(Customer.stream(), 150)), http.client())
      assert.strictEqual(result.length, 150)
      assert.strictEqual(http.requests.length, 2)
    })
  )

  it.effect("an empty list makes one request and emits nothing", () =>
    Effect.gen(function* () {
      const http = pagedServer(() => [])
      const result = yield* Effect.provide(Stream.runCollect(Customer.stream()), http.client())
      assert.strictEqual(result.length, 0)
      assert.strictEqual(http.requests.length, 1)
    })
  )

  it.effect("drops an item repeated across a page boundary when records shift", () =>
    Effect.gen(function* () {
      const all = customers(5)
      // After the first page, a record before the offset disappears from the window view and
      // one reappears: page two starts with the last item of page one.
      const http = RecordingHttp.makeWith((request, index) => {
        const offset = Number(request.query.offset)
        const items = index === 0 ? all : [all[0]!, ...all]
        return RecordingHttp.json(list(items.slice(offset, offset + 3), { offset, limit: 3, total: items.length }))
      })
      const result = yield* Effect.provide(Stream.runCollect(Customer.stream({ limit: 3 })), http.client())
      assert.deepStrictEqual(
        ids(result),
        all.map((c) => c.id)
      )
    })
  )

  it.effect("with concurrency, fetches pages in parallel and still emits in order", () =>
    Effect.gen(function* () {
      const all = customers(1050)
      const http = pagedServer(() => all)
      const result = yield* Effect.provide(Stream.runCollect(Customer.stream({ concurrency: 4 })), http.client())
      assert.deepStrictEqual(
        ids(result),
        all.map((c) => c.id)
      )
      assert.strictEqual(http.requests.length, 11)
      assert.deepStrictEqual(
        http.requests.map((r) => Number(r.query.offset)).sort((a, b) => a - b),
        Array.from({ length: 11 }, (_, i) => i * 100)
      )
    })
  )

  // Page k after the first answers in `delay(k)` ms (real time), so that the order in which pages
  // arrive can differ from the order in which they are emitted.
  const slowPages = (all: ReadonlyArray<{ id: string }>, delay: (page: number) => number) => {
    let inFlight = 0
    const peak = { inFlight: 0 }
    const http = RecordingHttp.makeEffect((request) => {
      const offset = Number(request.query.offset ?? 0)
      const reply = pageOf(all, request)
      if (offset === 0) return Effect.succeed(reply)
      return Effect.sync(() => {
        inFlight += 1
        peak.inFlight = Math.max(peak.inFlight, inFlight)
      }).pipe(
        Effect.andThen(Effect.sleep(delay(offset / 100))),
        Effect.as(reply),
        Effect.ensuring(Effect.sync(() => (inFlight -= 1)))
      )
    })
    return { http, peak }
  }

  it.live("keeps at most `concurrency` pages in flight, and emits in order when later pages answer first", () =>
    Effect.gen(function* () {
      const all = customers(2000)
      // Page k answers after (20 - k) ms: later pages come back first.
      const { http, peak } = slowPages(all, (page) => 20 - page)
      const result = yield* Effect.provide(Stream.runCollect(Customer.stream({ concurrency: 3 })), http.client())
      assert.deepStrictEqual(
        ids(result),
        all.map((c) => c.id)
      )
      assert.strictEqual(http.requests.length, 20)
      assert.strictEqual(peak.inFlight, 3)
    })
  )

  it.live("a consumer that stops interrupts the pages still in flight and requests no more", () =>
    Effect.gen(function* () {
      const all = customers(1000)
      const interrupts = { count: 0 }
      // The second page answers; the three after it never do, until interrupted.
      const http = RecordingHttp.makeEffect((request) =>
        Number(request.query.offset) <= 100 ? Effect.succeed(pageOf(all, request)) : hanging(interrupts)
      )
      const result = yield* Effect.provide(
        Stream.runCollect(Stream.take(Customer.stream({ concurrency: 4 }), 150)),
        http.client()
      )
      assert.strictEqual(result.length, 150)
      assert.deepStrictEqual(
        http.requests.map((r) => Number(r.query.offset)),
        [0, 100, 200, 300, 400]
      )
      assert.strictEqual(interrupts.count, 3)
    })
  )

  it.live("a failing page is reported after the pages before it are emitted; those after it are interrupted", () =>
    Effect.gen(function* () {
      const all = customers(1000)
      const interrupts = { count: 0 }
      const http = RecordingHttp.makeEffect((request) => {
        const offset = Number(request.query.offset)
        const reply = pageOf(all, request)
        if (offset === 200) {
          // Fails first, while the page before it is still on its way.
          return Effect.succeed({
            status: 401,
            json: { object: "error", code: "authentication_failure", message: "no" }
          })
        }
        if (offset === 100) return Effect.as(Effect.sleep(30), reply)
        return offset === 0 ? Effect.succeed(reply) : hanging(interrupts)
      })
      const seen: Array<string> = []
      const error = yield* Effect.flip(
        Effect.provide(
          Stream.runForEach(Customer.stream({ concurrency: 4 }), (c) => Effect.sync(() => seen.push(c.id))),
          http.client()
        )
      )
      assert.strictEqual(error._tag, "OmiseAuthenticationError")
      assert.deepStrictEqual(
        seen,
        all.slice(0, 200).map((c) => c.id)
      )
      assert.strictEqual(interrupts.count, 2)
    })
  )

  for (const concurrency of [0, 11, 1.5]) {
    it.effect(`rejects concurrency ${concurrency} before any request`, () =>
      Effect.gen(function* () {
        const http = pagedServer(() => customers(3))
        const error = yield* Effect.flip(
          Effect.provide(Stream.runCollect(Customer.stream({ concurrency })), http.client())
        )
        assert.strictEqual(error._tag, "OmiseInvalidArgumentError")
        assert.strictEqual(http.requests.length, 0)
      })
    )
  }

  it.effect("rejects invalid list parameters before any request", () =>
    Effect.gen(function* () {
      const http = pagedServer(() => customers(3))
      const error = yield* Effect.flip(
        Effect.provide(Stream.runCollect(Customer.stream({ limit: 500 })), http.client())
      )
      assert.strictEqual(error._tag, "OmiseInvalidArgumentError")
      assert.strictEqual(http.requests.length, 0)
    })
  )

  it.effect("a failing page fails the stream with the typed error", () =>
    Effect.gen(function* () {
      const all = customers(150)
      const http = RecordingHttp.makeWith((request, index) =>
        index === 0
          ? RecordingHttp.json(list(all.slice(0, 100), { limit: 100, total: 150 }))
          : { status: 400, json: { object: "error", code: "bad_request", message: `offset ${request.query.offset}` } }
      )
      const error = yield* Effect.flip(Effect.provide(Stream.runCollect(Customer.stream()), http.client()))
      assert.strictEqual(error._tag, "OmiseInvalidRequestError")
    })
  )
})

describe("Customer.streamCards and streamSchedules", () => {
  it.effect("walk a customer's cards", () =>
    Effect.gen(function* () {
      const cards = Array.from({ length: 120 }, (_, i) => card2019({ id: `card_test_${i}` }))
      const http = pagedServer(() => cards)
      const result = yield* Effect.provide(Stream.runCollect(Customer.streamCards("cust_test_1")), http.client())
      assert.strictEqual(result.length, 120)
      assert.deepStrictEqual(
        http.requests.map((r) => r.path),
        ["/customers/cust_test_1/cards", "/customers/cust_test_1/cards"]
      )
    })
  )

  it.effect("walk a customer's schedules", () =>
    Effect.gen(function* () {
      const schedules = Array.from({ length: 3 }, (_, i) => schedule2019({ id: `schd_test_${i}` }))
      const http = pagedServer(() => schedules)
      const result = yield* Effect.provide(
        Stream.runCollect(Customer.streamSchedules("cust_test_1", { limit: 2 })),
        http.client()
      )
      assert.deepStrictEqual(ids(result), ["schd_test_0", "schd_test_1", "schd_test_2"])
      assert.strictEqual(http.requests[0]!.path, "/customers/cust_test_1/schedules")
    })
  )

  it.effect("reject a bad customer id before any request", () =>
    Effect.gen(function* () {
      const http = pagedServer(() => [])
      const error = yield* Effect.flip(Effect.provide(Stream.runCollect(Customer.streamCards("../x")), http.client()))
      assert.strictEqual(error._tag, "OmiseInvalidArgumentError")
      assert.strictEqual(error._tag === "OmiseInvalidArgumentError" && error.argument, "id")
      assert.strictEqual(http.requests.length, 0)
    })
  )
})

describe("Customer.streamSearch", () => {
  const server = (all: ReadonlyArray<{ id: string }>) =>
    RecordingHttp.makeWith((request) => {
      const page = Number(request.query.page ?? 1)
      const perPage = Number(request.query.per_page ?? 30)
      return RecordingHttp.json(
        search(all.slice((page - 1) * perPage, page * perPage), {
          page,
          per_page: perPage,
          total: all.length,
          total_pages: Math.ceil(all.length / perPage),
          query: request.query.query ?? ""
        })
      )
    })

  for (const concurrency of [1, 3]) {
    it.effect(`pages by page up to total_pages (concurrency ${concurrency})`, () =>
      Effect.gen(function* () {
        const all = customers(45)
        const http = server(all)
        const result = yield* Effect.provide(
          Stream.runCollect(
            Customer.streamSearch({
              query: "shop",
              filters: { created: "2024-01-01..2024-12-31" },
              per_page: 10,
              concurrency
            })
          ),
          http.client()
        )
        assert.deepStrictEqual(
          ids(result),
          all.map((c) => c.id)
        )
        assert.deepStrictEqual(http.requests.map((r) => r.query.page).sort(), ["1", "2", "3", "4", "5"])
        for (const request of http.requests) {
          assert.strictEqual(request.query.scope, "customer")
          assert.strictEqual(request.query["filters[created]"], "2024-01-01..2024-12-31")
          assert.strictEqual(request.query.per_page, "10")
        }
      })
    )
  }

  it.effect("an empty search makes one request", () =>
    Effect.gen(function* () {
      const http = server([])
      const result = yield* Effect.provide(Stream.runCollect(Customer.streamSearch()), http.client())
      assert.strictEqual(result.length, 0)
      assert.strictEqual(http.requests.length, 1)
      assert.strictEqual(http.requests[0]!.query.per_page, "100")
    })
  )
})
