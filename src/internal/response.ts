/**
 * Reading a response into the result of one attempt: the decoded success, or the member of the
 * error union its status and body call for. Everything the server says is scrubbed of the key
 * before it reaches an error.
 *
 * @since 0.2.0
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import * as SchemaParser from "effect/SchemaParser"
import {
  OmiseAuthenticationError,
  OmiseDecodeError,
  type OmiseError,
  OmiseInvalidRequestError,
  OmiseNotFoundError,
  OmiseRateLimitError,
  OmiseServerError,
  OmiseTransportError
} from "../OmiseError.js"
import * as Body from "./body.js"
import { jsonTooDeep, maxDepth } from "./nesting.js"
import { type Failure, mayHaveTakenEffect } from "./outcome.js"
import { parseRetryAfter } from "./retry.js"

/**
 * What one attempt knows about itself when it reads a response.
 *
 * @since 0.2.0
 * @internal
 */
export interface Attempt {
  readonly method: string
  readonly path: string
  /** This attempt's number, from 1. */
  readonly attempts: number
  /** An earlier attempt of this request may have taken effect. */
  readonly uncertain: boolean
  readonly scrub: (text: string) => string
  /** The URL the request went to, without its query: a response from elsewhere was redirected. */
  readonly url: string
  /** The most bytes of a body read (see `body.ts`). */
  readonly maxResponseBytes: number
}

/**
 * How a success body is decoded.
 *
 * @since 0.2.0
 * @internal
 */
export interface Decoding<A> {
  readonly decode: (input: unknown) => Result.Result<A, SchemaIssue.Issue>
}

const decodings = new WeakMap<Schema.Decoder<unknown>, Decoding<unknown>>()

/**
 * The decoding of `schema`, prepared once per schema (an operation passes the same schema on
 * every call).
 *
 * @since 0.2.0
 * @internal
 */
export const decoding = <A>(schema: Schema.Decoder<A>): Decoding<A> => {
  const found = decodings.get(schema)
  // Stored under `schema` itself, so it decodes to `A`.
  if (found !== undefined) return found as Decoding<A>
  const made: Decoding<A> = { decode: SchemaParser.decodeUnknownResult(schema) }
  decodings.set(schema, made)
  return made
}

const ErrorBody = Schema.Struct({
  object: Schema.Literal("error"),
  code: Schema.optional(Schema.String),
  message: Schema.optional(Schema.String),
  location: Schema.optional(Schema.String)
})
type ErrorBody = typeof ErrorBody.Type
const isErrorBody = Schema.is(ErrorBody)
// `JSON.parse` itself: the schema around it cost as much again on every response.
const parseJson = (text: string): Result.Result<unknown, unknown> => Result.try(() => JSON.parse(text) as unknown)

const excerpt = (text: string, max = 500): string => (text.length > max ? `${text.slice(0, max)}…` : text)

const formatIssue = SchemaIssue.makeFormatterStandardSchemaV1()

const describeIssue = (issue: SchemaIssue.Issue): string =>
  excerpt(
    formatIssue(issue)
      .issues.map((item) => {
        const path = item.path ?? []
        return path.length === 0
          ? item.message
          : `at ${path.map((key) => String(typeof key === "object" ? key.key : key)).join(".")}: ${item.message}`
      })
      .join("; "),
    1000
  )

/**
 * The `X-Request-Id` of `response`, scrubbed of the key: read once per response.
 *
 * @since 0.2.0
 * @internal
 */
export const requestIdOf = (
  scrub: (text: string) => string,
  response: HttpClientResponse.HttpClientResponse
): string | undefined => {
  const raw = response.headers["x-request-id"]
  return raw === undefined ? undefined : scrub(raw)
}

/** POST, PATCH and DELETE: a 2xx to them says the write happened, whatever its body. */
const isWrite = (attempt: Attempt): boolean => attempt.method !== "GET"

const mayHave = (attempt: Attempt, failure: Failure): boolean => mayHaveTakenEffect(attempt.method, failure, attempt)

