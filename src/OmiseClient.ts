/**
 * The configured transport to the Omise API: base URL, authentication, headers, and the one
 * request primitive every operation goes through. It maps every outcome into the `OmiseError`
 * union and applies the retry and timeout policies (see `Policy`).
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Headers from "@effect/platform/Headers"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import { decodesAtBoundedDepth, maxDepth, nestingProblem } from "./internal/nesting.js"
import { version } from "./internal/version.js"
import {
  OmiseAuthenticationError,
  OmiseDecodeError,
  type OmiseError,
  OmiseInvalidRequestError,
  OmiseNotFoundError,
  OmiseRateLimitError,
  OmiseServerError,
  OmiseTimeoutError,
  OmiseTransportError
} from "./OmiseError.js"
import * as OmiseMetrics from "./OmiseMetrics.js"
import * as Policy from "./Policy.js"

/**
 * The default API base URL.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultApiUrl = "https://api.omise.co"

/**
 * The API version this client models and pins by default (`Omise-Version` header).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultApiVersion = "2019-05-29"

/**
 * Options of {@link layer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The secret key (`skey_...`). Never a public key. */
  readonly secretKey: Redacted.Redacted<string>
  /** Default `https://api.omise.co`. */
  readonly apiUrl?: string | undefined
  /** Sent as `Omise-Version` on every request. Default `2019-05-29`. */
  readonly apiVersion?: string | undefined
  /** Appended to the `User-Agent`, e.g. `my-shop/1.2`. */
  readonly userAgent?: string | undefined
  /**
   * Default retry policy. Default: 2 retries, exponential from 500 ms, capped at 5 s, with jitter.
   * A server's `Retry-After` is honoured up to one minute; a longer one fails the call at once.
   */
  readonly retry?: Policy.RetryPolicy | undefined
  /** Default per-attempt timeout. Default 60 s. */
  readonly timeout?: Duration.DurationInput | undefined
  /** Default overall deadline of one request across attempts and waits. Default: none. */
  readonly deadline?: Duration.DurationInput | undefined
  /**
   * Allow a plain `http://` `apiUrl` on a host other than loopback. Off by default: the key
   * would travel in clear.
   */
  readonly allowInsecureHttp?: boolean | undefined
}

/**
 * One request to the API.
 *
 * @since 0.1.0
 * @category models
 */
export interface Request {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE"
  /** Path below the base URL, ids already validated and encoded. */
  readonly path: string
  readonly query?: ReadonlyArray<readonly [string, string]> | undefined
  /** Sent as JSON. */
  readonly body?: { readonly [key: string]: unknown } | undefined
  /** The operation it serves (`Customer.retrieve`), for metrics; default `METHOD other`. */
  readonly operation?: string | undefined
  /** The id of the object it concerns, recorded on the span as `omise.object_id`. */
  readonly objectId?: string | undefined
  /**
   * Whether sending it twice is harmless. Defaults to true for GET, PATCH and DELETE and false
   * for POST; a PATCH that attaches a card token must say false.
   */
  readonly replayable?: boolean | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly apiUrl: string
  readonly apiVersion: string
  readonly userAgent: string
  /** The policies used when no `Policy.with*` override is in force. */
  readonly defaults: Policy.Policies
  /**
   * Sends `request` (with retries and timeouts) and decodes a successful body with `schema`.
   * This is the escape hatch for endpoints this library does not wrap.
   */
  readonly execute: <A, I>(request: Request, schema: Schema.Schema<A, I>) => Effect.Effect<A, OmiseError>
}

/**
 * The configured Omise transport.
 *
 * @since 0.1.0
 * @category tags
 */
export class OmiseClient extends Context.Tag("effect-omise/OmiseClient")<OmiseClient, Service>() {}

const runtimeName = (): string | undefined => {
  const versions = globalThis.process?.versions
  if (versions === undefined) return undefined
  if (typeof versions.bun === "string") return `Bun/${versions.bun}`
  if (typeof versions.node === "string") return `Node/${versions.node}`
  return undefined
}

const invalid = (key: string, message: string) => ConfigError.InvalidData([key], message)

const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)

