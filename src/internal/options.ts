/**
 * Checks the options of the client before anything is sent: a key that is a secret key, a URL
 * the key may travel to, a version the API knows the shape of.
 *
 * @since 0.2.0
 * @internal
 */
import * as Config from "effect/Config"
import * as Duration from "effect/Duration"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import type { Overrides, RetryPolicy } from "../Policy.js"
import * as Durations from "./duration.js"
import { version } from "./version.js"

/**
 * @since 0.2.0
 * @internal
 */
export const defaultApiUrl = "https://api.omise.co"

/**
 * @since 0.2.0
 * @internal
 */
export const defaultApiVersion = "2019-05-29"

/**
 * The options this module checks (a subset of `OmiseClient.Options`).
 *
 * @since 0.2.0
 * @internal
 */
export interface Input {
  readonly secretKey: Redacted.Redacted<string>
  readonly apiUrl?: string | undefined
  readonly apiVersion?: string | undefined
  readonly userAgent?: string | undefined
  readonly allowInsecureHttp?: boolean | undefined
  readonly timeout?: Duration.Input | undefined
  readonly deadline?: Duration.Input | undefined
  readonly maxConcurrentRequests?: number | undefined
  readonly maxResponseBytes?: number | undefined
  readonly retry?: RetryPolicy | undefined
}

/**
 * Options that passed the checks.
 *
 * @since 0.2.0
 * @internal
 */
export interface Checked {
  /** Trimmed, as the Authorization header carries it. */
  readonly secretKey: Redacted.Redacted<string>
  readonly apiUrl: string
  readonly apiVersion: string
  readonly userAgent: string
  /** Absent when not given: the caller applies its default. */
  readonly timeout: Duration.Duration | undefined
  readonly deadline: Duration.Duration | undefined
  readonly maxConcurrentRequests: number
  readonly maxResponseBytes: number
  /** Absent when not given: the caller applies its default. */
  readonly retry: RetryPolicy | undefined
}

/**
 * The default bound on requests in flight per client layer: Omise asks for at most 10 parallel
 * requests per account.
 *
 * @since 0.2.0
 * @internal
 */
export const defaultMaxConcurrentRequests = 10

/**
 * The default bound on a response body, decompressed: 16 MiB, a hundred times Omise's largest
 * page (100 customers with their cards, about 150 kB).
 *
 * @since 0.2.0
 * @internal
 */
export const defaultMaxResponseBytes = 16 * 1024 * 1024

/**
 * A `ConfigError` saying what is wrong with the option `key`. No value in the issue: the value
 * may be the key itself.
 *
 * @since 0.2.0
 * @internal
 */
export const invalid = (key: string, message: string): Config.ConfigError =>
  new Config.ConfigError(
    new Schema.SchemaError(new SchemaIssue.Pointer([key], new SchemaIssue.InvalidValue({ message })))
  )

const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)

const runtimeName = (): string | undefined => {
  const versions: unknown = globalThis.process?.versions
  if (!Predicate.isObject(versions)) return undefined
  if (Predicate.hasProperty(versions, "bun") && typeof versions.bun === "string") return `Bun/${versions.bun}`
  if (Predicate.hasProperty(versions, "node") && typeof versions.node === "string") return `Node/${versions.node}`
  return undefined
}

/**
 * `effect-omise/<version> <runtime>/<version> <suffix>`.
 *
 * @since 0.2.0
 * @internal
 */
export const userAgent = (suffix: string | undefined): string =>
  [`effect-omise/${version}`, runtimeName(), suffix?.trim() || undefined].filter((part) => part !== undefined).join(" ")

// Visible ASCII and spaces: a header value with a line break could add headers of its own, and
// one outside Latin-1 cannot be sent at all.
const isHeaderText = (text: string): boolean => /^[\x20-\x7e\t]*$/.test(text)

/** A duration option: a positive `Duration.Input` (infinity allowed), see `duration.ts`. */
const positiveDuration = (
  key: string,
  input: Duration.Input | undefined
): Result.Result<Duration.Duration | undefined, Config.ConfigError> => {
  if (input === undefined) return Result.succeed(undefined)
  const duration = Durations.positive(input)
  return duration === undefined ? Result.fail(invalid(key, Durations.expected)) : Result.succeed(duration)
}

/**
 * What is wrong with a retry policy, if anything: `field: why`. `Policy.retry` never throws, so
 * a policy made from bad values (or by hand) is refused where it is used: by the layer (a
 * `ConfigError`) and by every request under `Policy.withRetry` (`OmiseInvalidArgumentError`).
 *
 * @since 0.2.0
 * @internal
 */
export const retryProblem = (policy: RetryPolicy): string | undefined => {
  if (!Predicate.isObject(policy) || policy._tag !== "RetryPolicy") {
    return "expected a policy from Policy.retry (or Policy.defaultRetry, Policy.noRetry)"
  }
  if (!Number.isSafeInteger(policy.times) || policy.times < 0) {
    // Infinity included: retrying without end holds a call (and a permit of the gate) forever.
    return "times: expected a whole number of retries, 0 or more (not Infinity: bound the whole call with Policy.withDeadline instead)"
  }
  if (!Durations.isPositive(policy.base)) return `base: ${Durations.expected}`
  if (!Durations.isPositive(policy.cap)) return `cap: ${Durations.expected}`
  if (typeof policy.jitter !== "boolean") return "jitter: expected true or false"
  return undefined
}

