/**
 * Checks the options of the client before anything is sent: a key that is a secret key, a URL
 * the key may travel to, a version the API knows the shape of.
 *
 * @since 0.2.0
 * @internal
 */
import * as Config from "effect/Config"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
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
}

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

/**
 * Fails with a `ConfigError` for an empty key, a public key, a malformed URL or version, or
 * plain http off loopback.
 *
 * @since 0.2.0
 * @internal
 */
export const check = (options: Input): Result.Result<Checked, Config.ConfigError> => {
  // From JavaScript a plain string can arrive here; reading it as Redacted would throw.
  if (!Redacted.isRedacted(options.secretKey)) {
    return Result.fail(invalid("secretKey", "expected a Redacted value (Redacted.make(key) or Config.Redacted)"))
  }
  const key = Redacted.value(options.secretKey).trim()
  if (key === "") return Result.fail(invalid("secretKey", "the Omise secret key is empty"))
  if (key.startsWith("pkey_")) {
    return Result.fail(
      invalid("secretKey", "a public key (pkey_...) was given where the secret key (skey_...) belongs")
    )
  }
  const apiUrl = (options.apiUrl ?? defaultApiUrl).replace(/\/+$/, "")
  if (!URL.canParse(apiUrl)) return Result.fail(invalid("apiUrl", `not a URL: ${apiUrl}`))
  const url = new URL(apiUrl)
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
  const apiVersion = options.apiVersion ?? defaultApiVersion
  if (!/^\d{4}-\d{2}-\d{2}$/.test(apiVersion)) {
    return Result.fail(invalid("apiVersion", `expected a version such as 2019-05-29, got ${apiVersion}`))
  }
  return Result.succeed({
    secretKey: Redacted.make(key),
    apiUrl,
    apiVersion,
    userAgent: userAgent(options.userAgent)
  })
}