/**
 * The error for a response that is not a success.
 *
 * @since 0.2.0
 * @internal
 */
export const fromErrorStatus = (
  attempt: Attempt,
  response: HttpClientResponse.HttpClientResponse,
  requestId: string | undefined,
  text: string,
  body: ErrorBody | undefined,
  now: number
): OmiseError => {
  const status = response.status
  const scrub = attempt.scrub
  const contentType = response.headers["content-type"] ?? "no content type"
  const fields = {
    method: attempt.method,
    path: attempt.path,
    attempts: attempt.attempts,
    // A 4xx or 429 proves a write was refused (unless an earlier attempt may have landed); an
    // error body under a 2xx does not (the status says the write happened, the body says no).
    mayHaveTakenEffect: mayHave(attempt, status),
    status,
    // Scrubbed before the excerpt is cut, so that no part of a reflected key survives.
    detail: scrub(
      body?.message ??
        `HTTP ${status} with a body that is not an Omise error (${contentType}): ${excerpt(scrub(text), 200)}`
    ),
    ...(body?.code !== undefined ? { code: scrub(body.code) } : {}),
    ...(body?.location !== undefined ? { location: scrub(body.location) } : {}),
    ...(requestId !== undefined ? { requestId } : {})
  }
  const retryAfter = parseRetryAfter(response.headers["retry-after"], now)
  const withRetryAfter = retryAfter === undefined ? fields : { ...fields, retryAfterMillis: retryAfter }
  const code = body?.code
  // A DELETE whose earlier attempt may have deleted the object: gone now says nothing of failure
  // (`mayHaveTakenEffect` is then true, and the operation's recovery reads it so).
  if (status === 404 || (status < 400 && code === "not_found")) return new OmiseNotFoundError(fields)
  if (status === 401 || status === 403 || (status < 400 && code === "authentication_failure")) {
    return new OmiseAuthenticationError(fields)
  }
  if (status === 429) return new OmiseRateLimitError(withRetryAfter)
  if (status >= 500 && status <= 599) {
    return new OmiseServerError(withRetryAfter)
  }
  if ((status >= 400 && status <= 499) || body !== undefined) return new OmiseInvalidRequestError(fields)
  return new OmiseDecodeError({
    method: attempt.method,
    path: attempt.path,
    attempts: attempt.attempts,
    // A status no HTTP client should hand over (0 is a browser's opaque redirect): for a write,
    // nothing says it was not processed.
    mayHaveTakenEffect: fields.mayHaveTakenEffect,
    status,
    detail: `unexpected HTTP status ${status}`,
    body: excerpt(scrub(text)),
    ...(requestId !== undefined ? { requestId } : {})
  })
}

/** The error for a response that is not a success, reading the time for a dated `Retry-After`. */
const failWithStatus = (
  attempt: Attempt,
  response: HttpClientResponse.HttpClientResponse,
  requestId: string | undefined,
  text: string,
  body: ErrorBody | undefined
): Effect.Effect<never, OmiseError> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) =>
    Effect.fail(fromErrorStatus(attempt, response, requestId, text, body, now))
  )

/**
 * The failure of an attempt whose response body could not be read.
 *
 * @since 0.2.0
 * @internal
 */
const unreadable = (attempt: Attempt, description: string, cause: unknown): OmiseTransportError =>
  new OmiseTransportError({
    method: attempt.method,
    path: attempt.path,
    attempts: attempt.attempts,
    // The request was sent and answered; what the answer said is lost.
    mayHaveTakenEffect: mayHave(attempt, "unanswered"),
    detail: attempt.scrub(`the response body could not be read: ${description}`),
    cause
  })

// Omise never redirects. A redirect is not followed (the request is sent with `redirect:
// "manual"`, and clients of Node's `http` or undici do not follow): it comes back here, or, from
// an HTTP client that follows anyway, as a response from another URL.
const redirected = (attempt: Attempt, response: HttpClientResponse.HttpClientResponse): boolean => {
  if (response.status >= 300 && response.status <= 399) return true
  const url = response.url
  if (url === "" || url === attempt.url) return false
  return !url.startsWith(attempt.url) || url.charCodeAt(attempt.url.length) !== 63 /* ? */
}

