/**
 * Every call is traced and measured: the operation span carries the Omise object id, method,
 * path, status, attempts and request id; retries are span events; effect/http's HTTP spans
 * nest under the operation span; the request, retry, rate-limit and latency metrics move.
 */
import { assert, describe, it } from "@effect/vitest"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { TestClock } from "effect/testing"
import * as Customer from "../../src/Customer.js"
import * as OmiseMetrics from "../../src/OmiseMetrics.js"
import * as Policy from "../../src/Policy.js"
import { CUSTOMER_ID, customer2019, errorBody, list } from "../fixtures/bodies.js"
import * as RecordingHttp from "../utils/RecordingHttp.js"
import { settle } from "../utils/settle.js"
import * as Capture from "./capture.js"

const operation = "Customer.retrieve"

/** The metrics of `Customer.retrieve`, read from the global registry as an exporter would. */
const readMetrics = Effect.gen(function* () {
  const requests = (outcome: string) =>
    Metric.value(Metric.withAttributes(OmiseMetrics.requests, { operation, outcome }))
  const latency = yield* Metric.value(Metric.withAttributes(OmiseMetrics.latency, { operation }))
  return {
    success: (yield* requests("success")).count,
    notFound: (yield* requests("OmiseNotFoundError")).count,
    retries: (yield* Metric.value(Metric.withAttributes(OmiseMetrics.retries, { operation }))).count,
    rateLimited: (yield* Metric.value(Metric.withAttributes(OmiseMetrics.rateLimited, { operation }))).count,
    latencyCount: latency.count,
    latencySum: latency.sum
  }
})

const spansOf = (capture: Capture.Capture) => {
  const operations = capture.spans.filter((span) => span.name === operation)
  assert.strictEqual(operations.length, 1, capture.spans.map((span) => span.name).join(", "))
  const span = operations[0]!
  const http = capture.spans.filter(Capture.isHttpSpan)
  return { span, http }
}

