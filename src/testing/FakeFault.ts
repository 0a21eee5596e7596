/**
 * Faults the fake Omise can inject, for resilience tests: failing statuses,
 * rate limiting, latency, a response that never comes, and a connection
 * dropped after the request took effect. What each does to a request is in
 * `internal/faults.ts`, beside this module.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Path from "./internal/path.js"

/**
 * One injected misbehaviour.
 *
 * - `ServerError`: answer with `status` (500, 502, 503, ...) without processing the request.
 *   The body is an Omise error object unless `body` (with `contentType`) replaces it, e.g. an
 *   nginx HTML page.
 * - `RateLimited`: answer 429 with `Retry-After: retryAfter` (seconds) without processing.
 * - `Latency`: wait `duration` (on the effect `Clock`, so `TestClock` drives it in memory), then
 *   process normally.
 * - `NoResponse`: never answer (in memory: `Effect.never`; over HTTP: the socket stays open).
 * - `DropAfterProcessing`: process the request, then drop the connection instead of answering.
 *
 * @since 0.1.0
 * @category models
 */
export type FakeFault = Data.TaggedEnum<{
  ServerError: { readonly status: number; readonly body: string | undefined; readonly contentType: string | undefined }
  RateLimited: { readonly retryAfter: number }
  Latency: { readonly duration: Duration.Duration }
  NoResponse: {}
  DropAfterProcessing: {}
}>

const FakeFault = Data.taggedEnum<FakeFault>()

/**
 * Answer with a 5xx status (default 500; anything outside 500..599 becomes
 * 500) without processing the request.
 *
 * @since 0.1.0
 * @category constructors
 */
export const serverError = (
  status: number = 500,
  options?: { readonly body?: string | undefined; readonly contentType?: string | undefined }
): FakeFault =>
  FakeFault.ServerError({
    status: Number.isInteger(status) && status >= 500 && status <= 599 ? status : 500,
    body: options?.body,
    contentType: options?.contentType
  })

/**
 * 502 with the HTML page a proxy in front of Omise would send.
 *
 * @since 0.1.0
 * @category constructors
 */
export const badGateway: FakeFault = serverError(502, {
  body: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
  contentType: "text/html"
})

/**
 * 503 with an Omise error body.
 *
 * @since 0.1.0
 * @category constructors
 */
export const serviceUnavailable: FakeFault = serverError(503)

/**
 * 429 with `Retry-After` in whole seconds.
 *
 * @since 0.1.0
 * @category constructors
 */
export const rateLimited = (retryAfterSeconds: number = 1): FakeFault =>
  FakeFault.RateLimited({ retryAfter: Math.max(0, Math.round(retryAfterSeconds)) })

/**
 * Delay the response, then process normally.
 *
 * @since 0.1.0
 * @category constructors
 */
export const latency = (duration: Duration.Input): FakeFault =>
  FakeFault.Latency({ duration: Duration.fromInputUnsafe(duration) })

/**
 * Never answer.
 *
 * @since 0.1.0
 * @category constructors
 */
export const noResponse: FakeFault = FakeFault.NoResponse()

/**
 * Process the request, then drop the connection.
 *
 * @since 0.1.0
 * @category constructors
 */
export const dropAfterProcessing: FakeFault = FakeFault.DropAfterProcessing()

/**
 * Which requests a fault applies to. `method` is case-insensitive. `path` is
 * either a RegExp tested against the path, or a pattern where `:name` matches
 * one segment and a final `*` matches one or more (`/customers/:id`,
 * `/customers/*`). Trailing slashes are ignored. Omitted parts match anything.
 *
 * @since 0.1.0
 * @category models
 */
export interface FaultTarget {
  readonly method?: string | undefined
  readonly path?: string | RegExp | undefined
}

/**
 * Whether a request falls under a {@link FaultTarget}.
 *
 * @since 0.1.0
 * @category predicates
 */
export const matches = (target: FaultTarget, method: string, path: string): boolean => {
  if (target.method !== undefined && target.method.toUpperCase() !== method.toUpperCase()) return false
  const pattern = target.path
  if (pattern === undefined) return true
  if (typeof pattern !== "string") return pattern.test(path)
  return Path.match(Path.segments(pattern), Path.segments(path)) !== undefined
}

/**
 * Options for `injectFault`: which requests (all by default) and how many of them (1 by
 * default; `Infinity` for all).
 *
 * @since 0.2.0
 * @category models
 */
export interface InjectOptions extends FaultTarget {
  readonly times?: number | undefined
}

/**
 * Options for `injectFaultRate`: each matching request gets the fault with `probability`, drawn
 * from a PRNG seeded with `seed` (default 1) so a run is reproducible.
 *
 * @since 0.2.0
 * @category models
 */
export interface InjectRateOptions extends FaultTarget {
  readonly probability: number
  readonly seed?: number | undefined
}