/**
 * What is wrong with the `Policy.with*` overrides in force, if anything: which combinator, and
 * why. They hold what the combinators were given, a value that is not a positive duration as
 * zero (see `Policy.withTimeout`).
 *
 * @since 0.2.0
 * @internal
 */
export const overridesProblem = (
  overrides: Overrides
): { readonly combinator: string; readonly detail: string } | undefined => {
  if (overrides.retry !== undefined) {
    const problem = retryProblem(overrides.retry)
    if (problem !== undefined) return { combinator: "Policy.withRetry", detail: problem }
  }
  if (overrides.timeout !== undefined && !Durations.isPositive(overrides.timeout)) {
    return { combinator: "Policy.withTimeout", detail: Durations.expected }
  }
  if (overrides.deadline !== undefined && !Durations.isPositive(overrides.deadline)) {
    return { combinator: "Policy.withDeadline", detail: Durations.expected }
  }
  return undefined
}

const positiveInteger = (
  key: string,
  input: number | undefined,
  fallback: number
): Result.Result<number, Config.ConfigError> => {
  if (input === undefined) return Result.succeed(fallback)
  return Number.isSafeInteger(input) && input > 0
    ? Result.succeed(input)
    : Result.fail(invalid(key, "expected a positive integer"))
}

const checkApiUrl = (options: Input): Result.Result<string, Config.ConfigError> => {
  const raw = options.apiUrl ?? defaultApiUrl
  // The URL is never quoted back: whatever is wrong with it, it may hold a key.
  if (typeof raw !== "string" || !URL.canParse(raw))
    return Result.fail(invalid("apiUrl", "not a URL (expected an absolute https URL such as https://api.omise.co)"))
  const url = new URL(raw)
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return Result.fail(invalid("apiUrl", `unsupported protocol ${url.protocol}`))
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname) && options.allowInsecureHttp !== true) {
    return Result.fail(
      invalid(
        "apiUrl",
        `refusing plain http to ${url.host}: the key would travel in clear (set allowInsecureHttp to allow)`
      )
    )
  }
  if (url.username !== "" || url.password !== "") {
    return Result.fail(
      invalid("apiUrl", "user info (user:password@) is not allowed: the key goes in the secretKey option only")
    )
  }
  if (raw.includes("?") || raw.includes("#")) {
    return Result.fail(invalid("apiUrl", "a query or fragment is not allowed: give the origin and an optional path"))
  }
  // Normalised (lower-case host, default port dropped); a path prefix is kept, without its
  // trailing slashes, since every request path starts with one.
  return Result.succeed(`${url.origin}${url.pathname.replace(/\/+$/, "")}`)
}

/**
 * Fails with a `ConfigError` for an empty key, a public key, a malformed URL (one with user
 * info, a query or a fragment included), plain http off loopback, a malformed version, a user
 * agent that is not header text, a timeout or deadline that is not a positive duration, a bound
 * that is not a positive integer, or a retry policy that {@link retryProblem} refuses. No message quotes the value it rejects.
 *
 * @since 0.2.0
 * @internal
 */
export const check = (options: Input): Result.Result<Checked, Config.ConfigError> =>
  Result.gen(function* () {
    // From JavaScript a plain string can arrive here; reading it as Redacted would throw.
    if (!Redacted.isRedacted(options.secretKey)) {
      return yield* Result.fail(
        invalid("secretKey", "expected a Redacted value (Redacted.make(key) or Config.Redacted)")
      )
    }
    const key = Redacted.value(options.secretKey).trim()
    if (key === "") return yield* Result.fail(invalid("secretKey", "the Omise secret key is empty"))
    if (key.startsWith("pkey_")) {
      return yield* Result.fail(
        invalid("secretKey", "a public key (pkey_...) was given where the secret key (skey_...) belongs")
      )
    }
    const apiUrl = yield* checkApiUrl(options)
    const apiVersion = options.apiVersion ?? defaultApiVersion
    if (typeof apiVersion !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(apiVersion)) {
      return yield* Result.fail(invalid("apiVersion", "expected a version such as 2019-05-29"))
    }
    if (
      options.userAgent !== undefined &&
      (typeof options.userAgent !== "string" || !isHeaderText(options.userAgent))
    ) {
      return yield* Result.fail(
        invalid("userAgent", "expected printable ASCII text (no line breaks or other control characters)")
      )
    }
    const retry = options.retry === undefined ? undefined : retryProblem(options.retry)
    if (retry !== undefined) return yield* Result.fail(invalid("retry", retry))
    return {
      retry: options.retry,
      secretKey: Redacted.make(key),
      apiUrl,
      apiVersion,
      userAgent: userAgent(options.userAgent),
      timeout: yield* positiveDuration("timeout", options.timeout),
      deadline: yield* positiveDuration("deadline", options.deadline),
      maxConcurrentRequests: yield* positiveInteger(
        "maxConcurrentRequests",
        options.maxConcurrentRequests,
        defaultMaxConcurrentRequests
      ),
      maxResponseBytes: yield* positiveInteger("maxResponseBytes", options.maxResponseBytes, defaultMaxResponseBytes)
    }
  })
