import { assert, describe, expectTypeOf, it } from "@effect/vitest"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import { TestClock } from "effect/testing"
import * as Customer from "../src/Customer.js"
import type { OmiseClient } from "../src/OmiseClient.js"
import type { OmiseError } from "../src/OmiseError.js"
import * as Policy from "../src/Policy.js"
import { CUSTOMER_ID, customer2019, errorBody, list } from "./fixtures/bodies.js"
import * as RecordingHttp from "./utils/RecordingHttp.js"
import { settle } from "./utils/settle.js"

const fixed = (times: number, base: Duration.Input = "1 second") =>
  Policy.retry({ times, base, cap: "30 seconds", jitter: false })
const ok = RecordingHttp.json(customer2019())
const status = (code: number, headers: Record<string, string> = {}): RecordingHttp.Reply => ({
  status: code,
  json: errorBody(code === 429 ? "too_many_requests" : "internal_server_error", "try later"),
  headers
})
const reset: RecordingHttp.Reply = { transport: "socket hang up", code: "ECONNRESET" }
const refused: RecordingHttp.Reply = { transport: "connect ECONNREFUSED 127.0.0.1:1", code: "ECONNREFUSED" }

/** Runs `effect` in a fiber and steps the TestClock, recording how many requests each step saw. */
const stepped = <A, E>(
  http: RecordingHttp.Recording,
  effect: Effect.Effect<A, E, OmiseClient>,
  steps: ReadonlyArray<Duration.Input>,
  options: Parameters<RecordingHttp.Recording["client"]>[0] = {}
) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.forkChild(Effect.result(Effect.provide(effect, http.client(options))))
    const counts: Array<number> = []
    for (const step of steps) {
      yield* settle
      yield* TestClock.adjust(step)
      yield* settle
      counts.push(http.requests.length)
    }
    return { counts, result: yield* Fiber.join(fiber) }
  })

describe("retries of reads", () => {
  it.effect("GET is retried on 500, 502, 503, 504 and 429 with exponential backoff", () =>
    Effect.gen(function* () {
      for (const code of [500, 502, 503, 504, 429]) {
        const http = RecordingHttp.make(status(code), status(code), ok)
        const { counts, result } = yield* stepped(
          http,
          Customer.retrieve(CUSTOMER_ID),
          ["999 millis", "1 milli", "1999 millis", "1 milli"],
          { retry: fixed(2) }
        )
        assert.deepStrictEqual(counts, [1, 2, 2, 3], `status ${code}`)
        assert.isTrue(result._tag === "Success", `status ${code}`)
      }
    })
  )

  it.effect("GET is retried on transport errors and per-attempt timeouts", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(reset, { never: true }, ok)
      const { counts, result } = yield* stepped(
        http,
        Customer.retrieve(CUSTOMER_ID),
        ["1 second", "5 seconds", "2 seconds"],
        { retry: fixed(2), timeout: "5 seconds" }
      )
      assert.deepStrictEqual(counts, [2, 2, 3])
      assert.isTrue(result._tag === "Success")
    })
  )

  it.effect("4xx other than 429 is not retried", () =>
    Effect.gen(function* () {
      for (const code of [400, 401, 403, 404, 422]) {
        const http = RecordingHttp.make({ status: code, json: errorBody("bad_request", "no") }, ok)
        const { result } = yield* stepped(http, Customer.retrieve(CUSTOMER_ID), ["1 minute"], { retry: fixed(3) })
        assert.strictEqual(http.requests.length, 1, `status ${code}`)
        assert.isTrue(result._tag === "Failure")
      }
    })
  )

  it.effect("501 is not retried", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(status(501), ok)
      yield* stepped(http, Customer.retrieve(CUSTOMER_ID), ["1 minute"], { retry: fixed(3) })
      assert.strictEqual(http.requests.length, 1)
    })
  )

  it.effect("the last failure is reported with the number of attempts", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(status(503))
      const { result } = yield* stepped(http, Customer.retrieve(CUSTOMER_ID), ["1 minute"], { retry: fixed(2) })
      assert.isTrue(result._tag === "Failure")
      if (result._tag !== "Failure") return
      assert.strictEqual(result.failure._tag, "OmiseServerError")
      assert.strictEqual((result.failure as { attempts: number }).attempts, 3)
      assert.include(result.failure.message, "after 3 attempts")
    })
  )

  it.effect("waits at least as long as Retry-After asks, on 429 and 503", () =>
    Effect.gen(function* () {
      for (const code of [429, 503]) {
        const http = RecordingHttp.make(status(code, { "retry-after": "7" }), ok)
        const { counts } = yield* stepped(http, Customer.retrieve(CUSTOMER_ID), ["6999 millis", "1 milli"], {
          retry: fixed(2)
        })
        assert.deepStrictEqual(counts, [1, 2], `status ${code}`)
      }
    })
  )

  it.effect("the delay doubles and is capped", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(status(500))
      const policy = Policy.retry({ times: 4, base: "1 second", cap: "3 seconds", jitter: false })
      const { counts } = yield* stepped(
        http,
        Customer.retrieve(CUSTOMER_ID),
        [
          "1 second", // 1 s
          "2 seconds", // 2 s
          "3 seconds", // 4 s capped to 3 s
          "3 seconds" // 8 s capped to 3 s
        ],
        { retry: policy }
      )
      assert.deepStrictEqual(counts, [2, 3, 4, 5])
    })
  )

  it.effect("jitter keeps each delay within [0.8, 1.2] of the exponential delay", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(status(500), ok)
      const { counts } = yield* stepped(http, Customer.retrieve(CUSTOMER_ID), ["399 millis", "201 millis"], {
        retry: Policy.retry({ times: 1 })
      })
      assert.deepStrictEqual(counts, [1, 2])
    })
  )

  it.effect("the default policy makes 2 retries", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(status(503))
      yield* stepped(http, Customer.retrieve(CUSTOMER_ID), ["1 minute"], { retry: Policy.defaultRetry })
      assert.strictEqual(http.requests.length, 3)
    })
  )
})

