/**
 * When a failed attempt is tried again, and after how long. Which failures are retried depends
 * on the request (may it be sent twice?), not on the policy; the policy says how often and how
 * long to wait.
 *
 * @since 0.2.0
 * @internal
 */
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as HttpClientError from "effect/http/HttpClientError"
import * as Predicate from "effect/Predicate"
import * as Schedule from "effect/Schedule"
import type { OmiseError } from "../OmiseError.js"
import type { RetryPolicy } from "../Policy.js"

/**
 * The longest `Retry-After` a retry waits for. Beyond it the error goes back to the caller (with
 * `retryAfterMillis`) instead: a broken or hostile header must not park a call for hours.
 *
 * @since 0.2.0
 * @internal
 */
export const longestRetryAfterMillis = 60_000

/**
 * A `Retry-After` header (seconds, or an HTTP date) as a wait in milliseconds from `now`.
 *
 * @since 0.2.0
 * @internal
 */
export const parseRetryAfter = (header: string | undefined, now: number): number | undefined => {
  if (header === undefined) return undefined
  const trimmed = header.trim()
  // A run of 400 digits is a number too, Infinity: no wait is ever that long.
  const millis = /^\d+(\.\d+)?$/.test(trimmed) ? Math.round(Number(trimmed) * 1000) : Date.parse(trimmed) - now
  return Number.isFinite(millis) ? Math.max(0, millis) : undefined
}

/** Node error codes that prove a request never left the machine. */
const notSentCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"])

/**
 * Whether a failure of the HTTP layer proves the request was never sent: it could not be built
 * or encoded, or the connection was refused before a byte went out.
 *
 * @since 0.2.0
 * @internal
 */
export const provesNotSent = (error: HttpClientError.HttpClientError): boolean => {
  switch (error.reason._tag) {
    case "EncodeError":
    case "InvalidUrlError":
      return true
    case "TransportError": {
      const codeAt = (cause: unknown, depth: number): boolean =>
        depth < 5 &&
        Predicate.isObject(cause) &&
        ((Predicate.hasProperty(cause, "code") && typeof cause.code === "string" && notSentCodes.has(cause.code)) ||
          (Predicate.hasProperty(cause, "cause") && codeAt(cause.cause, depth + 1)))
      return codeAt(error.reason.cause, 0)
    }
    default:
      return false
  }
}

/**
 * The wait the server asked for, 0 when it asked for none.
 *
 * @since 0.2.0
 * @internal
 */
export const retryAfterOf = (error: OmiseError): number =>
  (error._tag === "OmiseRateLimitError" || error._tag === "OmiseServerError") && error.retryAfterMillis !== undefined
    ? error.retryAfterMillis
    : 0

/**
 * Whether `error` may be retried, for a request that is (or is not) safe to send twice. A request
 * that is not may still be sent again after a failure that proves it was not processed (a
 * refused connection, 429). Whether it may have taken effect is `outcome.ts`'s question.
 *
 * @since 0.2.0
 * @internal
 */
export const isRetryable =
  (replayable: boolean) =>
  (error: OmiseError): boolean => {
    if (retryAfterOf(error) > longestRetryAfterMillis) return false
    switch (error._tag) {
      case "OmiseRateLimitError":
        return true
      case "OmiseTransportError":
        // For a write, not having taken effect means the failure proved it unsent (a GET says
        // false whatever happened: only `replayable` speaks for it).
        return replayable || (error.method !== "GET" && !error.mayHaveTakenEffect)
      case "OmiseTimeoutError":
        return replayable && error.kind === "attempt"
      case "OmiseServerError":
        return (
          replayable && (error.status === 500 || error.status === 502 || error.status === 503 || error.status === 504)
        )
      default:
        return false
    }
  }

/**
 * When true, a retry happens at once instead of after its backoff or `Retry-After`, and a 429
 * does not pause the client's gate: the fake's in-memory layer sets it, so that tests under the
 * `TestClock` do not stall. Which failures are retried, and how often, is unchanged.
 *
 * @since 0.2.0
 * @internal
 */
export const skipWaits: Context.Reference<boolean> = Context.Reference<boolean>(
  "effect-omise/internal/retry/skipWaits",
  { defaultValue: () => false }
)

/**
 * The waits between attempts: exponential from `base`, jittered when asked, capped at `cap`,
 * never shorter than the server's `Retry-After`. How many retries is left to the caller
 * (`Effect.retry`'s `times`).
 *
 * @since 0.2.0
 * @internal
 */
export const schedule = (policy: RetryPolicy): Schedule.Schedule<Duration.Duration, OmiseError> => {
  const exponential = Schedule.exponential(policy.base, 2).pipe(Schedule.setInputType<OmiseError>())
  const delays = policy.jitter ? Schedule.jittered(exponential) : exponential
  const cap = Duration.toMillis(policy.cap)
  return Schedule.modifyDelay(delays, ({ duration, input }) =>
    Effect.map(Effect.service(skipWaits), (skip) =>
      skip
        ? Duration.zero
        : // Whole milliseconds: jitter yields fractions that clocks counting in nanoseconds cannot hold.
          Duration.millis(Math.round(Math.max(Math.min(Duration.toMillis(duration), cap), retryAfterOf(input))))
    )
  )
}
