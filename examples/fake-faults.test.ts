/**
 * A fault test, written the obvious way: inject a fault into the fake Omise, call the client,
 * check what happened. `OmiseFake.layer()` retries as the real client would (same failures, same
 * number of attempts) without waiting out the backoff, so nothing here moves the `TestClock`.
 * Run with `npm test` (vitest picks up examples/*.test.ts).
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { Customer } from "effect-omise"
import { FakeFault, OmiseFake } from "effect-omise/testing"

describe("faults in the fake Omise", () => {
  it.effect("a read that gets a 500 is retried and succeeds", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      yield* fake.injectFault(FakeFault.serverError(500))
      const page = yield* Customer.list()
      assert.strictEqual(page.total, 0)
      // The fake saw both attempts: the one it failed and the retry.
      const statuses = (yield* fake.requests).map((request) => request.status)
      assert.deepStrictEqual(statuses, [500, 200])
    }).pipe(Effect.provide(OmiseFake.layer()))
  )

  it.effect("a create that gets a 500 is not replayed: it may have taken effect", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      yield* fake.injectFault(FakeFault.serverError(500), { method: "POST", path: "/customers" })
      const error = yield* Effect.flip(Customer.create({ email: "somchai@example.com" }))
      assert.strictEqual(error._tag, "OmiseServerError")
      assert.isTrue("mayHaveTakenEffect" in error && error.mayHaveTakenEffect)
      assert.strictEqual((yield* fake.requests).length, 1)
    }).pipe(Effect.provide(OmiseFake.layer()))
  )

  it.effect("an outage longer than the retries ends in a typed error after every attempt", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      yield* fake.injectFault(FakeFault.serviceUnavailable, { times: Infinity })
      const error = yield* Effect.flip(Customer.retrieve("cust_test_5fakeid0000000000"))
      // The default policy: the first attempt and 2 retries.
      assert.deepStrictEqual(error._tag === "OmiseServerError" ? [error.status, error.attempts] : error._tag, [503, 3])
    }).pipe(Effect.provide(OmiseFake.layer()))
  )

  it.effect("a rate limit is retried too", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      yield* fake.injectFault(FakeFault.rateLimited(2))
      yield* Customer.list({ limit: 1 })
      const requests = yield* fake.requests
      assert.deepStrictEqual(
        requests.map((request) => request.status),
        [429, 200]
      )
    }).pipe(Effect.provide(OmiseFake.layer()))
  )
})
