/**
 * A backoff test: the waits between attempts, on the `TestClock`. `retryWaits: "clock"` asks the
 * fake's layer for the real waits; the call runs in a fiber of its own while the test moves the
 * clock and watches the attempts arrive.
 * Run with `npm test` (vitest picks up examples/*.test.ts).
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/testing/TestClock"
import { Customer, Policy } from "effect-omise"
import { FakeFault, OmiseFake } from "effect-omise/testing"

// Without jitter the waits are exact: 1 s, then 2 s.
const layer = OmiseFake.layer({
  retryWaits: "clock",
  client: { retry: Policy.retry({ times: 2, base: "1 second", jitter: false }) }
})

describe("backoff on the TestClock", () => {
  it.effect("waits 1 s, then 2 s, between attempts", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      yield* fake.injectFault(FakeFault.serverError(500), { times: 2 })
      const attempts = Effect.map(fake.requests, (requests) => requests.length)

      const call = yield* Effect.forkChild(Customer.list())
      yield* TestClock.adjust("999 millis")
      assert.strictEqual(yield* attempts, 1)
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* attempts, 2)
      yield* TestClock.adjust("1999 millis")
      assert.strictEqual(yield* attempts, 2)
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(yield* attempts, 3)

      const page = yield* Fiber.join(call)
      assert.strictEqual(page.object, "list")
    }).pipe(Effect.provide(layer))
  )

  it.effect("a 429 waits for its Retry-After", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      yield* fake.injectFault(FakeFault.rateLimited(10))
      const call = yield* Effect.forkChild(Customer.list())
      yield* TestClock.adjust("9 seconds")
      assert.strictEqual((yield* fake.requests).length, 1)
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(call)
      assert.strictEqual((yield* fake.requests).length, 2)
    }).pipe(Effect.provide(layer))
  )
})