const decodeError = (
  attempt: Attempt,
  response: HttpClientResponse.HttpClientResponse,
  requestId: string | undefined,
  text: string,
  detail: string
): OmiseDecodeError =>
  new OmiseDecodeError({
    method: attempt.method,
    path: attempt.path,
    attempts: attempt.attempts,
    // A 2xx to a write says it happened; a redirect that a write got, that whatever answered at
    // the first URL may have processed it.
    mayHaveTakenEffect: mayHave(attempt, response.status),
    status: response.status,
    detail: attempt.scrub(detail),
    body: excerpt(attempt.scrub(text)),
    ...(requestId !== undefined ? { requestId } : {})
  })

const redirectError = (
  attempt: Attempt,
  response: HttpClientResponse.HttpClientResponse,
  requestId: string | undefined,
  text: string
) => {
  const location = response.headers["location"]
  const to = location === undefined ? "" : ` to ${excerpt(attempt.scrub(location), 200)}`
  const what =
    response.status >= 300 && response.status <= 399
      ? `unexpected HTTP status ${response.status}: a redirect${to}, not followed (Omise never redirects)`
      : "the HTTP client followed a redirect to another URL (Omise never redirects)"
  return decodeError(attempt, response, requestId, text, what)
}

/**
 * Reads `response` (at most `maxResponseBytes` of it) and decodes it: the value on a 2xx whose
 * body is what `decoding` expects, the error its status or body calls for otherwise. A 2xx to a
 * write that cannot be decoded says the write may have taken effect: it most likely did.
 *
 * @since 0.2.0
 * @internal
 */
export const read = <A>(
  attempt: Attempt,
  response: HttpClientResponse.HttpClientResponse,
  requestId: string | undefined,
  decoding: Decoding<A>
): Effect.Effect<A, OmiseError> =>
  Effect.flatMap(
    Effect.mapError(Body.read(response, attempt.maxResponseBytes), (error) =>
      // Not the HttpClientError itself: it holds the request, and the request its headers.
      unreadable(attempt, error.reason.description ?? error.reason._tag, error.reason.cause)
    ),
    ({ complete, text }) => {
      const status = response.status
      if (redirected(attempt, response)) return Effect.fail(redirectError(attempt, response, requestId, text))
      const success = status >= 200 && status <= 299
      if (!success) {
        // A cut body is no Omise error: the status alone decides.
        const json = complete ? parseJson(text) : undefined
        const body =
          json !== undefined && Result.isSuccess(json) && isErrorBody(json.success) ? json.success : undefined
        return failWithStatus(attempt, response, requestId, text, body)
      }
      const written = isWrite(attempt)
      const failed = (detail: string) =>
        Effect.fail(
          decodeError(
            attempt,
            response,
            requestId,
            text,
            written
              ? `the write was answered HTTP ${status}, so it has most likely taken effect, but the body could not be decoded: ${detail}`
              : detail
          )
        )
      if (!complete) {
        return failed(
          `the body is larger than maxResponseBytes (${attempt.maxResponseBytes} bytes); it was not read further`
        )
      }
      const json = parseJson(text)
      if (Result.isFailure(json)) return failed(text === "" ? "the body is empty" : "the body is not JSON")
      const value = json.success
      // Decoding keeps parts of the body as they came (metadata); anything printing a value nested
      // thousands of levels deep (an error quoting it, `JSON.stringify`, a log) overflows the stack.
      if (jsonTooDeep(value)) return failed(`the body nests deeper than ${maxDepth} levels`)
      if (isErrorBody(value)) return failWithStatus(attempt, response, requestId, text, value)
      const decoded = decoding.decode(value)
      if (Result.isSuccess(decoded)) return Effect.succeed(decoded.success)
      return failed(describeIssue(decoded.failure))
    }
  )
