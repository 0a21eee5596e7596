/**
 * Whether a failed request may have taken effect at Omise: the one answer every error's
 * `mayHaveTakenEffect` carries. The house rule is that a write is never reported as not having
 * happened unless it provably did not. Whether a request may be sent again (`replayable`) is a
 * different question, answered in `retry.ts`.
 *
 * @since 0.2.0
 * @internal
 */

/**
 * How one attempt failed, as far as its effect goes: it provably never left this machine (the
 * connection was refused, or it was still queued for the gate or for a retry when the deadline
 * passed), it left and no answer was read (a reset connection, an unreadable body, a timeout),
 * or an answer with this HTTP status was read.
 *
 * @since 0.2.0
 * @internal
 */
export type Failure = "notSent" | "unanswered" | number

/**
 * Whether an answer with `status` proves the request was not processed: a 4xx says the request
 * was refused as it came (a proxy that answers one has not forwarded it), and 429 says it was not
 * let in. A 2xx (with an error body, or one that cannot be decoded) says it was processed; a 5xx
 * may come after the work was done; a redirect or a status outside HTTP's proves nothing.
 */
const refused = (status: number): boolean => status >= 400 && status <= 499

/**
 * Whether this attempt alone may have taken effect (were it a write).
 *
 * @since 0.2.0
 * @internal
 */
export const attemptMayHaveTakenEffect = (failure: Failure): boolean =>
  failure === "notSent" ? false : failure === "unanswered" ? true : !refused(failure)

/**
 * Whether a request with `method` that ended in `failure` may have taken effect: never for a
 * GET; for a write, yes unless the failure proves it was not processed, and yes whenever an
 * earlier attempt may have been (`progress.uncertain`), so a write whose retries ran out, or whose
 * retry was refused, still says so.
 *
 * @since 0.2.0
 * @internal
 */
export const mayHaveTakenEffect = (
  method: string,
  failure: Failure,
  progress: { readonly uncertain: boolean }
): boolean => method !== "GET" && (progress.uncertain || attemptMayHaveTakenEffect(failure))