describe("writes are never replayed once they may have reached Omise", () => {
  it.effect("create: a 5xx, a reset connection or a timeout is reported with mayHaveTakenEffect, not retried", () =>
    Effect.gen(function* () {
      for (const reply of [status(500), status(503), reset, { never: true } as const]) {
        const http = RecordingHttp.make(reply, RecordingHttp.json(customer2019()))
        const { result } = yield* stepped(http, Customer.create({ email: "a@b.c" }), ["2 minutes", "2 minutes"], {
          retry: fixed(3),
          timeout: "10 seconds"
        })
        assert.strictEqual(http.requests.length, 1, JSON.stringify(reply))
        assert.isTrue(result._tag === "Failure")
        if (result._tag === "Failure") {
          assert.isTrue((result.failure as { mayHaveTakenEffect: boolean }).mayHaveTakenEffect, JSON.stringify(reply))
          assert.include(result.failure.message, "may have taken effect")
        }
      }
    })
  )

  it.effect("create: a refused connection and a 429 prove nothing was processed, so they are retried", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(refused, status(429), RecordingHttp.json(customer2019()))
      const { result } = yield* stepped(http, Customer.create({ email: "a@b.c" }), ["1 minute"], { retry: fixed(3) })
      assert.strictEqual(http.requests.length, 3)
      assert.isTrue(result._tag === "Success")
    })
  )

  it.effect("create: a refused connection that persists is reported without mayHaveTakenEffect", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(refused)
      const { result } = yield* stepped(http, Customer.create(), ["1 minute"], { retry: fixed(1) })
      assert.strictEqual(http.requests.length, 2)
      assert.isTrue(
        result._tag === "Failure" && !(result.failure as { mayHaveTakenEffect: boolean }).mayHaveTakenEffect
      )
    })
  )

  it.effect("update with a card token is not replayed; update without one is", () =>
    Effect.gen(function* () {
      const withToken = RecordingHttp.make(status(502), ok)
      yield* stepped(withToken, Customer.update(CUSTOMER_ID, { card: "tokn_test_1" }), ["1 minute"], {
        retry: fixed(3)
      })
      assert.strictEqual(withToken.requests.length, 1)
      const withoutToken = RecordingHttp.make(status(502), ok)
      const { result } = yield* stepped(withoutToken, Customer.update(CUSTOMER_ID, { email: "x@y.z" }), ["1 minute"], {
        retry: fixed(3)
      })
      assert.strictEqual(withoutToken.requests.length, 2)
      assert.isTrue(result._tag === "Success")
    })
  )

  it.effect("a 4xx on a write says it did not take effect", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make({ status: 400, json: errorBody("used_token", "token was already used") })
      const { result } = yield* stepped(http, Customer.create({ card: "tokn_test_1" }), ["1 second"], {
        retry: fixed(3)
      })
      assert.isTrue(
        result._tag === "Failure" && !(result.failure as { mayHaveTakenEffect: boolean }).mayHaveTakenEffect
      )
    })
  )
})