describe("observability", () => {
  it.effect("a successful call: one span with the request's facts, the HTTP span under it, metrics", () =>
    Effect.gen(function* () {
      const before = yield* readMetrics
      const capture = Capture.make()
      const http = RecordingHttp.make(RecordingHttp.json(customer2019()))
      yield* Capture.within(capture)(Effect.provide(Customer.retrieve(CUSTOMER_ID), http.client()))

      const { http: httpSpans, span } = spansOf(capture)
      assert.deepStrictEqual(Object.fromEntries(span.attributes), {
        ...Object.fromEntries(span.attributes),
        "omise.object_id": CUSTOMER_ID,
        "http.request.method": "GET",
        "omise.path": `/customers/${CUSTOMER_ID}`,
        "http.response.status_code": 200,
        "omise.attempts": 1,
        "omise.request_id": "req-1",
        "omise.outcome": "success"
      })
      assert.deepStrictEqual(span.events, [])
      assert.strictEqual(span.exit?._tag, "Success")

      assert.strictEqual(httpSpans.length, 1)
      const [httpSpan] = httpSpans
      assert.strictEqual(httpSpan!.parentSpanId, span.spanId)
      assert.strictEqual(httpSpan!.traceId, span.traceId)
      assert.strictEqual(httpSpan!.attributes.get("http.request.method"), "GET")
      assert.strictEqual(httpSpan!.attributes.get("http.response.status_code"), 200)
      assert.strictEqual(httpSpan!.attributes.get("url.path"), `/customers/${CUSTOMER_ID}`)
      assert.strictEqual(httpSpan!.attributes.get("http.request.header.authorization"), "<redacted>")

      const after = yield* readMetrics
      assert.strictEqual(after.success - before.success, 1)
      assert.strictEqual(after.retries - before.retries, 0)
      assert.strictEqual(after.rateLimited - before.rateLimited, 0)
      assert.strictEqual(after.latencyCount - before.latencyCount, 1)
    })
  )

  it.effect("a retried call: retries are span events, every attempt's HTTP span nests, metrics count them", () =>
    Effect.gen(function* () {
      const before = yield* readMetrics
      const capture = Capture.make()
      const http = RecordingHttp.make(
        { status: 503, text: "<html>unavailable</html>" },
        RecordingHttp.json(errorBody("too_many_requests", "slow down"), 429, { "retry-after": "1" }),
        RecordingHttp.json(customer2019())
      )
      const fiber = yield* Effect.forkChild(
        Capture.within(capture)(
          Effect.provide(
            Customer.retrieve(CUSTOMER_ID),
            http.client({ retry: Policy.retry({ times: 2, base: "1 second", jitter: false }) })
          )
        )
      )
      // Delays: 1 s after the 503, then max(2 s backoff, 1 s Retry-After) after the 429.
      const counts: Array<number> = []
      const steps: ReadonlyArray<Duration.Input> = ["999 millis", "1 milli", "1999 millis", "1 milli"]
      for (const step of steps) {
        yield* settle
        yield* TestClock.adjust(step)
        yield* settle
        counts.push(http.requests.length)
      }
      const customer = yield* Fiber.join(fiber)
      assert.strictEqual(customer.id, CUSTOMER_ID)
      assert.deepStrictEqual(counts, [1, 2, 2, 3])

      const { http: httpSpans, span } = spansOf(capture)
      assert.strictEqual(span.attributes.get("omise.attempts"), 3)
      assert.strictEqual(span.attributes.get("http.response.status_code"), 200)
      assert.strictEqual(span.attributes.get("omise.request_id"), "req-3")
      assert.strictEqual(span.attributes.get("omise.object_id"), CUSTOMER_ID)
      assert.deepStrictEqual(span.events, [
        { name: "omise.retry", attributes: { "omise.attempt": 2, "omise.previous_error": "OmiseServerError" } },
        { name: "omise.retry", attributes: { "omise.attempt": 3, "omise.previous_error": "OmiseRateLimitError" } }
      ])
      assert.deepStrictEqual(
        httpSpans.map((httpSpan) => [httpSpan.parentSpanId, httpSpan.attributes.get("http.response.status_code")]),
        [
          [span.spanId, 503],
          [span.spanId, 429],
          [span.spanId, 200]
        ]
      )

      const after = yield* readMetrics
      assert.strictEqual(after.success - before.success, 1)
      assert.strictEqual(after.retries - before.retries, 2)
      assert.strictEqual(after.rateLimited - before.rateLimited, 1)
      assert.strictEqual(after.latencyCount - before.latencyCount, 1)
      // The latency is the whole call, waits included: 3 seconds of TestClock.
      assert.strictEqual(after.latencySum - before.latencySum, 3_000)
    })
  )

  it.effect("a failing call is counted by its outcome and its span ends in the failure", () =>
    Effect.gen(function* () {
      const before = yield* readMetrics
      const capture = Capture.make()
      const http = RecordingHttp.make(RecordingHttp.json(errorBody("not_found", "no such customer"), 404))
      yield* Effect.flip(Capture.within(capture)(Effect.provide(Customer.retrieve(CUSTOMER_ID), http.client())))
      const { span } = spansOf(capture)
      assert.strictEqual(span.attributes.get("omise.outcome"), "OmiseNotFoundError")
      assert.strictEqual(span.attributes.get("http.response.status_code"), 404)
      assert.strictEqual(span.exit?._tag, "Failure")
      const after = yield* readMetrics
      assert.strictEqual(after.notFound - before.notFound, 1)
      assert.strictEqual(after.success - before.success, 0)
    })
  )

  it.effect("an invalid argument is traced as the operation, with no HTTP span", () =>
    Effect.gen(function* () {
      const capture = Capture.make()
      const http = RecordingHttp.make(RecordingHttp.json(customer2019()))
      yield* Effect.flip(Capture.within(capture)(Effect.provide(Customer.retrieve("cust_../x"), http.client())))
      assert.deepStrictEqual(
        capture.spans.map((span) => span.name),
        [operation]
      )
      assert.strictEqual(capture.spans[0]!.exit?._tag, "Failure")
    })
  )

  it.effect("every page of a stream is a span of its list operation, with its HTTP span under it", () =>
    Effect.gen(function* () {
      const capture = Capture.make()
      const page = (offset: number) =>
        RecordingHttp.json(list([customer2019({ id: `cust_test_${offset}` })], { offset, limit: 1, total: 3 }))
      const http = RecordingHttp.make(page(0), page(1), page(2))
      const items = yield* Capture.within(capture)(
        Effect.provide(Stream.runCollect(Customer.stream({ limit: 1 })), http.client())
      )
      assert.strictEqual(items.length, 3)
      const pages = capture.spans.filter((span) => span.name === "Customer.list")
      assert.strictEqual(pages.length, 3)
      for (const pageSpan of pages) {
        const children = capture.spans.filter((span) => span.parentSpanId === pageSpan.spanId)
        assert.deepStrictEqual(children.map(Capture.isHttpSpan), [true])
        assert.strictEqual(pageSpan.attributes.get("omise.path"), "/customers")
      }
    })
  )

  it.effect("the metrics are registered under their documented names", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(customer2019()))
      yield* Effect.provide(Customer.retrieve(CUSTOMER_ID), http.client())
      const snapshot = yield* Metric.snapshot
      const find = (name: string) =>
        snapshot.find((metric) => metric.id === name && metric.attributes?.["operation"] === operation)
      for (const name of ["omise_requests_total", "omise_request_duration_ms"]) {
        assert.isDefined(find(name), name)
      }
      const requests = find("omise_requests_total")
      assert.isTrue(requests !== undefined && requests.type === "Counter")
      assert.isTrue(
        Option.isSome(Option.fromNullishOr(requests?.attributes?.["outcome"])),
        "requests are tagged with their outcome"
      )
      const latency = find("omise_request_duration_ms")
      assert.isTrue(latency !== undefined && latency.type === "Histogram")
    })
  )
})
