/**
 * End to end over real loopback sockets: the client against the fake Omise server with faults
 * injected at about 20 % of requests (5xx, 429 with Retry-After, latency beyond the per-attempt
 * timeout, connections dropped after processing).
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Customer from "../src/Customer.js"
import * as OmiseClient from "../src/OmiseClient.js"
import type * as OmiseFake from "../src/testing/OmiseFake.js"
import * as FakeFault from "../src/testing/FakeFault.js"
import * as FakeServer from "../src/testing/FakeServer.js"
import * as Policy from "../src/Policy.js"

/** 20 % of matching requests get a fault: 6 % 5xx, 2 % 429, 6 % slow, 6 % dropped. */
const injectFaults = (fake: OmiseFake.Service, target: { method: string; path: string }) =>
  Effect.all(
    [
      fake.injectFaultRate(FakeFault.serverError(500), { ...target, probability: 0.03, seed: 11 }),
      fake.injectFaultRate(FakeFault.badGateway, { ...target, probability: 0.03, seed: 12 }),
      fake.injectFaultRate(FakeFault.rateLimited(1), { ...target, probability: 0.02, seed: 13 }),
      fake.injectFaultRate(FakeFault.latency("1 second"), { ...target, probability: 0.06, seed: 14 }),
      fake.injectFaultRate(FakeFault.dropAfterProcessing, { ...target, probability: 0.06, seed: 15 })
    ],
    { discard: true }
  )

const clientFor = (server: FakeServer.RunningServer) =>
  OmiseClient.layer({
    secretKey: Redacted.make("skey_test_resilience"),
    apiUrl: server.url,
    timeout: "300 millis",
    retry: Policy.retry({ times: 8, base: "10 millis", cap: "100 millis" })
  }).pipe(Layer.provide(FetchHttpClient.layer))

describe("resilience against the fake server under faults", () => {
  it.live(
    "streaming 5,000 customers yields each exactly once and no error",
    () =>
      Effect.gen(function* () {
        const server = yield* FakeServer.start({ customers: 5_000 })
        yield* injectFaults(server.fake, { method: "GET", path: "/customers" })
        const customers = yield* Effect.provide(Stream.runCollect(Customer.stream()), clientFor(server))
        const ids = customers.map((c) => c.id)
        assert.strictEqual(ids.length, 5_000)
        assert.strictEqual(new Set(ids).size, 5_000)
        const requests = yield* server.fake.requests
        const faulted = requests.filter((r) => r.fault !== undefined).length
        // The faults really happened, and were retried through.
        assert.isAtLeast(faulted, 3)
        assert.strictEqual(requests.length, 50 + faulted)
      }),
    60_000
  )

  it.live(
    "creating 200 customers never creates one twice, and every outcome is reported",
    () =>
      Effect.gen(function* () {
        const server = yield* FakeServer.start({})
        yield* injectFaults(server.fake, { method: "POST", path: "/customers" })
        const emails = Array.from({ length: 200 }, (_, i) => `buyer${i}@example.com`)
        const outcomes = yield* Effect.provide(
          Effect.forEach(emails, (email) => Effect.result(Customer.create({ email })), { concurrency: 10 }),
          clientFor(server)
        )
        // Let slow requests that the client gave up on finish on the server.
        yield* Effect.sleep("1500 millis")
        yield* server.fake.clearFaults
        const stored = yield* Effect.provide(Stream.runCollect(Customer.stream()), clientFor(server))
        const storedEmails = stored.map((c) => c.email)
        assert.strictEqual(new Set(storedEmails).size, storedEmails.length, "a customer was created twice")

        let succeeded = 0
        let uncertain = 0
        for (const [i, outcome] of outcomes.entries()) {
          if (outcome._tag === "Success") {
            succeeded++
            assert.strictEqual(outcome.success.email, emails[i])
            assert.include(storedEmails, emails[i])
          } else {
            const error = outcome.failure
            assert.oneOf(error._tag, ["OmiseServerError", "OmiseTimeoutError", "OmiseTransportError"])
            if ("mayHaveTakenEffect" in error && error.mayHaveTakenEffect) uncertain++
            else assert.notInclude(storedEmails, emails[i], "an error that denies effect, yet the customer exists")
          }
        }
        assert.isAtLeast(succeeded, 140)
        assert.isAtLeast(200 - succeeded, 10)
        // Only successes and the uncertain outcomes can have produced customers.
        assert.isAtMost(storedEmails.length, succeeded + uncertain)
        assert.isAtLeast(storedEmails.length, succeeded)
      }),
    60_000
  )
})