const checkOptions = (
  options: Options
): Either.Either<{ apiUrl: string; apiVersion: string }, ConfigError.ConfigError> => {
  // From JavaScript a plain string can arrive here; reading it as Redacted would throw.
  if (!Redacted.isRedacted(options.secretKey)) {
    return Either.left(invalid("secretKey", "expected a Redacted value (Redacted.make(key) or Config.redacted)"))
  }
  const key = Redacted.value(options.secretKey).trim()
  if (key === "") return Either.left(invalid("secretKey", "the Omise secret key is empty"))
  if (key.startsWith("pkey_")) {
    return Either.left(
      invalid("secretKey", "a public key (pkey_...) was given where the secret key (skey_...) belongs")
    )
  }
  const apiUrl = (options.apiUrl ?? defaultApiUrl).replace(/\/+$/, "")
  if (!URL.canParse(apiUrl)) return Either.left(invalid("apiUrl", `not a URL: ${apiUrl}`))
  const url = new URL(apiUrl)
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return Either.left(invalid("apiUrl", `unsupported protocol ${url.protocol}`))
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname) && options.allowInsecureHttp !== true) {
    return Either.left(
      invalid(
        "apiUrl",
        `refusing plain http to ${url.host}: the key would travel in clear (set allowInsecureHttp to allow)`
      )
    )
  }
  const apiVersion = options.apiVersion ?? defaultApiVersion
  if (!/^\d{4}-\d{2}-\d{2}$/.test(apiVersion)) {
    return Either.left(invalid("apiVersion", `expected a version such as 2019-05-29, got ${apiVersion}`))
  }
  return Either.right({ apiUrl, apiVersion })
}

const ErrorBody = Schema.Struct({
  object: Schema.Literal("error"),
  code: Schema.optional(Schema.String),
  message: Schema.optional(Schema.String),
  location: Schema.optional(Schema.String)
})
const isErrorBody = Schema.is(ErrorBody)
const parseJson = Schema.decodeUnknownEither(Schema.parseJson())

const excerpt = (text: string, max = 500): string => (text.length > max ? `${text.slice(0, max)}…` : text)

const describeParseError = (error: ParseResult.ParseError): string =>
  excerpt(
    ParseResult.ArrayFormatter.formatErrorSync(error)
      .map((issue) => (issue.path.length === 0 ? issue.message : `at ${issue.path.join(".")}: ${issue.message}`))
      .join("; "),
    1000
  )

/** Node error codes that prove a request never left the machine. */
const notSentCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"])

const provesNotSent = (error: HttpClientError.RequestError): boolean => {
  if (error.reason !== "Transport") return true
  let cause: unknown = error.cause
  for (let depth = 0; depth < 5 && Predicate.isObject(cause); depth++) {
    if (Predicate.hasProperty(cause, "code") && typeof cause.code === "string" && notSentCodes.has(cause.code)) {
      return true
    }
    cause = Predicate.hasProperty(cause, "cause") ? cause.cause : undefined
  }
  return false
}

const parseRetryAfter = (header: string | undefined, now: number): number | undefined => {
  if (header === undefined) return undefined
  const trimmed = header.trim()
  // A run of 400 digits is a number too, Infinity: no wait is ever that long.
  const millis = /^\d+(\.\d+)?$/.test(trimmed) ? Math.round(Number(trimmed) * 1000) : Date.parse(trimmed) - now
  return Number.isFinite(millis) ? Math.max(0, millis) : undefined
}

/**
 * The longest `Retry-After` a retry waits for. Beyond it the error goes back to the caller (with
 * `retryAfterMillis`) instead: a broken or hostile header must not park a call for hours.
 */
const longestRetryAfterMillis = 60_000

/**
 * Replaces the secret key, in every form the Authorization header carries it, by `<redacted>`.
 * A proxy or a debugging endpoint can reflect that header back, in a body or a header; whatever
 * the server says passes through this before it reaches an error or a span.
 */
const scrubber = (secretKey: Redacted.Redacted<string>): ((text: string) => string) => {
  // Trimmed, as the Authorization header carries it.
  const key = Redacted.value(secretKey).trim()
  const forms = [
    ...new Set([
      Encoding.encodeBase64(`${key}:`),
      Encoding.encodeBase64Url(`${key}:`),
      Encoding.encodeBase64(key),
      Encoding.encodeBase64Url(key),
      key
    ])
  ].filter((form) => form.length >= 8)
  return (text) => {
    let out = text
    for (const form of forms) if (out.includes(form)) out = out.replaceAll(form, "<redacted>")
    return out
  }
}

interface Attempt {
  readonly method: string
  readonly path: string
  readonly attempts: number
  readonly replayable: boolean
  /** An earlier attempt of this request ended without a known outcome. */
  readonly afterUncertain: boolean
  readonly scrub: (text: string) => string
}

