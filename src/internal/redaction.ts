/**
 * Keeping the secret key out of everything the library records: what the server says back, and
 * the header names the HTTP layer redacts in its spans and logs.
 *
 * @since 0.2.0
 * @internal
 */
import * as Base64 from "effect/encoding/Base64"
import * as Base64Url from "effect/encoding/Base64Url"
import * as Redacted from "effect/Redacted"

/**
 * Replaces the secret key, in every form the Authorization header carries it, by `<redacted>`.
 * A proxy or a debugging endpoint can reflect that header back, in a body or a header; whatever
 * the server says passes through this before it reaches an error or a span.
 *
 * @since 0.2.0
 * @internal
 */
export const scrubber = (secretKey: Redacted.Redacted<string>): ((text: string) => string) => {
  // Trimmed, as the Authorization header carries it.
  const key = Redacted.value(secretKey).trim()
  const forms = [
    ...new Set([Base64.encode(`${key}:`), Base64Url.encode(`${key}:`), Base64.encode(key), Base64Url.encode(key), key])
  ].filter((form) => form.length >= 8)
  return (text) => forms.reduce((out, form) => (out.includes(form) ? out.replaceAll(form, "<redacted>") : out), text)
}

/**
 * The header names to redact, with `authorization` always among them: the key is in that
 * header, and an application that replaced the names must not expose it in HTTP spans and logs.
 *
 * @since 0.2.0
 * @internal
 */
export const withAuthorization = (names: ReadonlyArray<string | RegExp>): ReadonlyArray<string | RegExp> =>
  names.some((name) => typeof name === "string" && name.toLowerCase() === "authorization")
    ? names
    : [...names, "authorization"]

/**
 * The `Authorization` header value: Basic auth with the key as user and an empty password.
 *
 * @since 0.2.0
 * @internal
 */
export const basicAuthorization = (secretKey: Redacted.Redacted<string>): string =>
  `Basic ${Base64.encode(`${Redacted.value(secretKey).trim()}:`)}`
