/**
 * A recording fake `HttpClient`: it answers from a script and keeps every request it saw, so
 * tests can assert the request that went out and the value or error that came back.
 */
import type * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as OmiseClient from "../../src/OmiseClient.js"
import * as Policy from "../../src/Policy.js"

export interface Recorded {
  readonly method: string
  readonly url: URL
  readonly path: string
  readonly query: Record<string, string>
  readonly headers: Readonly<Record<string, string>>
  readonly contentType: string | undefined
  readonly body: unknown
}

export type Reply =
  | { readonly status: number; readonly json: unknown; readonly headers?: Record<string, string> }
  | { readonly status: number; readonly text: string; readonly headers?: Record<string, string> }
  | { readonly never: true }
  | { readonly transport: string; readonly code?: string }

export const json = (json: unknown, status = 200, headers: Record<string, string> = {}): Reply => ({
  status,
  json,
  headers
})

export interface Recording {
  readonly requests: Array<Recorded>
  readonly layer: Layer.Layer<HttpClient.HttpClient>
  /** The OmiseClient over this fake, with retries off unless `options` say otherwise. */
  readonly client: (options?: Partial<OmiseClient.Options>) => Layer.Layer<OmiseClient.OmiseClient, Config.ConfigError>
}

export const secretKey = "skey_test_5recordingkey"
export const apiUrl = "https://api.test"

/**
 * Replies are used in order; the last one repeats.
 */
export const make = (...replies: ReadonlyArray<Reply>): Recording =>
  makeWith((_, index) => replies[Math.min(index, replies.length - 1)]!)

/**
 * Each reply is computed from the request (and its index) by `respond`.
 */
export const makeWith = (respond: (request: Recorded, index: number) => Reply): Recording =>
  makeEffect((request, index) => Effect.succeed(respond(request, index)))

/**
 * Each reply is an effect computed from the request (and its index): it may wait, or never end.
 */
export const makeEffect = (respond: (request: Recorded, index: number) => Effect.Effect<Reply>): Recording => {
  const requests: Array<Recorded> = []
  const http = HttpClient.make((request, url) =>
    Effect.suspend(() => {
      const body =
        request.body._tag === "Uint8Array" ? JSON.parse(new TextDecoder().decode(request.body.body)) : undefined
      const recorded: Recorded = {
        method: request.method,
        url,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: request.headers,
        contentType: request.body._tag === "Uint8Array" ? request.body.contentType : undefined,
        body
      }
      requests.push(recorded)
      const index = requests.length - 1
      return Effect.flatMap(respond(recorded, index), (reply) => answer(request, reply, index + 1))
    })
  )
  const answer = (
    request: HttpClientRequest.HttpClientRequest,
    reply: Reply,
    number: number
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
    if ("never" in reply) return Effect.never
    if ("transport" in reply) {
      const cause = Object.assign(new TypeError("fetch failed"), {
        cause: Object.assign(new Error(reply.transport), { code: reply.code ?? "ECONNRESET" })
      })
      return Effect.fail(
        new HttpClientError.HttpClientError({ reason: new HttpClientError.TransportError({ request, cause }) })
      )
    }
    const text = "json" in reply ? JSON.stringify(reply.json) : reply.text
    const headers = {
      "content-type": "json" in reply ? "application/json; charset=utf-8" : "text/html",
      "x-request-id": `req-${number}`,
      ...reply.headers
    }
    return Effect.succeed(HttpClientResponse.fromWeb(request, new Response(text, { status: reply.status, headers })))
  }
  const layer = Layer.succeed(HttpClient.HttpClient, http)
  return {
    requests,
    layer,
    client: (options = {}) =>
      OmiseClient.layer({ secretKey: Redacted.make(secretKey), apiUrl, retry: Policy.noRetry, ...options }).pipe(
        Layer.provide(layer)
      )
  }
}

export const basicAuth = `Basic ${Buffer.from(`${secretKey}:`).toString("base64")}`