const fromErrorStatus = (
  attempt: Attempt,
  response: HttpClientResponse.HttpClientResponse,
  text: string,
  json: Either.Either<unknown, ParseResult.ParseError>,
  now: number
): OmiseError => {
  const status = response.status
  const scrub = attempt.scrub
  const rawRequestId = response.headers["x-request-id"]
  const requestId = rawRequestId === undefined ? undefined : scrub(rawRequestId)
  const body = Either.isRight(json) && isErrorBody(json.right) ? json.right : undefined
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
  json: Either.Either<unknown, ParseResult.ParseError>
): Effect.Effect<never, OmiseError> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.fail(fromErrorStatus(attempt, response, text, json, now)))

const readResponse = <A>(
  attempt: Attempt,
  response: HttpClientResponse.HttpClientResponse,
  decode: (u: unknown) => Either.Either<A, ParseResult.ParseError>,
  /** Whether `decode` recurses only as deep as its schema (see `decodesAtBoundedDepth`). */
  bounded: boolean
): Effect.Effect<A, OmiseError> =>
  Effect.flatMap(
    Effect.mapError(
      response.text,
      (error) =>
        new OmiseTransportError({
          method: attempt.method,
          path: attempt.path,
          attempts: attempt.attempts,
          mayHaveTakenEffect: !attempt.replayable,
          detail: attempt.scrub(`the response body could not be read: ${error.description ?? error.reason}`),
          // Not the ResponseError itself: it holds the request, and the request its headers.
          cause: error.cause
        })
    ),
    (text) => {
      const status = response.status
      if (status < 200 || status > 299) return failWithStatus(attempt, response, text, parseJson(text))
      const rawRequestId = response.headers["x-request-id"]
      const decodeError = (detail: string) =>
        new OmiseDecodeError({
          method: attempt.method,
          path: attempt.path,
          attempts: attempt.attempts,
          status,
          detail: attempt.scrub(detail),
          body: excerpt(attempt.scrub(text)),
          ...(rawRequestId !== undefined ? { requestId: attempt.scrub(rawRequestId) } : {})
        })
      const json = parseJson(text)
      if (Either.isLeft(json)) {
        return Effect.fail(decodeError(text === "" ? "the body is empty" : "the body is not JSON"))
      }
      // A recursive schema decoding (or an error quoting) a value nested thousands of levels deep
      // would overflow the stack; the walk that prevents it is skipped where it cannot happen.
      const tooDeep = () => nestingProblem(json.right) !== undefined
      const deepError = () => decodeError(`the body nests deeper than ${maxDepth} levels`)
      if (!bounded && tooDeep()) return Effect.fail(deepError())
      if (isErrorBody(json.right)) return failWithStatus(attempt, response, text, json)
      const decoded = decode(json.right)
      if (Either.isRight(decoded)) return Effect.succeed(decoded.right)
      return Effect.fail(bounded && tooDeep() ? deepError() : decodeError(describeParseError(decoded.left)))
    }
  )

/**
 * The metrics of each operation, tagged once: tagging builds a new metric key, which is too much
 * work to repeat on every request.
 */
const operationMetrics = () => {
  const byOperation = new Map<
    string,
    {
      readonly retries: Metric.Metric.Counter<number>
      readonly rateLimited: Metric.Metric.Counter<number>
      readonly latency: Metric.Metric.Histogram<number>
    }
  >()
  const byOutcome = new Map<string, Metric.Metric.Counter<number>>()
  return {
    of: (operation: string) => {
      let found = byOperation.get(operation)
      if (found === undefined) {
        found = {
          retries: Metric.tagged(OmiseMetrics.retries, "operation", operation),
          rateLimited: Metric.tagged(OmiseMetrics.rateLimited, "operation", operation),
          latency: Metric.tagged(OmiseMetrics.latency, "operation", operation)
        }
        byOperation.set(operation, found)
      }
      return found
    },
    requests: (operation: string, outcome: string) => {
      const key = `${operation}\u0000${outcome}`
      let found = byOutcome.get(key)
      if (found === undefined) {
        found = Metric.tagged(Metric.tagged(OmiseMetrics.requests, "operation", operation), "outcome", outcome)
        byOutcome.set(key, found)
      }
      return found
    }
  }
}

const withAuthorization = (names: ReadonlyArray<string | RegExp>): ReadonlyArray<string | RegExp> =>
  names.some((name) => typeof name === "string" && name.toLowerCase() === "authorization")
    ? names
    : [...names, "authorization"]

const spanEvent = (name: string, attributes: Record<string, unknown>): Effect.Effect<void> =>
  Effect.currentSpan.pipe(
    Effect.flatMap((span) =>
      Effect.map(Clock.currentTimeMillis, (now) => span.event(name, BigInt(Math.round(now)) * 1_000_000n, attributes))
    ),
    Effect.ignore
  )

