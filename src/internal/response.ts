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
import { decodesAtBoundedDepth, maxDepth, nestingProblem } from "./nesting.js"
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
  readonly replayable: boolean
  /** An earlier attempt of this request ended without a known outcome. */
  readonly afterUncertain: boolean
  readonly scrub: (text: string) => string
}

/**
 * How a success body is decoded.
 *
 * @since 0.2.0
 * @internal
 */
export interface Decoding<A> {
  readonly decode: (input: unknown) => Result.Result<A, SchemaIssue.Issue>
  /** Whether `decode` recurses only as deep as its schema (see `decodesAtBoundedDepth`). */
  readonly bounded: boolean
}

/**
 * The decoding of `schema`, prepared once per request.
 *
 * @since 0.2.0
 * @internal
 */
export const decoding = <A>(schema: Schema.Decoder<A>): Decoding<A> => ({
  decode: SchemaParser.decodeUnknownResult(schema),
  bounded: decodesAtBoundedDepth(schema)
})

const ErrorBody = Schema.Struct({
  object: Schema.Literal("error"),
  code: Schema.optional(Schema.String),
  message: Schema.optional(Schema.String),
  location: Schema.optional(Schema.String)
})
type ErrorBody = typeof ErrorBody.Type
const isErrorBody = Schema.is(ErrorBody)
const parseJson = SchemaParser.decodeUnknownResult(Schema.fromJsonString(Schema.Unknown))

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

const requestIdOf = (attempt: Attempt, response: HttpClientResponse.HttpClientResponse): string | undefined => {
  const raw = response.headers["x-request-id"]
  return raw === undefined ? undefined : attempt.scrub(raw)
}

/**
 * The error for a response that is not a success.
 *
 * @since 0.2.0
 * @internal
 */
export const fromErrorStatus = (
  attempt: Attempt,
  response: HttpClientResponse.HttpClientResponse,
  text: string,
  body: ErrorBody | undefined,
  now: number
): OmiseError => {
  const status = response.status
  const scrub = attempt.scrub
  const requestId = requestIdOf(attempt, response)
  const contentType = response.headers["content-type"] ?? "no content type"
  const fields = {
    method: attempt.method,
    path: attempt.path,
    attempts: attempt.attempts,
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
  if (status === 404 || (status < 400 && code === "not_found")) {
    // A DELETE whose earlier attempt may have deleted the object: gone now says nothing of failure.
    return new OmiseNotFoundError({
      ...fields,
      mayHaveTakenEffect: attempt.afterUncertain && attempt.method === "DELETE"
    })
  }
  if (status === 401 || status === 403 || (status < 400 && code === "authentication_failure")) {
    return new OmiseAuthenticationError(fields)
  }
  if (status === 429) return new OmiseRateLimitError(withRetryAfter)
  if (status >= 500 && status <= 599) {
    return new OmiseServerError({ ...withRetryAfter, mayHaveTakenEffect: !attempt.replayable })
  }
  if ((status >= 400 && status <= 499) || body !== undefined) return new OmiseInvalidRequestError(fields)
  return new OmiseDecodeError({
    method: attempt.method,
    path: attempt.path,
    attempts: attempt.attempts,
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
  text: string,
  body: ErrorBody | undefined
): Effect.Effect<never, OmiseError> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.fail(fromErrorStatus(attempt, response, text, body, now)))

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
    mayHaveTakenEffect: !attempt.replayable,
    detail: attempt.scrub(`the response body could not be read: ${description}`),
    cause
  })

/**
 * Reads `response` to the end and decodes it: the value on a 2xx whose body is what `decoding`
 * expects, the error its status or body calls for otherwise.
 *
 * @since 0.2.0
 * @internal
 */
export const read = <A>(
  attempt: Attempt,
  response: HttpClientResponse.HttpClientResponse,
  decoding: Decoding<A>
): Effect.Effect<A, OmiseError> =>
  Effect.flatMap(
    Effect.mapError(response.text, (error) =>
      // Not the HttpClientError itself: it holds the request, and the request its headers.
      unreadable(attempt, error.reason.description ?? error.reason._tag, error.reason.cause)
    ),
    (text) => {
      const status = response.status
      const json = parseJson(text)
      if (status < 200 || status > 299) {
        const body = Result.isSuccess(json) && isErrorBody(json.success) ? json.success : undefined
        return failWithStatus(attempt, response, text, body)
      }
      const requestId = requestIdOf(attempt, response)
      const decodeError = (detail: string) =>
        new OmiseDecodeError({
          method: attempt.method,
          path: attempt.path,
          attempts: attempt.attempts,
          status,
          detail: attempt.scrub(detail),
          body: excerpt(attempt.scrub(text)),
          ...(requestId !== undefined ? { requestId } : {})
        })
      if (Result.isFailure(json)) {
        return Effect.fail(decodeError(text === "" ? "the body is empty" : "the body is not JSON"))
      }
      const value = json.success
      // A recursive schema decoding (or an error quoting) a value nested thousands of levels deep
      // would overflow the stack; the walk that prevents it is skipped where it cannot happen.
      const tooDeep = () => nestingProblem(value) !== undefined
      const deepError = () => decodeError(`the body nests deeper than ${maxDepth} levels`)
      if (!decoding.bounded && tooDeep()) return Effect.fail(deepError())
      if (isErrorBody(value)) return failWithStatus(attempt, response, text, value)
      const decoded = decoding.decode(value)
      if (Result.isSuccess(decoded)) return Effect.succeed(decoded.success)
      return Effect.fail(decoding.bounded && tooDeep() ? deepError() : decodeError(describeIssue(decoded.failure)))
    }
  )
