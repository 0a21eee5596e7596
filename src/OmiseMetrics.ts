/**
 * The metrics every request records, for any Effect metrics exporter (OpenTelemetry, Prometheus).
 * Each is tagged with `operation` (`Customer.retrieve`, ...); the request counter also with
 * `outcome` (`success` or the error's tag).
 *
 * @since 0.1.0
 */
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"

/**
 * Requests made by operation and outcome (one per call, however many attempts).
 *
 * @since 0.1.0
 * @category metrics
 */
export const requests = Metric.counter("omise_requests_total", {
  description: "Omise API calls by operation and outcome",
  incremental: true
})

/**
 * Latency of a call, all attempts and waits included, in milliseconds.
 *
 * @since 0.1.0
 * @category metrics
 */
export const latency = Metric.histogram(
  "omise_request_duration_ms",
  MetricBoundaries.exponential({ start: 5, factor: 2, count: 14 }),
  "Omise API call latency in milliseconds, retries included"
)

/**
 * Retries made (attempts after the first).
 *
 * @since 0.1.0
 * @category metrics
 */
export const retries = Metric.counter("omise_retries_total", {
  description: "Omise API attempts retried",
  incremental: true
})

/**
 * Attempts answered with 429 Too Many Requests.
 *
 * @since 0.1.0
 * @category metrics
 */
export const rateLimited = Metric.counter("omise_rate_limited_total", {
  description: "Omise API attempts rate limited (HTTP 429)",
  incremental: true
})
