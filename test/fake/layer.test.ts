import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/testing/TestClock"
import * as Customer from "../../src/Customer.js"
import * as OmiseClient from "../../src/OmiseClient.js"
import * as Policy from "../../src/Policy.js"
import { FakeFault, FakeServer, OmiseFake } from "../../src/testing/index.js"
import { get, publicKey } from "./helpers.js"
import * as Scenario from "./scenario.js"

const mintInMemory = (number: string) => Effect.flatMap(OmiseFake.OmiseFake, (fake) => fake.createToken({ number }))

describe("OmiseFake.layer (in memory)", () => {
  it.effect(
    "retries without waiting: same attempts and decisions as the client's policy, the TestClock never moves",
    () =>
      Effect.gen(function* () {
        const fake = yield* OmiseFake.OmiseFake
        const start = yield* Clock.currentTimeMillis
        // A read: retried twice (the default policy), at once.
        yield* fake.injectFault(FakeFault.serverError(500), { times: 2 })
        assert.strictEqual((yield* Customer.list()).total, 0)
        // A rate limit: retried at once, whatever its Retry-After up to the client's minute.
        yield* fake.injectFault(FakeFault.rateLimited(30))
        yield* Customer.list()
        // Retry-After beyond a minute: the client does not retry, as against Omise.
        yield* fake.injectFault(FakeFault.rateLimited(120))
        const limited = yield* Effect.flip(Customer.list())
        assert.strictEqual(limited._tag, "OmiseRateLimitError")
        // A create that got a 500: never replayed.
        yield* fake.injectFault(FakeFault.serverError(500), { method: "POST" })
        const created = yield* Effect.flip(Customer.create({ email: "a@example.com" }))
        assert.strictEqual(created._tag, "OmiseServerError")
        // More failures than retries: the last one is the answer, after three attempts.
        yield* fake.injectFault(FakeFault.serviceUnavailable, { times: 3 })
        const exhausted = yield* Effect.flip(Customer.list())
        assert.deepStrictEqual(exhausted._tag === "OmiseServerError" ? exhausted.attempts : exhausted._tag, 3)
        assert.deepStrictEqual(
          (yield* fake.requests).map((request) => request.status),
          [500, 500, 200, 429, 200, 429, 500, 503, 503, 503]
        )
        assert.strictEqual(yield* Clock.currentTimeMillis, start)
      }).pipe(Effect.provide(OmiseFake.layer())),
    10_000
  )

  it.effect(
    "a Policy.withRetry override keeps its count and skips its waits too",
    () =>
      Effect.gen(function* () {
        const fake = yield* OmiseFake.OmiseFake
        yield* fake.injectFault(FakeFault.badGateway, { times: 5 })
        yield* Customer.list().pipe(Policy.withRetry(Policy.retry({ times: 5, base: "1 hour" })))
        assert.strictEqual((yield* fake.requests).length, 6)
      }).pipe(Effect.provide(OmiseFake.layer())),
    10_000
  )

  it.effect(
    "a stream whose pages fail now and then still emits every customer, without waiting",
    () =>
      Effect.gen(function* () {
        const fake = yield* OmiseFake.OmiseFake
        yield* fake.seedCustomers(250)
        yield* fake.injectFault(FakeFault.serverError(502), { method: "GET", path: "/customers", times: 2 })
        const start = yield* Clock.currentTimeMillis
        const emails = yield* Stream.runCollect(Stream.map(Customer.stream({ limit: 100 }), (c) => c.email))
        assert.strictEqual(new Set(emails).size, 250)
        assert.strictEqual(yield* Clock.currentTimeMillis, start)
      }).pipe(Effect.provide(OmiseFake.layer())),
    10_000
  )

  it.effect("the request log never holds the key: authorization is recorded redacted", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      yield* Customer.create({ email: "a@example.com", card: yield* fake.createToken() })
      yield* Effect.flip(Customer.retrieve("cust_test_5missing000000000"))
      const requests = yield* fake.requests
      assert.strictEqual(requests.length, 2)
      for (const request of requests) assert.strictEqual(request.headers["authorization"], "Basic <redacted>")
      const logged = JSON.stringify(requests)
      assert.notInclude(logged, "skey_test_5secret0000000000")
      assert.notInclude(logged, Buffer.from("skey_test_5secret0000000000:").toString("base64"))
    }).pipe(Effect.provide(OmiseFake.layer({ secretKey: "skey_test_5secret0000000000" })))
  )

  it.effect("runs the whole Customer scenario through the real client", () =>
    Effect.gen(function* () {
      const result = yield* Scenario.run(mintInMemory)
      assert.deepStrictEqual(result.steps, Scenario.stepNames)
      assert.deepStrictEqual(result.summary[1], [
        "customers.create with card",
        ["somchai@example.com", "Somchai", { plan: "pro" }, 1, "Visa", true]
      ])
      assert.deepStrictEqual(result.summary.at(-1), ["customers.retrieve after destroy", "OmiseNotFoundError"])
      const fake = yield* OmiseFake.OmiseFake
      const requests = yield* fake.requests
      assert.isTrue(requests.every((request) => request.headers["omise-version"] === "2019-05-29"))
      assert.isTrue(requests.every((request) => request.headers["authorization"]?.startsWith("Basic ") === true))
    }).pipe(Effect.provide(OmiseFake.layer()))
  )

  it.live(
    "gives the same results in memory and over HTTP with FetchHttpClient",
    () =>
      Effect.gen(function* () {
        const inMemory = yield* Scenario.run(mintInMemory).pipe(Effect.provide(OmiseFake.layer()))
        const overHttp = yield* Effect.scoped(
          Effect.gen(function* () {
            const server = yield* FakeServer.start()
            const mint = (number: string) =>
              Effect.tryPromise(async () => {
                const response = await fetch(`${server.url}/tokens`, {
                  method: "POST",
                  headers: { authorization: `Basic ${btoa(`${publicKey}:`)}`, "content-type": "application/json" },
                  body: JSON.stringify({
                    card: {
                      number,
                      name: "Somchai Prasert",
                      expiration_month: 12,
                      expiration_year: 2099,
                      security_code: "123"
                    }
                  })
                })
                return String(get(await response.json(), "id"))
              })
            return yield* Scenario.run(mint).pipe(
              Effect.provide(
                OmiseClient.layer({ secretKey: Redacted.make("skey_test_http"), apiUrl: server.url }).pipe(
                  Layer.provide(FetchHttpClient.layer)
                )
              )
            )
          })
        )
        assert.deepStrictEqual(overHttp.steps, Scenario.stepNames)
        assert.deepStrictEqual(overHttp.steps, inMemory.steps)
        assert.deepStrictEqual(overHttp.summary, inMemory.summary)
      }),
    20_000
  )

  it.effect(
    "a write dropped after processing: the client reports a transport error that may have taken effect, and does not replay it",
    () =>
      Effect.gen(function* () {
        const fake = yield* OmiseFake.OmiseFake
        yield* fake.injectFault(FakeFault.dropAfterProcessing, { method: "POST", path: "/customers" })
        const error = yield* Effect.flip(Customer.create({ email: "twice@example.com" }))
        assert.strictEqual(error._tag, "OmiseTransportError")
        if (error._tag === "OmiseTransportError") assert.isTrue(error.mayHaveTakenEffect)
        assert.strictEqual(yield* fake.customerCount, 1)
        assert.lengthOf(
          (yield* fake.requests).filter((request) => request.method === "POST"),
          1
        )
      }).pipe(Effect.provide(OmiseFake.layer()))
  )

  it.effect("a 503 on a read is retried on the TestClock and then succeeds", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      const customer = yield* fake.createCustomer({ email: "r@example.com" })
      yield* fake.injectFault(FakeFault.serviceUnavailable, { times: 2 })
      const fiber = yield* Effect.forkChild(Customer.retrieve(customer.id))
      yield* TestClock.adjust("10 seconds")
      const retrieved = yield* Fiber.join(fiber)
      assert.strictEqual(retrieved.email, "r@example.com")
      assert.deepStrictEqual(
        (yield* fake.requests).map((request) => request.status),
        [503, 503, 200]
      )
    }).pipe(Effect.provide(OmiseFake.layer()))
  )

  it.effect("429 surfaces as OmiseRateLimitError with Retry-After when retries are off", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      yield* fake.injectFault(FakeFault.rateLimited(4))
      const error = yield* Effect.flip(Customer.list())
      assert.strictEqual(error._tag, "OmiseRateLimitError")
      if (error._tag === "OmiseRateLimitError") {
        assert.strictEqual(error.retryAfterMillis, 4000)
        assert.strictEqual(error.status, 429)
        assert.isString(error.requestId)
      }
    }).pipe(Effect.provide(OmiseFake.layer({ client: { retry: Policy.noRetry } })))
  )

  it.effect("a response that never comes ends in OmiseTimeoutError on the TestClock", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      yield* fake.injectFault(FakeFault.noResponse)
      const fiber = yield* Effect.forkChild(Effect.flip(Customer.list()))
      yield* TestClock.adjust("2 seconds")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "OmiseTimeoutError")
    }).pipe(Effect.provide(OmiseFake.layer({ client: { retry: Policy.noRetry, timeout: "1 second" } })))
  )

  it.effect("errors carry the fake's code and X-Request-Id", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      const token = yield* fake.createToken()
      yield* Customer.create({ card: token })
      const used = yield* Effect.flip(Customer.create({ card: token }))
      assert.strictEqual(used._tag, "OmiseInvalidRequestError")
      if (used._tag === "OmiseInvalidRequestError") {
        assert.strictEqual(used.code, "used_token")
        assert.strictEqual(used.requestId, (yield* fake.requests).at(-1)?.headers["x-request-id"] ?? used.requestId)
      }
      const missing = yield* Effect.flip(Customer.retrieve("cust_test_missing00000000000"))
      assert.strictEqual(missing._tag, "OmiseNotFoundError")
    }).pipe(Effect.provide(OmiseFake.layer()))
  )

  it.effect("speaks 2017-11-02 to a client pinned to it", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      const token = yield* fake.createToken()
      const customer = yield* Customer.create({ email: "legacy@example.com", card: token })
      assert.strictEqual(customer.cards.order, null)
      assert.strictEqual(customer.cards.total, 1)
      const deleted = yield* Customer.destroy(customer.id)
      assert.strictEqual(deleted.deleted, true)
      assert.isTrue((yield* fake.requests).every((request) => request.headers["omise-version"] === "2017-11-02"))
    }).pipe(Effect.provide(OmiseFake.layer({ client: { apiVersion: "2017-11-02" } })))
  )

  it.effect(
    "streams 20,000 seeded customers at page size 100, in order, once",
    () =>
      Effect.gen(function* () {
        const fake = yield* OmiseFake.OmiseFake
        yield* fake.seedCustomers(20_000)
        const emails = yield* Stream.runCollect(
          Stream.map(Customer.stream({ limit: 100 }), (customer) => customer.email)
        )
        assert.strictEqual(emails.length, 20_000)
        assert.strictEqual(emails[0], "customer1@example.com")
        assert.strictEqual(emails[19_999], "customer20000@example.com")
        assert.strictEqual((yield* fake.requests).length, 200)
      }).pipe(Effect.provide(OmiseFake.layer())),
    30_000
  )

  it.effect("each layer build has its own state", () =>
    Effect.gen(function* () {
      const first = yield* Customer.list().pipe(Effect.provide(OmiseFake.layer({ customers: 2 })))
      const second = yield* Customer.list().pipe(Effect.provide(OmiseFake.layer()))
      assert.strictEqual(first.total, 2)
      assert.strictEqual(second.total, 0)
    })
  )

  // Effect 4 shares one layer value across nested provides; two calls of `layer` are two fakes,
  // and the inner client talks to the inner fake.
  it.effect("a layer provided inside another is a separate fake, reached by its own client", () =>
    Effect.gen(function* () {
      const outer = yield* OmiseFake.OmiseFake
      const inner = yield* Effect.gen(function* () {
        const listed = yield* Customer.list()
        const fake = yield* OmiseFake.OmiseFake
        return { total: listed.total, requests: (yield* fake.requests).length }
      }).pipe(Effect.provide(OmiseFake.layer({ customers: 1 })))
      assert.deepStrictEqual(inner, { total: 1, requests: 1 })
      assert.strictEqual((yield* Customer.list()).total, 3)
      assert.strictEqual((yield* outer.requests).length, 1)
    }).pipe(Effect.provide(OmiseFake.layer({ customers: 3 })))
  )

  it.effect("layerHttpClient lets users build their own client; pinned keys must match", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      yield* fake.createCustomer({ email: "own@example.com" })
      const ok = yield* Customer.list().pipe(
        Effect.provide(OmiseClient.layer({ secretKey: Redacted.make("skey_test_mine") }))
      )
      assert.strictEqual(ok.data[0]?.email, "own@example.com")
      const denied = yield* Effect.flip(
        Customer.list().pipe(
          Effect.provide(OmiseClient.layer({ secretKey: Redacted.make("skey_test_other"), retry: Policy.noRetry }))
        )
      )
      assert.strictEqual(denied._tag, "OmiseAuthenticationError")
      assert.isTrue(Option.isSome(yield* fake.getCustomer(ok.data[0]!.id)))
    }).pipe(Effect.provide(OmiseFake.layerHttpClient({ secretKey: "skey_test_mine" })))
  )
})
