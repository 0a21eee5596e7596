/**
 * Tracing and metrics with OpenTelemetry.
 *
 *   npx tsx examples/opentelemetry.ts
 *
 * Every operation is a span named after it (`Customer.retrieve`) with the Omise object id, HTTP
 * method and path, status, attempt count and `X-Request-Id` as attributes; each retry is an
 * `omise.retry` event on it; the HTTP client spans of effect/http nest under it. The client's
 * metrics (`omise_requests_total` by operation and outcome, `omise_request_duration_ms`,
 * `omise_retries_total`, `omise_rate_limited_total`) go to the OpenTelemetry meter.
 *
 * Spans and metrics are printed to the console here; in production swap the exporters for OTLP
 * ones (`@opentelemetry/exporter-trace-otlp-http`, ...) or use `@effect/opentelemetry/Otlp`.
 *
 * Without OMISE_SECRET_KEY it runs against the in-memory fake Omise, which answers the first
 * retrieve with a 503 so that a retry shows up in the trace. With the key, against the real API.
 */
import * as NodeSdk from "@effect/opentelemetry/NodeSdk"
import { ConsoleMetricExporter, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics"
import { ConsoleSpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import type * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { Customer, OmiseClient } from "effect-omise"
import { FakeFault, OmiseFake } from "effect-omise/testing"

const Telemetry = NodeSdk.layer(() => ({
  resource: { serviceName: "effect-omise-example", serviceVersion: "0.2.0" },
  // SimpleSpanProcessor exports each span as it ends; prefer BatchSpanProcessor in production.
  spanProcessor: new SimpleSpanProcessor(new ConsoleSpanExporter()),
  // Exported every 10 s, and once more when the layer shuts down at the end of the program.
  metricReader: new PeriodicExportingMetricReader({
    exporter: new ConsoleMetricExporter(),
    exportIntervalMillis: 10_000
  })
}))

const program = Effect.gen(function* () {
  // Only the fake has a handle; against the real API there is nothing to inject.
  const fake = yield* Effect.serviceOption(OmiseFake.OmiseFake)

  const created = yield* Customer.create({ email: "somchai@example.com", metadata: { source: "otel-example" } })

  if (Option.isSome(fake)) {
    // The next retrieve fails once with 503 and is retried: see the `omise.retry` span event.
    yield* fake.value.injectFault(FakeFault.serviceUnavailable, { method: "GET", path: "/customers/:id" })
  }
  const retrieved = yield* Customer.retrieve(created.id)
  yield* Effect.log(`retrieved ${retrieved.id}`)

  // A stream: one `Customer.list` span per page.
  const count = yield* Stream.runCount(Customer.stream({ limit: 10 }))
  yield* Effect.log(`${count} customers`)

  // A failure is a span too, ended with the typed error.
  yield* Customer.retrieve("cust_test_doesnotexist").pipe(
    Effect.catchTag("OmiseNotFoundError", (error) => Effect.log(`as expected: ${error.message}`))
  )

  yield* Customer.destroy(created.id)
}).pipe(
  // A parent span for the whole run, so that the exporter shows one trace.
  Effect.withSpan("example.opentelemetry")
)

const live = process.env.OMISE_SECRET_KEY !== undefined && process.env.OMISE_SECRET_KEY !== ""

const Omise: Layer.Layer<OmiseClient.OmiseClient, Config.ConfigError> = live
  ? OmiseClient.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))
  : OmiseFake.layer()

Effect.runPromiseExit(program.pipe(Effect.provide(Layer.merge(Omise, Telemetry)))).then((exit) => {
  if (Exit.isFailure(exit)) {
    console.error(String(exit.cause))
    process.exitCode = 1
  }
})
