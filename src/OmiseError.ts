/**
 * The closed union of everything an Omise operation can fail with.
 *
 * Every error says where it happened (HTTP method and path), what the server said (status, Omise
 * `code` and `message`, `X-Request-Id`) and, after retries, how many attempts were made. None of
 * them ever holds the secret key: requests are summarised by method and path only.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

// Absent when constructed (`new OmiseNotFoundError({ method, path, status, detail })`) and absent
// on the wire (an error sent across a worker boundary by an older sender) both mean the default.
const attempts = Schema.Number.pipe(
  Schema.withDecodingDefaultKey(Effect.succeed(1)),
  Schema.withConstructorDefault(Effect.succeed(1))
)
const mayHaveTakenEffect = Schema.Boolean.pipe(
  Schema.withDecodingDefaultKey(Effect.succeed(false)),
  Schema.withConstructorDefault(Effect.succeed(false))
)

/**
 * Fields shared by every error that concerns one request.
 *
 * @since 0.1.0
 * @category fields
 */
export const RequestFields = {
  /** HTTP method of the request, e.g. `GET`. */
  method: Schema.String,
  /** Path of the request, without host or query string, e.g. `/customers/cust_test_1`. */
  path: Schema.String,
  /** How many attempts were made before giving up (1 when the request was not retried). */
  attempts,
  /**
   * True when the request is a write (POST, PATCH, DELETE) that may have taken effect although
   * the call failed: it lost its connection after sending, timed out, was answered with a 5xx, a
   * redirect or a 2xx that could not be read, or an earlier attempt of it did one of these. False
   * for every GET, and for a write only when it provably did not happen: the connection was
   * refused, Omise (or a proxy) answered a 4xx or 429 to its only attempts, or it was still
   * queued when its deadline passed. Check the object before acting on a write that says true.
   * Whether a failed write is retried is a separate question: see `Policy.RetryPolicy`.
   */
  mayHaveTakenEffect
}

/**
 * Fields shared by every error built from an HTTP response.
 *
 * @since 0.1.0
 * @category fields
 */
export const ResponseFields = {
  ...RequestFields,
  /** HTTP status of the response. */
  status: Schema.Number,
  /** The Omise error `code` (`not_found`, `used_token`, `invalid_card`, ...), when the body had one. */
  code: Schema.optional(Schema.String),
  /** The Omise error `message`, or a short excerpt of a body that was not an Omise error. */
  detail: Schema.String,
  /** The `location` of the Omise error (a link to its documentation), when given. */
  location: Schema.optional(Schema.String),
  /** The `X-Request-Id` response header, when the server sent one: quote it to Omise support. */
  requestId: Schema.optional(Schema.String)
}

/**
 * The object does not exist (HTTP 404, Omise code `not_found`).
 *
 * @since 0.1.0
 * @category errors
 */
export class OmiseNotFoundError extends Schema.TaggedError<OmiseNotFoundError>()(
  "OmiseNotFoundError",
  ResponseFields
) {}

/**
 * The key was missing, wrong, or not allowed to do this (HTTP 401 or 403).
 *
 * @since 0.1.0
 * @category errors
 */
export class OmiseAuthenticationError extends Schema.TaggedError<OmiseAuthenticationError>()(
  "OmiseAuthenticationError",
  ResponseFields
) {}

/**
 * Omise rejected the request (any other 4xx); `code` says why (`used_token`, `invalid_card`,
 * `bad_request`, `invalid_filter`, ...).
 *
 * @since 0.1.0
 * @category errors
 */
export class OmiseInvalidRequestError extends Schema.TaggedError<OmiseInvalidRequestError>()(
  "OmiseInvalidRequestError",
  ResponseFields
) {}

/**
 * Too many requests (HTTP 429). `retryAfterMillis` is the wait the server asked for, when it sent
 * a `Retry-After` header.
 *
 * @since 0.1.0
 * @category errors
 */
export class OmiseRateLimitError extends Schema.TaggedError<OmiseRateLimitError>()("OmiseRateLimitError", {
  ...ResponseFields,
  /** The server's `Retry-After`, in milliseconds. */
  retryAfterMillis: Schema.optional(Schema.Number)
}) {}

/**
 * Omise (or a proxy in front of it) failed (HTTP 5xx).
 *
 * @since 0.1.0
 * @category errors
 */
export class OmiseServerError extends Schema.TaggedError<OmiseServerError>()("OmiseServerError", {
  ...ResponseFields,
  /** The server's `Retry-After` (503), in milliseconds. */
  retryAfterMillis: Schema.optional(Schema.Number)
}) {}

/**
 * No response was received: the connection failed, was reset, or the request could not be sent.
 *
 * @since 0.1.0
 * @category errors
 */
