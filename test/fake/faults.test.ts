import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as TestClock from "effect/testing/TestClock"
import * as FakeFault from "../../src/testing/FakeFault.js"
import * as OmiseFake from "../../src/testing/OmiseFake.js"
import { call, get, ids } from "./helpers.js"

/** The fiber's exit if it has ended (effect 4 has no `Fiber.poll`). */
const poll = <A, E>(fiber: Fiber.Fiber<A, E>) => Effect.sync(() => Option.fromUndefinedOr(fiber.pollUnsafe()))

describe("faults", () => {
  it.effect("server errors hit the next N requests without processing them", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      yield* fake.injectFault(FakeFault.serviceUnavailable, { times: 2 })
      const first = yield* call(fake, "POST", "/customers", { json: { email: "a@example.com" } })
      assert.strictEqual(first.status, 503)
      assert.strictEqual(get(first.json, "object"), "error")
      assert.strictEqual(get(first.json, "code"), "service_unavailable")
      assert.isString(first.headers["x-request-id"])
      assert.strictEqual((yield* call(fake, "GET", "/customers")).status, 503)
      assert.strictEqual((yield* call(fake, "GET", "/customers")).status, 200)
      assert.strictEqual(yield* fake.customerCount, 0)
      yield* fake.injectFault(FakeFault.badGateway)
      const html = yield* call(fake, "GET", "/customers")
      assert.strictEqual(html.status, 502)
      assert.strictEqual(html.headers["content-type"], "text/html")
      assert.include(html.text, "502 Bad Gateway")
      yield* fake.injectFault(FakeFault.serverError(600))
      assert.strictEqual((yield* call(fake, "GET", "/customers")).status, 500)
    })
  )

  it.effect("faults can target a method and a path pattern", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      const customer = yield* fake.createCustomer()
      yield* fake.injectFault(FakeFault.serverError(500), { method: "get", path: "/customers/:id", times: Infinity })
      assert.strictEqual((yield* call(fake, "GET", "/customers")).status, 200)
      assert.strictEqual((yield* call(fake, "PATCH", `/customers/${customer.id}`, { json: {} })).status, 200)
      assert.strictEqual((yield* call(fake, "GET", `/customers/${customer.id}/`)).status, 500)
      assert.strictEqual((yield* call(fake, "GET", `/customers/${customer.id}`)).status, 500)
      assert.strictEqual((yield* call(fake, "GET", `/customers/${customer.id}/cards`)).status, 200)
      yield* fake.clearFaults
      assert.strictEqual((yield* call(fake, "GET", `/customers/${customer.id}`)).status, 200)
      yield* fake.injectFault(FakeFault.serverError(500), { path: /cards/ })
      assert.strictEqual((yield* call(fake, "GET", `/customers/${customer.id}`)).status, 200)
      assert.strictEqual((yield* call(fake, "GET", `/customers/${customer.id}/cards`)).status, 500)
      yield* fake.injectFault(FakeFault.serverError(500), { path: "/customers/*" })
      assert.strictEqual((yield* call(fake, "GET", "/customers")).status, 200)
      assert.strictEqual((yield* call(fake, "GET", `/customers/${customer.id}/cards`)).status, 500)
    })
  )

  it.effect("429 carries Retry-After in seconds", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      yield* fake.injectFault(FakeFault.rateLimited(7))
      const reply = yield* call(fake, "GET", "/customers")
      assert.strictEqual(reply.status, 429)
      assert.strictEqual(reply.headers["retry-after"], "7")
      assert.strictEqual(get(reply.json, "object"), "error")
    })
  )

  it.effect("latency is slept on the Clock, so TestClock drives it", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      yield* fake.injectFault(FakeFault.latency("5 seconds"))
      const fiber = yield* Effect.forkChild(call(fake, "GET", "/customers"))
      yield* TestClock.adjust("4 seconds")
      assert.isTrue(Option.isNone(yield* poll(fiber)))
      yield* TestClock.adjust("1 second")
      const reply = yield* Fiber.join(fiber)
      assert.strictEqual(reply.status, 200)
      assert.strictEqual(get(reply.json, "to"), "1970-01-01T00:00:05Z")
    })
  )

  it.effect("the latency option delays every response", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make({ latency: "250 millis" })
      const fiber = yield* Effect.forkChild(call(fake, "GET", "/customers"))
      yield* TestClock.adjust("249 millis")
      assert.isTrue(Option.isNone(yield* poll(fiber)))
      yield* TestClock.adjust("1 milli")
      assert.strictEqual((yield* Fiber.join(fiber)).status, 200)
    })
  )

  it.effect("a response that never comes", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      yield* fake.injectFault(FakeFault.noResponse, { method: "POST" })
      const fiber = yield* Effect.forkChild(call(fake, "POST", "/customers", { json: { email: "a@example.com" } }))
      yield* TestClock.adjust("1 hour")
      assert.isTrue(Option.isNone(yield* poll(fiber)))
      yield* Fiber.interrupt(fiber)
      assert.strictEqual(yield* fake.customerCount, 0)
      const [request] = yield* fake.requests
      assert.strictEqual(request?.fault, "NoResponse")
      assert.strictEqual(request?.status, undefined)
    })
  )

  it.effect("dropped after processing: the customer exists but the caller sees a dropped connection", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      yield* fake.injectFault(FakeFault.dropAfterProcessing, { method: "POST", path: "/customers" })
      const result = yield* Effect.result(call(fake, "POST", "/customers", { json: { email: "dropped@example.com" } }))
      assert.isTrue(Result.isFailure(result))
      if (Result.isFailure(result)) {
        assert.strictEqual(result.failure._tag, "FakeConnectionDropped")
        assert.strictEqual(result.failure.response.status, 200)
      }
      assert.strictEqual(yield* fake.customerCount, 1)
      const listed = yield* call(fake, "GET", "/customers")
      assert.strictEqual(get(listed.json, "data", 0, "email"), "dropped@example.com")
    })
  )

  it.effect("rate-based faults are deterministic for a seed", () =>
    Effect.gen(function* () {
      const run = (seed: number) =>
        Effect.gen(function* () {
          const fake = yield* OmiseFake.make()
          yield* fake.injectFaultRate(FakeFault.serverError(500), { probability: 0.3, seed })
          const statuses: Array<number> = []
          for (let i = 0; i < 200; i++) statuses.push((yield* call(fake, "GET", "/customers")).status)
          return statuses
        })
      const a = yield* run(42)
      const b = yield* run(42)
      const c = yield* run(7)
      assert.deepStrictEqual(a, b)
      assert.notDeepEqual(a, c)
      const failures = a.filter((status) => status === 500).length
      assert.isAbove(failures, 35)
      assert.isBelow(failures, 85)
    })
  )
})

