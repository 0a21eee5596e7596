/**
 * Issue 12 item 13: the trace context of the caller's spans (`traceparent`, `b3`) is not sent to
 * Omise, a third party, unless the user opts in with `propagateTraceContext`. The HTTP client span
 * is recorded either way.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as Customer from "../../src/Customer.js"
import { CUSTOMER_ID, customer2019 } from "../fixtures/bodies.js"
import * as RecordingHttp from "../utils/RecordingHttp.js"

const traced = Customer.retrieve(CUSTOMER_ID).pipe(Effect.withSpan("checkout"))

describe("trace context", () => {
  it.effect("is not sent by default, even when the application turned propagation on", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(customer2019()))
      yield* Effect.provide(traced, http.client())
      yield* Effect.provide(traced, http.client()).pipe(
        Effect.provideService(HttpClient.TracerPropagationEnabled, true)
      )
      for (const request of http.requests) {
        assert.isUndefined(request.headers["traceparent"])
        assert.isUndefined(request.headers["b3"])
      }
      assert.strictEqual(http.requests.length, 2)
    })
  )

  it.effect("is sent when the user opts in", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(customer2019()))
      yield* Effect.provide(traced, http.client({ propagateTraceContext: true }))
      assert.match(http.requests[0]!.headers["traceparent"] ?? "", /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/)
      assert.isString(http.requests[0]!.headers["b3"])
    })
  )
})