const retryAfterOf = (error: OmiseError): number =>
  (error._tag === "OmiseRateLimitError" || error._tag === "OmiseServerError") && error.retryAfterMillis !== undefined
    ? error.retryAfterMillis
    : 0

const isRetryable =
  (replayable: boolean) =>
  (error: OmiseError): boolean => {
    if (retryAfterOf(error) > longestRetryAfterMillis) return false
    switch (error._tag) {
      case "OmiseRateLimitError":
        return true
      case "OmiseTransportError":
        return replayable || !error.mayHaveTakenEffect
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

const retrySchedule = (policy: Policy.RetryPolicy) => {
  const exponential = Schedule.exponential(policy.base, 2)
  const delays = policy.jitter ? Schedule.jittered(exponential) : exponential
  return delays.pipe(
    Schedule.intersect(Schedule.recurs(policy.times)),
    Schedule.intersect(Schedule.identity<OmiseError>()),
    // Whole milliseconds: jitter yields fractions that clocks counting in nanoseconds cannot hold.
    Schedule.modifyDelay(([, error], delay) =>
      Duration.millis(
        Math.round(Math.max(Math.min(Duration.toMillis(delay), Duration.toMillis(policy.cap)), retryAfterOf(error)))
      )
    )
  )
}

/**
 * Builds the service from options and the `HttpClient` in context. Fails with a `ConfigError`
 * for an empty key, a public key, a malformed URL or version, or plain http off loopback.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Service, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const { apiUrl, apiVersion } = yield* checkOptions(options)
    const http = yield* HttpClient.HttpClient
    const userAgent = [`effect-omise/${version}`, runtimeName(), options.userAgent?.trim() || undefined]
      .filter((part) => part !== undefined)
      .join(" ")
    const defaults: Policy.Policies = {
      retry: options.retry ?? Policy.defaultRetry,
      timeout: options.timeout === undefined ? Policy.defaultTimeout : Duration.decode(options.timeout),
      deadline: options.deadline === undefined ? Option.none() : Option.some(Duration.decode(options.deadline))
    }
    // Built once: every request carries the same headers. `authorization` is among the names
    // @effect/platform redacts in logs and spans.
    const headers = Headers.fromInput({
      // Trimmed as it was checked: a key read from a file or an env var often ends in a newline.
      authorization: `Basic ${Encoding.encodeBase64(`${Redacted.value(options.secretKey).trim()}:`)}`,
      "omise-version": apiVersion,
      "user-agent": userAgent,
      accept: "application/json"
    })

    const toHttpRequest = (request: Request): HttpClientRequest.HttpClientRequest => {
      const base = HttpClientRequest.make(request.method)(apiUrl + request.path, {
        headers,
        ...(request.query !== undefined && request.query.length > 0 ? { urlParams: request.query } : {})
      })
      return request.body === undefined ? base : HttpClientRequest.bodyUnsafeJson(base, request.body)
    }

    const metrics = operationMetrics()
    const scrub = scrubber(options.secretKey)

    const execute = <A, I>(request: Request, schema: Schema.Schema<A, I>): Effect.Effect<A, OmiseError> => {
      const decode = Schema.decodeUnknownEither(schema)
      const depthBounded = decodesAtBoundedDepth(schema.ast)
      const replayable = request.replayable ?? request.method !== "POST"
      const httpRequest = toHttpRequest(request)
      const operation = request.operation ?? `${request.method} other`
      return Effect.flatMap(FiberRef.get(Policy.currentOverrides), (overrides) => {
        const policies = Policy.resolve(defaults, overrides)
        const timeoutMillis = Duration.toMillis(policies.timeout)
        let attempts = 0
        let uncertain = false
        let lastError: OmiseError | undefined
        let status: number | undefined
        let requestId: string | undefined
        const once = Effect.suspend(() => {
          attempts += 1
          const retrying =
            attempts > 1 && lastError !== undefined
              ? Effect.zipRight(
                  Metric.increment(metrics.of(operation).retries),
                  spanEvent("omise.retry", { "omise.attempt": attempts, "omise.previous_error": lastError._tag })
                )
              : Effect.void
          const attempt: Attempt = {
            method: request.method,
            path: request.path,
            attempts,
            replayable,
            afterUncertain: uncertain,
            scrub
          }
          return retrying.pipe(
            Effect.zipRight(
              // The key is in the Authorization header: keep that header redacted in the HTTP
              // spans and logs of @effect/platform even if the application replaced the names.
              Effect.locallyWith(http.execute(httpRequest), Headers.currentRedactedNames, withAuthorization)
            ),
            Effect.tap((response) =>
              Effect.sync(() => {
                status = response.status
                const header = response.headers["x-request-id"]
                requestId = header === undefined ? undefined : scrub(header)
              })
            ),
            Effect.catchAll((error) =>
              Effect.fail(
                new OmiseTransportError({
                  method: attempt.method,
                  path: attempt.path,
                  attempts: attempt.attempts,
                  mayHaveTakenEffect: !replayable && !(error._tag === "RequestError" && provesNotSent(error)),
                  detail: scrub(error.message),
                  // Not the HttpClientError itself: it holds the request, and the request its headers.
                  cause: error.cause
                })
              )
            ),
            Effect.flatMap((response) => readResponse(attempt, response, decode, depthBounded)),
            Effect.timeoutFail({
              duration: policies.timeout,
              onTimeout: () =>
                new OmiseTimeoutError({
                  method: attempt.method,
                  path: attempt.path,
                  attempts: attempt.attempts,
                  mayHaveTakenEffect: !replayable,
                  timeoutMillis,
                  kind: "attempt"
                })
            }),
            Effect.tapError((error) => {
              lastError = error
              uncertain ||=
                error._tag === "OmiseTransportError" ||
                error._tag === "OmiseTimeoutError" ||
                error._tag === "OmiseServerError"
              return error._tag === "OmiseRateLimitError"
                ? Metric.increment(metrics.of(operation).rateLimited)
                : Effect.void
            })
          )
        })
        const retried =
          policies.retry.times === 0
            ? once
            : Effect.retry(once, { schedule: retrySchedule(policies.retry), while: isRetryable(replayable) })
        const bounded = Option.match(policies.deadline, {
          onNone: () => retried,
          onSome: (deadline) =>
            Effect.timeoutFail(retried, {
              duration: deadline,
              onTimeout: () =>
                new OmiseTimeoutError({
                  method: request.method,
                  path: request.path,
                  attempts,
                  mayHaveTakenEffect: !replayable,
                  timeoutMillis: Duration.toMillis(deadline),
                  kind: "deadline"
                })
            })
        })
        return Effect.flatMap(Clock.currentTimeMillis, (start) =>
          Effect.onExit(bounded, (exit) =>
            Effect.flatMap(Clock.currentTimeMillis, (end) => {
              const outcome = Exit.isSuccess(exit)
                ? "success"
                : Option.match(Cause.failureOption(exit.cause), { onNone: () => "interrupted", onSome: (e) => e._tag })
              return Effect.all(
                [
                  Effect.annotateCurrentSpan({
                    "http.request.method": request.method,
                    "omise.path": request.path,
                    "omise.attempts": attempts,
                    "omise.outcome": outcome,
                    ...(request.objectId !== undefined ? { "omise.object_id": request.objectId } : {}),
                    ...(status !== undefined ? { "http.response.status_code": status } : {}),
                    ...(requestId !== undefined ? { "omise.request_id": requestId } : {})
                  }),
                  Metric.increment(metrics.requests(operation, outcome)),
                  Metric.update(metrics.of(operation).latency, end - start)
                ],
                { discard: true }
              )
            })
          )
        )
      })
    }

    return OmiseClient.of({ apiUrl, apiVersion, userAgent, defaults, execute })
  })

/**
 * The client as a layer, from options. Requires an `HttpClient` (e.g. `FetchHttpClient.layer`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<OmiseClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(OmiseClient, make(options))

/**
 * The client as a layer, from configuration: `OMISE_SECRET_KEY` (required, read as `Redacted`),
 * `OMISE_API_URL` and `OMISE_API_VERSION` (optional). Each can be replaced by another `Config`;
 * the remaining options are given as values.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options: Omit<Options, "secretKey" | "apiUrl" | "apiVersion"> & {
    readonly secretKey?: Config.Config<Redacted.Redacted<string>> | undefined
    readonly apiUrl?: Config.Config<Option.Option<string>> | undefined
    readonly apiVersion?: Config.Config<Option.Option<string>> | undefined
  } = {}
): Layer.Layer<OmiseClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(
    OmiseClient,
    Effect.gen(function* () {
      const secretKey = yield* options.secretKey ?? Config.redacted("OMISE_SECRET_KEY")
      const apiUrl = yield* options.apiUrl ?? Config.option(Config.string("OMISE_API_URL"))
      const apiVersion = yield* options.apiVersion ?? Config.option(Config.string("OMISE_API_VERSION"))
      return yield* make({
        ...options,
        secretKey,
        apiUrl: Option.getOrUndefined(apiUrl),
        apiVersion: Option.getOrUndefined(apiVersion)
      })
    })
  )
