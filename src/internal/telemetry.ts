/**
 * What every request records: its metrics, tagged by operation (and outcome), and its span's
 * attributes and retry events.
 *
 * @since 0.2.0
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"

/**
 * Requests made by operation and outcome (one per call, however many attempts).
 *
 * @since 0.2.0
 * @internal
 */
export const requests: Metric.Counter<number> = Metric.counter("omise_requests_total", {
  description: "Omise API calls by operation and outcome",
  incremental: true
})

/**
 * Latency of a call, all attempts and waits included, in milliseconds.
 *
 * @since 0.2.0
 * @internal
 */
export const latency: Metric.Histogram<number> = Metric.histogram("omise_request_duration_ms", {
  description: "Omise API call latency in milliseconds, retries included",
  boundaries: Metric.exponentialBoundaries({ start: 5, factor: 2, count: 14 })
})

/**
 * Retries made (attempts after the first).
 *
 * @since 0.2.0
 * @internal
 */
export const retries: Metric.Counter<number> = Metric.counter("omise_retries_total", {
  description: "Omise API attempts retried",
  incremental: true
})

/**
 * Attempts answered with 429 Too Many Requests.
 *
 * @since 0.2.0
 * @internal
 */
export const rateLimited: Metric.Counter<number> = Metric.counter("omise_rate_limited_total", {
  description: "Omise API attempts rate limited (HTTP 429)",
  incremental: true
})

/**
 * The metrics of one operation.
 *
 * @since 0.2.0
 * @internal
 */
export interface OperationMetrics {
  readonly retries: Metric.Metric<number, Metric.CounterState<number>>
  readonly rateLimited: Metric.Metric<number, Metric.CounterState<number>>
  readonly latency: Metric.Metric<number, Metric.HistogramState>
  readonly requests: (outcome: string) => Metric.Metric<number, Metric.CounterState<number>>
}

/**
 * The metrics of each operation, tagged once: tagging builds a new metric, which is too much
 * work to repeat on every request. One cache per client.
 *
 * @since 0.2.0
 * @internal
 */
export const metricsCache = (): ((operation: string) => OperationMetrics) => {
  const byOperation = new Map<string, OperationMetrics>()
  const make = (operation: string): OperationMetrics => {
    const byOutcome = new Map<string, Metric.Metric<number, Metric.CounterState<number>>>()
    const tagged = { operation }
    const counted = Metric.withAttributes(requests, tagged)
    return {
      retries: Metric.withAttributes(retries, tagged),
      rateLimited: Metric.withAttributes(rateLimited, tagged),
      latency: Metric.withAttributes(latency, tagged),
      requests: (outcome) => {
        const found = byOutcome.get(outcome) ?? Metric.withAttributes(counted, { outcome })
        byOutcome.set(outcome, found)
        return found
      }
    }
  }
  return (operation) => {
    const found = byOperation.get(operation) ?? make(operation)
    byOperation.set(operation, found)
    return found
  }
}

/**
 * Adds an event to the current span, if any, at the current time of the `Clock`.
 *
 * @since 0.2.0
 * @internal
 */
export const spanEvent = (name: string, attributes: Record<string, unknown>): Effect.Effect<void> =>
  Effect.currentSpan.pipe(
    Effect.flatMap((span) =>
      Effect.map(Clock.currentTimeMillis, (now) => span.event(name, BigInt(Math.round(now)) * 1_000_000n, attributes))
    ),
    Effect.ignore
  )

/**
 * Records that attempt number `attempt` retries after `previous` failed.
 *
 * @since 0.2.0
 * @internal
 */
export const retrying = (metrics: OperationMetrics, attempt: number, previous: string): Effect.Effect<void> =>
  Effect.andThen(
    Metric.update(metrics.retries, 1),
    spanEvent("omise.retry", { "omise.attempt": attempt, "omise.previous_error": previous })
  )

/**
 * What a finished call records on its span, and in the request and latency metrics.
 *
 * @since 0.2.0
 * @internal
 */
export interface Observation {
  readonly method: string
  readonly path: string
  readonly objectId: string | undefined
  readonly attempts: number
  readonly outcome: string
  readonly status: number | undefined
  readonly requestId: string | undefined
  readonly millis: number
}

/**
 * Records a finished call.
 *
 * @since 0.2.0
 * @internal
 */
export const observe = (metrics: OperationMetrics, observation: Observation): Effect.Effect<void> =>
  Effect.all(
    [
      Effect.annotateCurrentSpan({
        "http.request.method": observation.method,
        "omise.path": observation.path,
        "omise.attempts": observation.attempts,
        "omise.outcome": observation.outcome,
        ...(observation.objectId !== undefined ? { "omise.object_id": observation.objectId } : {}),
        ...(observation.status !== undefined ? { "http.response.status_code": observation.status } : {}),
        ...(observation.requestId !== undefined ? { "omise.request_id": observation.requestId } : {})
      }),
      Metric.update(metrics.requests(observation.outcome), 1),
      Metric.update(metrics.latency, observation.millis)
    ],
    { discard: true }
  )
