/**
 * The metrics every request records, for any Effect metrics exporter (OpenTelemetry, Prometheus).
 * Each is tagged with the attribute `operation` (`Customer.retrieve`, ...); the request counter
 * also with `outcome` (`success` or the error's tag).
 *
 * @since 0.1.0
 */
import type * as Metric from "effect/Metric"
import * as Telemetry from "./internal/telemetry.js"

/**
 * Requests made by operation and outcome (one per call, however many attempts).
 *
 * @since 0.1.0
 * @category metrics
 */
export const requests: Metric.Counter<number> = Telemetry.requests

/**
 * Latency of a call, all attempts and waits included, in milliseconds.
 *
 * @since 0.1.0
 * @category metrics
 */
export const latency: Metric.Histogram<number> = Telemetry.latency

/**
 * Retries made (attempts after the first).
 *
 * @since 0.1.0
 * @category metrics
 */
export const retries: Metric.Counter<number> = Telemetry.retries

/**
 * Attempts answered with 429 Too Many Requests.
 *
 * @since 0.1.0
 * @category metrics
 */
export const rateLimited: Metric.Counter<number> = Telemetry.rateLimited