describe("deletes", () => {
  it.effect("a DELETE retried after an unknown outcome that then gets 404 reports the object gone", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(reset, { status: 404, json: errorBody("not_found", "customer was not found") })
      const { result } = yield* stepped(http, Customer.destroy(CUSTOMER_ID), ["1 minute"], { retry: fixed(2) })
      assert.strictEqual(http.requests.length, 2)
      assert.isTrue(result._tag === "Success")
      if (result._tag === "Success") {
        assert.strictEqual(result.success.id, CUSTOMER_ID)
        assert.strictEqual(result.success.deleted, true)
      }
    })
  )

  it.effect("destroyCard behaves the same", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(status(504), { status: 404, json: errorBody("not_found", "card was not found") })
      const { result } = yield* stepped(http, Customer.destroyCard(CUSTOMER_ID, "card_test_1"), ["1 minute"], {
        retry: fixed(2)
      })
      assert.isTrue(result._tag === "Success")
    })
  )

  it.effect("a 404 on the first attempt is a real not-found", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make({ status: 404, json: errorBody("not_found", "customer was not found") })
      const { result } = yield* stepped(http, Customer.destroy(CUSTOMER_ID), ["1 minute"], { retry: fixed(2) })
      assert.isTrue(result._tag === "Failure" && result.failure._tag === "OmiseNotFoundError")
    })
  )
})

describe("timeouts and deadlines", () => {
  it.effect("per-attempt timeouts are retried, and the last one is reported", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make({ never: true })
      const { counts, result } = yield* stepped(
        http,
        Customer.retrieve(CUSTOMER_ID),
        [
          "2 seconds", // t=2: attempt 1 times out, waits 1 s
          "1 second", // t=3: attempt 2
          "2 seconds", // t=5: attempt 2 times out, waits 2 s
          "2 seconds", // t=7: attempt 3
          "2 seconds" // t=9: attempt 3 times out, no retry left
        ],
        { retry: fixed(2), timeout: "2 seconds" }
      )
      assert.deepStrictEqual(counts, [1, 2, 2, 3, 3])
      assert.isTrue(result._tag === "Failure")
      if (result._tag === "Failure" && result.failure._tag === "OmiseTimeoutError") {
        assert.strictEqual(result.failure.kind, "attempt")
        assert.strictEqual(result.failure.attempts, 3)
      } else assert.fail("expected OmiseTimeoutError")
    })
  )

  it.effect("the deadline bounds all attempts and waits together", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make({ never: true })
      const { result } = yield* stepped(http, Customer.retrieve(CUSTOMER_ID), ["14 seconds", "1 second"], {
        retry: fixed(5),
        timeout: "10 seconds",
        deadline: "15 seconds"
      })
      assert.strictEqual(http.requests.length, 2)
      if (result._tag === "Failure" && result.failure._tag === "OmiseTimeoutError") {
        assert.strictEqual(result.failure.kind, "deadline")
        assert.strictEqual(result.failure.timeoutMillis, 15_000)
        assert.strictEqual(result.failure.attempts, 2)
      } else assert.fail("expected OmiseTimeoutError")
    })
  )
})

