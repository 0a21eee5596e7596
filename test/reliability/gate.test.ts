/**
 * Issue 12 item 10: one gate per client layer. Requests in flight are bounded
 * (`maxConcurrentRequests`, default 10) across every fiber and stream that uses the layer, and a
 * 429's `Retry-After` holds back every request of the layer, not only the call that got it.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import { TestClock } from "effect/testing"
import * as Customer from "../../src/Customer.js"
import * as OmiseClient from "../../src/OmiseClient.js"
import * as Policy from "../../src/Policy.js"
import { CUSTOMER_ID, customer2019, errorBody, list } from "../fixtures/bodies.js"
import * as RecordingHttp from "../utils/RecordingHttp.js"
import { settle } from "../utils/settle.js"

const idOf = (i: number) => `cust_test_${String(i).padStart(6, "0")}`
const all = Array.from({ length: 1000 }, (_, i) => customer2019({ id: idOf(i) }))

/** Answers like Omise after a short real delay, counting the requests in flight. */
const measured = () => {
  const flight = { now: 0, max: 0 }
  const http = RecordingHttp.makeEffect((request) =>
    Effect.acquireUseRelease(
      Effect.sync(() => {
        flight.now += 1
        flight.max = Math.max(flight.max, flight.now)
      }),
      () =>
        Effect.as(
          Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 3))),
          request.path === "/customers"
            ? RecordingHttp.json(
                list(all.slice(Number(request.query.offset ?? 0), Number(request.query.offset ?? 0) + 20), {
                  offset: Number(request.query.offset ?? 0),
                  limit: 20,
                  total: all.length
                })
              )
            : RecordingHttp.json(customer2019())
        ),
      () => Effect.sync(() => (flight.now -= 1))
    )
  )
  return { flight, http }
}

const load = Effect.all(
  [
    Stream.runCount(Customer.stream({ limit: 20, concurrency: 8 })),
    Effect.forEach(
      Array.from({ length: 20 }, () => CUSTOMER_ID),
      (id) => Customer.retrieve(id),
      { concurrency: "unbounded" }
    )
  ],
  { concurrency: "unbounded" }
)

describe("one gate per client layer", () => {
  it.live("a stream at concurrency 8 plus 20 concurrent retrieves never have more than 10 in flight", () =>
    Effect.gen(function* () {
      const { flight, http } = measured()
      const [count, retrieved] = yield* Effect.provide(load, http.client())
      assert.strictEqual(count, all.length)
      assert.strictEqual(retrieved.length, 20)
      assert.isAtMost(flight.max, 10)
      // The gate bounds, it does not serialise: the limit is reached.
      assert.strictEqual(flight.max, 10)
    })
  )

  it.live("maxConcurrentRequests sets the bound, shared by two streams and the retrieves", () =>
    Effect.gen(function* () {
      const { flight, http } = measured()
      yield* Effect.provide(
        Effect.all([load, Stream.runDrain(Customer.stream({ limit: 20, concurrency: 8 }))], {
          concurrency: "unbounded"
        }),
        http.client({ maxConcurrentRequests: 3 })
      )
      assert.strictEqual(flight.max, 3)
    })
  )

  it.live("each layer built is its own gate: two clients (two accounts) are bounded separately", () =>
    Effect.gen(function* () {
      const { flight, http } = measured()
      const one = http.client({ maxConcurrentRequests: 2 })
      const two = http.client({ maxConcurrentRequests: 2 })
      const twenty = Effect.forEach(
        Array.from({ length: 20 }, () => CUSTOMER_ID),
        Customer.retrieve,
        {
          concurrency: "unbounded"
        }
      )
      yield* Effect.all([Effect.provide(twenty, one), Effect.provide(twenty, two)], { concurrency: "unbounded" })
      assert.strictEqual(flight.max, 4)
    })
  )

  it.effect("a 429 with Retry-After holds back every request of the layer, not only the call that got it", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(
        RecordingHttp.json(errorBody("rate_limit_exceeded", "slow down"), 429, { "retry-after": "30" }),
        RecordingHttp.json(customer2019())
      )
      const client = yield* Layer.build(http.client({ retry: Policy.retry({ times: 2, jitter: false }) }))
      const first = yield* Effect.forkChild(Effect.provide(Customer.retrieve(CUSTOMER_ID), client))
      yield* settle
      assert.strictEqual(http.requests.length, 1)
      // Another fiber, another operation: it waits for the pause too.
      const second = yield* Effect.forkChild(Effect.provide(Customer.list(), client))
      yield* settle
      yield* TestClock.adjust("29 seconds")
      yield* settle
      assert.strictEqual(http.requests.length, 1)
      yield* TestClock.adjust("1 second")
      yield* settle
      yield* Fiber.join(first)
      yield* Fiber.join(second).pipe(Effect.ignore)
      assert.strictEqual(http.requests.length, 3)
    }).pipe(Effect.scoped)
  )

  it.effect("a pause is capped at one minute, and a call whose own Retry-After is longer fails at once", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(
        RecordingHttp.json(errorBody("rate_limit_exceeded", "slow down"), 429, { "retry-after": "3600" }),
        RecordingHttp.json(customer2019())
      )
      const client = yield* Layer.build(http.client({ retry: Policy.retry({ times: 2, jitter: false }) }))
      const error = yield* Effect.flip(Effect.provide(Customer.retrieve(CUSTOMER_ID), client))
      assert.strictEqual(error._tag, "OmiseRateLimitError")
      const next = yield* Effect.forkChild(Effect.provide(Customer.retrieve(CUSTOMER_ID), client))
      yield* settle
      yield* TestClock.adjust("59 seconds")
      yield* settle
      assert.strictEqual(http.requests.length, 1)
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(next)
      assert.strictEqual(http.requests.length, 2)
    }).pipe(Effect.scoped)
  )

  it.effect("a write still waiting for the gate when its deadline passes was not sent", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.makeEffect(() => Effect.never)
      const client = yield* Layer.build(http.client({ maxConcurrentRequests: 1 }))
      // The only permit is held by a request that never ends.
      yield* Effect.forkChild(Effect.provide(Customer.retrieve(CUSTOMER_ID), client))
      yield* settle
      const create = yield* Effect.forkChild(
        Effect.provide(Customer.create({ email: "a@example.com" }).pipe(Policy.withDeadline("5 seconds")), client)
      )
      yield* settle
      yield* TestClock.adjust("5 seconds")
      const error = yield* Effect.flip(Fiber.join(create))
      assert.strictEqual(error._tag, "OmiseTimeoutError")
      assert.isTrue(error._tag === "OmiseTimeoutError" && !error.mayHaveTakenEffect && error.kind === "deadline")
      assert.strictEqual(http.requests.length, 1)
    }).pipe(Effect.scoped)
  )

  it.effect("maxConcurrentRequests that is not a positive integer is a ConfigError", () =>
    Effect.gen(function* () {
      for (const maxConcurrentRequests of [0, -1, 2.5, Number.NaN]) {
        const error = yield* Effect.flip(
          Effect.provide(OmiseClient.OmiseClient, RecordingHttp.make().client({ maxConcurrentRequests }))
        )
        assert.include(String(error), "maxConcurrentRequests")
      }
    })
  )
})
