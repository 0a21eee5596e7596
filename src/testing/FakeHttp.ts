/**
 * The transport-neutral request and response the fake Omise speaks, so one
 * emulation can sit behind an in-memory `HttpClient` and a `node:http` server.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Base64 from "effect/encoding/Base64"

/**
 * A request as the emulation sees it. Header names are lower-case.
 *
 * @since 0.1.0
 * @category models
 */
export interface FakeRequest {
  readonly method: string
  /** The path without the query string, e.g. `/customers/cust_test_...`. */
  readonly path: string
  /** The raw query string (with or without the leading `?`) or parsed params. */
  readonly query: string | URLSearchParams
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array | undefined
}

/**
 * A response as the emulation produces it.
 *
 * @since 0.1.0
 * @category models
 */
export interface FakeResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * The request was processed (its effects are in the fake's state), but the
 * client must see the connection drop instead of the response: the case where
 * a POST took effect and the caller cannot tell.
 *
 * @since 0.1.0
 * @category errors
 */
export class FakeConnectionDropped extends Data.TaggedError("FakeConnectionDropped")<{
  readonly method: string
  readonly path: string
  /** The response the server would have sent. */
  readonly response: FakeResponse
}> {
  override get message(): string {
    return `connection dropped after processing ${this.method} ${this.path}`
  }
}

/**
 * Builds a {@link FakeRequest}, defaulting the parts a test does not care about.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeRequest = (options: {
  readonly method: string
  readonly path: string
  readonly query?: string | URLSearchParams | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
  readonly body?: Uint8Array | string | undefined
}): FakeRequest => {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    headers[name.toLowerCase()] = value
  }
  return {
    method: options.method.toUpperCase(),
    path: options.path,
    query: options.query ?? "",
    headers,
    body: typeof options.body === "string" ? new TextEncoder().encode(options.body) : options.body
  }
}

/**
 * The `Authorization` header value for an Omise key: HTTP Basic with the key
 * as user name and an empty password.
 *
 * @since 0.1.0
 * @category constructors
 */
export const basicAuth = (key: string): string => `Basic ${Base64.encode(`${key}:`)}`