describe("per-call overrides", () => {
  it.effect("withRetry overrides the client's default for the wrapped effect only", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(status(503))
      const program = Effect.gen(function* () {
        yield* Effect.result(Customer.retrieve(CUSTOMER_ID).pipe(Policy.withRetry(fixed(3))))
        const afterOverride = http.requests.length
        yield* Effect.result(Customer.retrieve(CUSTOMER_ID))
        return afterOverride
      })
      const { result } = yield* stepped(http, program, ["1 minute"], { retry: Policy.noRetry })
      assert.isTrue(result._tag === "Success")
      assert.strictEqual(result._tag === "Success" && result.success, 4)
      assert.strictEqual(http.requests.length, 5)
    })
  )

  it.effect("withTimeout and withDeadline compose, the innermost winning", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make({ never: true })
      const { counts, result } = yield* stepped(
        http,
        Customer.retrieve(CUSTOMER_ID).pipe(
          Policy.withTimeout("1 second"),
          Policy.withTimeout("30 seconds"),
          Policy.withRetry(fixed(10, "1 second")),
          Policy.withDeadline("3500 millis")
        ),
        // attempt 1 at t=0 times out at 1 s (the inner 1 s wins over 30 s), waits 1 s; attempt 2 at
        // t=2 times out at 3 s, waits 2 s; the deadline ends it at 3.5 s before attempt 3.
        ["1 second", "1 second", "1 second", "500 millis", "10 seconds"]
      )
      assert.deepStrictEqual(counts, [1, 2, 2, 2, 2])
      assert.isTrue(
        result._tag === "Failure" && result.failure._tag === "OmiseTimeoutError" && result.failure.kind === "deadline"
      )
    })
  )

  it.effect("a policy applies to every page of a stream", () =>
    Effect.gen(function* () {
      const page = (offset: number) =>
        RecordingHttp.json(list([customer2019({ id: `cust_test_${offset}` })], { offset, limit: 1, total: 2 }))
      const http = RecordingHttp.make(page(0), status(503), page(1))
      const { result } = yield* stepped(
        http,
        Stream.runCollect(Customer.stream({ limit: 1 }).pipe(Policy.withRetry(fixed(1)))),
        ["1 minute"]
      )
      assert.isTrue(result._tag === "Success")
      assert.strictEqual(result._tag === "Success" && result.success.length, 2)
      assert.strictEqual(http.requests.length, 3)
    })
  )

  it.effect("a policy applies to every page of a concurrent stream, requested ahead in their own fibers", () =>
    Effect.gen(function* () {
      let failedOnce = false
      const http = RecordingHttp.makeWith((request) => {
        const offset = Number(request.query.offset)
        if (offset === 2 && !failedOnce) {
          failedOnce = true
          return status(503)
        }
        return RecordingHttp.json(list([customer2019({ id: `cust_test_${offset}` })], { offset, limit: 1, total: 4 }))
      })
      const { result } = yield* stepped(
        http,
        Stream.runCollect(Customer.stream({ limit: 1, concurrency: 3 }).pipe(Policy.withRetry(fixed(1)))),
        ["1 minute"]
      )
      assert.isTrue(result._tag === "Success")
      assert.deepStrictEqual(result._tag === "Success" && result.success.map((c): string => c.id), [
        "cust_test_0",
        "cust_test_1",
        "cust_test_2",
        "cust_test_3"
      ])
      assert.strictEqual(http.requests.length, 5)
    })
  )

  it("keeps the wrapped type exactly", () => {
    const effect = Customer.retrieve(CUSTOMER_ID).pipe(Policy.withRetry(fixed(1)), Policy.withTimeout("1 second"))
    expectTypeOf(effect).toEqualTypeOf<Effect.Effect<Customer.Customer, OmiseError, OmiseClient>>()
    const stream = Customer.stream().pipe(Policy.withDeadline("1 minute"), Policy.withRetry(fixed(1)))
    expectTypeOf(stream).toEqualTypeOf<Stream.Stream<Customer.Customer, OmiseError, OmiseClient>>()
    const other = Effect.succeed(1).pipe(Policy.withTimeout("1 second"))
    expectTypeOf(other).toEqualTypeOf<Effect.Effect<number>>()
  })
})