export class OmiseTransportError extends Schema.TaggedError<OmiseTransportError>()("OmiseTransportError", {
  ...RequestFields,
  /** What went wrong, from the HTTP layer. */
  detail: Schema.String,
  /** The underlying failure, for debugging. */
  cause: Schema.optional(Schema.Defect())
}) {}

/**
 * An attempt took longer than its timeout, or the request's overall deadline passed.
 *
 * @since 0.1.0
 * @category errors
 */
export class OmiseTimeoutError extends Schema.TaggedError<OmiseTimeoutError>()("OmiseTimeoutError", {
  ...RequestFields,
  /** The limit that was reached, in milliseconds. */
  timeoutMillis: Schema.Number,
  /** `attempt` for a per-attempt timeout, `deadline` for the overall deadline. */
  kind: Schema.Literals(["attempt", "deadline"])
}) {}

/**
 * A response was not what the API promises: not JSON, or not the documented shape. `detail`
 * says what was wrong and `body` holds the start of what came back.
 *
 * @since 0.1.0
 * @category errors
 */
export class OmiseDecodeError extends Schema.TaggedError<OmiseDecodeError>()("OmiseDecodeError", {
  ...RequestFields,
  /** HTTP status of the response. */
  status: Schema.Number,
  /** What did not match. */
  detail: Schema.String,
  /** The start of the body that came back (at most 500 characters). */
  body: Schema.String,
  /** The `X-Request-Id` response header, when the server sent one. */
  requestId: Schema.optional(Schema.String)
}) {}

/**
 * An argument was rejected before any request was sent.
 *
 * @since 0.1.0
 * @category errors
 */
export class OmiseInvalidArgumentError extends Schema.TaggedError<OmiseInvalidArgumentError>()(
  "OmiseInvalidArgumentError",
  {
    /** The operation that rejected it, e.g. `Customer.retrieve`. */
    operation: Schema.String,
    /** Which argument, e.g. `id` or `params`. */
    argument: Schema.String,
    /** Why it was rejected. */
    detail: Schema.String
  }
) {}

/**
 * The schema of the {@link OmiseError} union, e.g. to send errors across a worker boundary.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OmiseError = Schema.Union([
  OmiseNotFoundError,
  OmiseAuthenticationError,
  OmiseInvalidRequestError,
  OmiseRateLimitError,
  OmiseServerError,
  OmiseTransportError,
  OmiseTimeoutError,
  OmiseDecodeError,
  OmiseInvalidArgumentError
])

/**
 * Every error an Omise operation can fail with.
 *
 * @since 0.1.0
 * @category models
 */
export type OmiseError = typeof OmiseError.Type

/**
 * Errors that carry an HTTP response from Omise.
 *
 * @since 0.1.0
 * @category models
 */
export type OmiseResponseError =
  OmiseNotFoundError | OmiseAuthenticationError | OmiseInvalidRequestError | OmiseRateLimitError | OmiseServerError

// One `message` for every member: the text `describe` makes of its fields.
const message: PropertyDescriptor = {
  get(this: OmiseError): string {
    return describe(this)
  },
  configurable: true,
  enumerable: false
}
for (const member of OmiseError.members) Object.defineProperty(member.prototype, "message", message)

// The one text of every error's `message`: where (method and path, status, Omise code), what,
// then how many attempts, whether a write may have landed, and the request id to quote.
function describe(self: OmiseError): string {
  if (self._tag === "OmiseInvalidArgumentError") return `${self.operation}: invalid ${self.argument}: ${self.detail}`
  const parts = [`${self.method} ${self.path}`]
  if ("status" in self) parts.push(`HTTP ${self.status}`)
  if ("code" in self && self.code !== undefined) parts.push(self.code)
  let text = `${parts.join(" ")}: ${what(self)}`
  if (self.attempts > 1) text += ` (after ${self.attempts} attempts)`
  if (self.mayHaveTakenEffect) text += " (the request may have taken effect)"
  if ("requestId" in self && self.requestId !== undefined) text += ` [request id ${self.requestId}]`
  return text
}

function what(self: Exclude<OmiseError, OmiseInvalidArgumentError>): string {
  switch (self._tag) {
    case "OmiseRateLimitError":
      return self.retryAfterMillis === undefined
        ? self.detail
        : `${self.detail} (retry after ${self.retryAfterMillis} ms)`
    case "OmiseTimeoutError":
      return self.kind === "attempt"
        ? `no response within the per-attempt timeout of ${self.timeoutMillis} ms`
        : `the deadline of ${self.timeoutMillis} ms passed`
    case "OmiseDecodeError":
      return `unexpected response: ${self.detail}`
    default:
      return self.detail
  }
}