describe("the request log and seeding", () => {
  it.effect("records method, path, query, headers and parsed params", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      yield* call(fake, "GET", "/customers/", { query: "limit=5&order=", version: "2019-05-29" })
      yield* call(fake, "POST", "/customers", { form: "email=a%40example.com&metadata[plan]=pro&description=" })
      const [list, create] = yield* fake.requests
      assert.strictEqual(list?.method, "GET")
      assert.strictEqual(list?.path, "/customers")
      assert.strictEqual(list?.query, "limit=5&order=")
      assert.deepStrictEqual(list?.params, { limit: "5" })
      assert.strictEqual(list?.headers["omise-version"], "2019-05-29")
      assert.strictEqual(list?.status, 200)
      assert.deepStrictEqual(create?.params, { email: "a@example.com", metadata: { plan: "pro" } })
      yield* fake.clearRequests
      assert.lengthOf(yield* fake.requests, 0)
    })
  )

  it.effect("keeps only the newest requests past the log limit", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make({ requestLogLimit: 3 })
      for (let i = 0; i < 5; i++) yield* call(fake, "GET", "/customers", { query: `offset=${i}` })
      assert.deepStrictEqual(
        (yield* fake.requests).map((request) => request.query),
        ["offset=2", "offset=3", "offset=4"]
      )
      // Past the point where the log is trimmed (twice the limit), still the newest three.
      for (let i = 5; i < 8; i++) yield* call(fake, "GET", "/customers", { query: `offset=${i}` })
      assert.deepStrictEqual(
        (yield* fake.requests).map((request) => request.query),
        ["offset=5", "offset=6", "offset=7"]
      )
    })
  )

  it.effect("each fake has its own state; seeding is reproducible", () =>
    Effect.gen(function* () {
      const a = yield* OmiseFake.make({ customers: 3 })
      const b = yield* OmiseFake.make({ customers: 3 })
      const c = yield* OmiseFake.make()
      const listA = yield* call(a, "GET", "/customers")
      const listB = yield* call(b, "GET", "/customers")
      assert.deepStrictEqual(ids(listA.json), ids(listB.json))
      assert.strictEqual(get(listA.json, "total"), 3)
      assert.strictEqual(get(listA.json, "data", 0, "email"), "customer1@example.com")
      assert.strictEqual(get(listA.json, "data", 0, "cards", "total"), 1)
      assert.strictEqual(get((yield* call(c, "GET", "/customers")).json, "total"), 0)
    })
  )

  it.effect("seeds many customers quickly and pages them with a correct total", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      yield* fake.seedCustomers(20_000)
      assert.strictEqual(yield* fake.customerCount, 20_000)
      const last = yield* call(fake, "GET", "/customers", { query: "offset=19990&limit=100" })
      assert.lengthOf(ids(last.json), 10)
      assert.strictEqual(get(last.json, "total"), 20_000)
      assert.strictEqual(get(last.json, "data", 9, "email"), "customer20000@example.com")
      const reversed = yield* call(fake, "GET", "/customers", { query: "limit=1&order=reverse_chronological" })
      assert.strictEqual(get(reversed.json, "data", 0, "email"), "customer20000@example.com")
    })
  )

  it.effect("createCustomer rejects invalid cards", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      const error = yield* Effect.flip(fake.createCustomer({ cards: [{ number: "4111" }] }))
      assert.strictEqual(error.code, "invalid_card")
      assert.strictEqual(yield* fake.customerCount, 0)
    })
  )
})