describe("policy values outside their bounds", () => {
  const invalidDurations: ReadonlyArray<Duration.Input> = [
    0,
    -5,
    Number.NaN,
    "banana" as Duration.Input,
    "-1 second" as Duration.Input
  ]

  it("constructors and combinators never throw", () => {
    for (const input of invalidDurations) {
      assert.doesNotThrow(() => Policy.withTimeout(input))
      assert.doesNotThrow(() => Policy.withDeadline(input))
      assert.doesNotThrow(() => Policy.retry({ times: 1, base: input, cap: input }))
    }
    assert.doesNotThrow(() => Policy.retry({ times: Infinity }))
  })

  it.effect(
    "withTimeout / withDeadline with a duration that is not positive: each request fails typed, none sent",
    () =>
      Effect.gen(function* () {
        for (const input of invalidDurations) {
          for (const [name, wrap] of [
            ["Policy.withTimeout", Policy.withTimeout(input)],
            ["Policy.withDeadline", Policy.withDeadline(input)]
          ] as const) {
            const http = RecordingHttp.make(ok)
            const { result } = yield* stepped(http, wrap(Customer.retrieve(CUSTOMER_ID)), ["1 second"])
            assert.strictEqual(http.requests.length, 0, `${name}(${String(input)})`)
            assert.isTrue(result._tag === "Failure", `${name}(${String(input)})`)
            if (result._tag !== "Failure") continue
            const error = result.failure
            assert.strictEqual(error._tag, "OmiseInvalidArgumentError")
            if (error._tag !== "OmiseInvalidArgumentError") continue
            assert.strictEqual(error.operation, "Customer.retrieve")
            assert.strictEqual(error.argument, name)
            assert.include(error.detail, "expected a positive duration")
          }
        }
      })
  )

  it.effect("an inner valid override of the same policy wins over an outer invalid one", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(ok)
      const { result } = yield* stepped(
        http,
        Customer.retrieve(CUSTOMER_ID).pipe(Policy.withTimeout("5 seconds"), Policy.withTimeout(0)),
        ["1 second"]
      )
      assert.isTrue(result._tag === "Success")
      assert.strictEqual(http.requests.length, 1)
    })
  )

  it.effect("a stream under an invalid override fails typed before its first request", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(list([customer2019()])))
      const { result } = yield* stepped(http, Stream.runCollect(Customer.stream().pipe(Policy.withDeadline(-1))), [
        "1 second"
      ])
      assert.strictEqual(http.requests.length, 0)
      assert.isTrue(result._tag === "Failure" && result.failure._tag === "OmiseInvalidArgumentError")
    })
  )

  it.effect("withRetry with times Infinity, -1, 1.5 or NaN, or a base or cap that is not positive: refused", () =>
    Effect.gen(function* () {
      const policies: ReadonlyArray<readonly [Policy.RetryPolicy, string]> = [
        [Policy.retry({ times: Infinity }), "times"],
        [Policy.retry({ times: -1 }), "times"],
        [Policy.retry({ times: 1.5 }), "times"],
        [Policy.retry({ times: Number.NaN }), "times"],
        [Policy.retry({ times: 2, base: -5 }), "base"],
        [Policy.retry({ times: 2, base: "banana" as Duration.Input }), "base"],
        [Policy.retry({ times: 2, cap: 0 }), "cap"]
      ]
      for (const [policy, field] of policies) {
        const http = RecordingHttp.make(status(503), ok)
        const { result } = yield* stepped(http, Customer.retrieve(CUSTOMER_ID).pipe(Policy.withRetry(policy)), [
          "1 minute"
        ])
        assert.strictEqual(http.requests.length, 0, JSON.stringify(policy))
        const error = result._tag === "Failure" ? result.failure : undefined
        assert.strictEqual(error?._tag, "OmiseInvalidArgumentError", JSON.stringify(policy))
        if (error?._tag !== "OmiseInvalidArgumentError") continue
        assert.strictEqual(error.argument, "Policy.withRetry")
        assert.isTrue(error.detail.startsWith(`${field}: `), error.detail)
      }
    })
  )

  it.effect("the layer refuses a retry option outside the bounds with a ConfigError naming retry", () =>
    Effect.gen(function* () {
      for (const retry of [
        Policy.retry({ times: Infinity }),
        Policy.retry({ times: -1 }),
        Policy.retry({ times: 1, base: 0 }),
        Policy.retry({ times: 1, cap: "banana" as Duration.Input }),
        {
          _tag: "RetryPolicy",
          times: 1,
          base: "1 second",
          cap: "5 seconds",
          jitter: false
        } as unknown as Policy.RetryPolicy
      ]) {
        const http = RecordingHttp.make(ok)
        const exit = yield* Effect.exit(Effect.provide(Customer.retrieve(CUSTOMER_ID), http.client({ retry })))
        assert.isTrue(Exit.isFailure(exit), JSON.stringify(retry))
        const text = String(Exit.isFailure(exit) && exit.cause)
        assert.include(text, "ConfigError")
        assert.include(text, "retry")
        assert.strictEqual(http.requests.length, 0)
      }
      // The defaults and a sound policy build.
      for (const retry of [
        Policy.defaultRetry,
        Policy.noRetry,
        Policy.retry({ times: 3, base: 100, cap: "1 second" })
      ]) {
        const http = RecordingHttp.make(ok)
        const exit = yield* Effect.exit(Effect.provide(Customer.retrieve(CUSTOMER_ID), http.client({ retry })))
        assert.isTrue(Exit.isSuccess(exit))
      }
    })
  )
})
