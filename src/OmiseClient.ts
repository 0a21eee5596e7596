/**
 * The configured transport to the Omise API: base URL, authentication, headers, and the one
 * request primitive every operation goes through. It maps every outcome into the `OmiseError`
 * union and applies the retry and timeout policies (see `Policy`).
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Headers from "effect/http/Headers"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import type * as Schema from "effect/Schema"
import { execute as executeRequest, type Transport } from "./internal/execute.js"
import * as Gate from "./internal/gate.js"
import * as Checks from "./internal/options.js"
import { basicAuthorization, scrubber } from "./internal/redaction.js"
import { operationOf } from "./internal/request.js"
import type * as Internal from "./internal/request.js"
import { metricsCache } from "./internal/telemetry.js"
import { type OmiseError, OmiseInvalidArgumentError } from "./OmiseError.js"
import * as Policy from "./Policy.js"

/**
 * The default API base URL.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultApiUrl: string = Checks.defaultApiUrl

/**
 * The API version this client models and pins by default (`Omise-Version` header).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultApiVersion: string = Checks.defaultApiVersion

/**
 * Options of {@link layer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The secret key (`skey_...`). Never a public key. */
  readonly secretKey: Redacted.Redacted<string>
  /**
   * Default `https://api.omise.co`. A path prefix is kept (`https://proxy.example/omise` sends
   * `/omise/customers/...`); user info (`https://user@host`), a query and a fragment are refused.
   */
  readonly apiUrl?: string | undefined
  /** Sent as `Omise-Version` on every request. Default `2019-05-29`. */
  readonly apiVersion?: string | undefined
  /** Appended to the `User-Agent`, e.g. `my-shop/1.2`: printable ASCII, no control characters. */
  readonly userAgent?: string | undefined
  /**
   * Default retry policy. Default: 2 retries, exponential from 500 ms, capped at 5 s, with jitter.
   * A server's `Retry-After` is honoured up to one minute; a longer one fails the call at once.
   * A policy outside the bounds of `Policy.retry` fails the layer with a `ConfigError`.
   */
  readonly retry?: Policy.RetryPolicy | undefined
  /** Default per-attempt timeout, a positive duration. Default 60 s. */
  readonly timeout?: Duration.Input | undefined
  /**
   * Default overall deadline of one request across attempts and waits, a positive duration.
   * Default: none.
   */
  readonly deadline?: Duration.Input | undefined
  /**
   * The most requests this client has in flight at once, across every fiber and stream that uses
   * it; more wait their turn. Omise asks for at most 10 parallel requests per account. A 429 with
   * `Retry-After` also holds back every request of the client for that long. Default 10.
   *
   * @since 0.2.0
   */
  readonly maxConcurrentRequests?: number | undefined
  /**
   * The most bytes of a response body read (counted after decompression). A larger body fails
   * the call as soon as the bound is passed, with `OmiseDecodeError`. Default 16 MiB; Omise's
   * largest page (100 customers) is about 150 kB.
   *
   * @since 0.2.0
   */
  readonly maxResponseBytes?: number | undefined
  /**
   * Send the trace context of the current span (`traceparent` and `b3` headers) to Omise. Off by
   * default: it tells a third party about your internal traces. The client spans are recorded
   * either way.
   *
   * @since 0.2.0
   */
  readonly propagateTraceContext?: boolean | undefined
  /**
   * Allow a plain `http://` `apiUrl` on a host other than loopback. Off by default: the key
   * would travel in clear.
   */
  readonly allowInsecureHttp?: boolean | undefined
}

/**
 * One request to the API: method, path below the base URL (ids validated and encoded), query,
 * JSON body, the operation it serves (for metrics), the object it concerns (for the span) and
 * whether sending it twice is harmless (default: every method but POST).
 *
 * @since 0.1.0
 * @category models
 */
export interface Request extends Internal.Request {}

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
   * This is the escape hatch for endpoints this library does not wrap. The call is recorded on
   * a span of its own, named after `request.operation` (or `OmiseClient.execute`), unless it
   * runs directly in the span of that name (as every operation of this library does). A body
   * that cannot be encoded as JSON, or a `Policy.with*` override outside its bounds, fails with
   * `OmiseInvalidArgumentError` before anything is sent.
   */
  readonly execute: <A>(request: Request, schema: Schema.Decoder<A>) => Effect.Effect<A, OmiseError>
}

/**
 * The configured Omise transport.
 *
 * @since 0.1.0
 * @category tags
 */
export class OmiseClient extends Context.Service<OmiseClient, Service>()("effect-omise/OmiseClient") {}

