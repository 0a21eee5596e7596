/**
 * A retry test: how many attempts a call makes under a policy, counted by the fake Omise. The
 * policy is the application's (`Policy.withRetry` around the code under test, or the client's
 * `retry` option); the fake's layer only skips the waits between attempts.
 * Run with `npm test` (vitest picks up examples/*.test.ts).
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { Customer, Policy } from "effect-omise"
import { FakeFault, OmiseFake } from "effect-omise/testing"

// The code under test: a lookup that tries harder than the client's default.
const findCustomer = (id: string) => Customer.retrieve(id).pipe(Policy.withRetry(Policy.retry({ times: 4 })))

describe("retries, counted by the fake", () => {
  it.effect("four failures in a row: the fifth attempt succeeds", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      const customer = yield* fake.createCustomer({ email: "somchai@example.com" })
      yield* fake.injectFault(FakeFault.badGateway, { method: "GET", path: "/customers/:id", times: 4 })
      const found = yield* findCustomer(customer.id)
      assert.strictEqual(found.email, "somchai@example.com")
      const attempts = (yield* fake.requests).filter((request) => request.method === "GET")
      assert.deepStrictEqual(
        attempts.map((request) => [request.status, request.fault]),
        [
          [502, "ServerError"],
          [502, "ServerError"],
          [502, "ServerError"],
          [502, "ServerError"],
          [200, undefined]
        ]
      )
    }).pipe(Effect.provide(OmiseFake.layer()))
  )

  it.effect("with retries off, the first failure is the answer", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      yield* fake.injectFault(FakeFault.serverError(503))
      const error = yield* Effect.flip(Customer.list())
      assert.strictEqual(error._tag, "OmiseServerError")
      assert.strictEqual((yield* fake.requests).length, 1)
    }).pipe(Effect.provide(OmiseFake.layer({ client: { retry: Policy.noRetry } })))
  )
})