/**
 * Builds the service from options and the `HttpClient` in context. Fails with a `ConfigError`
 * for an empty key, a public key, a malformed URL (user info, a query or a fragment included) or
 * version, plain http off loopback, a user agent with control characters, a timeout or deadline
 * that is not a positive duration, a bound that is not a positive integer, or a retry policy
 * outside the bounds of `Policy.retry`. Each client built
 * holds its own gate (see `maxConcurrentRequests`): build one per account and share it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Service, Config.ConfigError, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const checked = yield* Effect.fromResult(Checks.check(options))
    const { apiUrl, apiVersion, secretKey, userAgent } = checked
    const http = yield* HttpClient.HttpClient
    const defaults: Policy.Policies = {
      retry: checked.retry ?? Policy.defaultRetry,
      timeout: checked.timeout ?? Policy.defaultTimeout,
      deadline: Option.fromUndefinedOr(checked.deadline)
    }
    // Built once: every request carries the same headers. `authorization` is among the names the
    // HTTP layer redacts in logs and spans.
    const headers = Headers.fromInput({
      authorization: basicAuthorization(secretKey),
      "omise-version": apiVersion,
      "user-agent": userAgent,
      accept: "application/json"
    })
    const scrub = scrubber(secretKey)
    const toHttpRequest = (request: Request): Effect.Effect<HttpClientRequest.HttpClientRequest, OmiseError> => {
      const base = HttpClientRequest.make(request.method)(apiUrl + request.path, {
        headers,
        ...(request.query !== undefined && request.query.length > 0 ? { urlParams: request.query } : {})
      })
      if (request.body === undefined) return Effect.succeed(base)
      // A body given to `execute` directly was never validated: one JSON cannot encode (a bigint,
      // a cycle, a throwing `toJSON`) is a bad argument, and nothing is sent.
      return Effect.mapError(
        HttpClientRequest.bodyJson(base, request.body),
        (error) =>
          new OmiseInvalidArgumentError({
            operation: operationOf(request),
            argument: "body",
            detail: scrub(`cannot be encoded as JSON${causeText(error.cause)}`)
          })
      )
    }
    const transport: Transport = {
      http,
      toHttpRequest,
      scrub,
      metrics: metricsCache(),
      apiUrl,
      gate: yield* Gate.make(checked.maxConcurrentRequests),
      maxResponseBytes: checked.maxResponseBytes,
      propagateTraceContext: options.propagateTraceContext === true
    }
    return OmiseClient.of({
      apiUrl,
      apiVersion,
      userAgent,
      defaults,
      execute: (request, schema) =>
        Effect.flatMap(Effect.service(Policy.currentOverrides), (overrides) => {
          // The defaults were checked above; an override is checked where it applies.
          const problem = Checks.overridesProblem(overrides)
          return problem === undefined
            ? executeRequest(transport, request, schema, Policy.resolve(defaults, overrides))
            : Effect.fail(
                new OmiseInvalidArgumentError({
                  operation: operationOf(request),
                  argument: problem.combinator,
                  detail: problem.detail
                })
              )
        })
    })
  })

// What JSON encoding threw, briefly: the caller's text, and reading more of it could throw again.
const causeText = (cause: unknown): string => {
  const message = Result.try(() => (cause instanceof Error && typeof cause.message === "string" ? cause.message : ""))
  return Result.isSuccess(message) && message.success !== "" ? `: ${message.success.slice(0, 200)}` : ""
}

/**
 * The client as a layer, from options. Requires an `HttpClient` (e.g. `FetchHttpClient.layer`).
 *
 * @example
 * ```ts
 * import { Effect, Layer, Redacted } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { Customer, OmiseClient } from "effect-omise"
 *
 * const Omise = OmiseClient.layer({ secretKey: Redacted.make("skey_test_5xyz"), timeout: "30 seconds" }).pipe(
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * const customer = Customer.retrieve("cust_test_5xyz").pipe(Effect.provide(Omise))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<OmiseClient, Config.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(OmiseClient, make(options))

// Config providers read an empty variable as a missing one: say both, naming the variable.
const secretKeyFromEnv: Effect.Effect<Redacted.Redacted<string>, Config.ConfigError> = Effect.gen(function* () {
  const key = yield* Config.option(Config.Redacted("OMISE_SECRET_KEY"))
  if (Option.isSome(key)) return key.value
  return yield* Effect.fail(
    Checks.invalid(
      "OMISE_SECRET_KEY",
      "is missing or empty: set OMISE_SECRET_KEY to your Omise secret key (skey_test_... for test mode, skey_live_... for live)"
    )
  )
})

/**
 * The client as a layer, from configuration: `OMISE_SECRET_KEY` (required, read as `Redacted`),
 * `OMISE_API_URL` and `OMISE_API_VERSION` (optional). Each can be replaced by another `Config`;
 * the remaining options are given as values.
 *
 * @example
 * ```ts
 * import { Config, Effect, Layer } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { Customer, OmiseClient } from "effect-omise"
 *
 * // OMISE_SECRET_KEY, or a variable of your own:
 * const Omise = OmiseClient.layerConfig({ secretKey: Config.Redacted("PAYMENTS_OMISE_KEY") }).pipe(
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * const customers = Customer.list({ limit: 10 }).pipe(Effect.provide(Omise))
 * ```
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
): Layer.Layer<OmiseClient, Config.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(
    OmiseClient,
    Effect.gen(function* () {
      const secretKey = yield* options.secretKey ?? secretKeyFromEnv
      const apiUrl = yield* options.apiUrl ?? Config.option(Config.String("OMISE_API_URL"))
      const apiVersion = yield* options.apiVersion ?? Config.option(Config.String("OMISE_API_VERSION"))
      return yield* make({
        ...options,
        secretKey,
        apiUrl: Option.getOrUndefined(apiUrl),
        apiVersion: Option.getOrUndefined(apiVersion)
      })
    })
  )
