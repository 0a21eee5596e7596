/**
 * An `HttpClient` that hands each request to a fake's handler in memory: the bytes a transport
 * would send, the response a socket would give, and a reset connection for a fault that drops
 * it after processing.
 *
 * @since 0.2.0
 */
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Stream from "effect/Stream"
import type * as FakeHttp from "../FakeHttp.js"

const transportError = (request: HttpClientRequest.HttpClientRequest, description: string, cause?: unknown) =>
  new HttpClientError.HttpClientError({
    reason: new HttpClientError.TransportError({ request, description, cause })
  })

const encodeError = (request: HttpClientRequest.HttpClientRequest, description: string, cause?: unknown) =>
  new HttpClientError.HttpClientError({
    reason: new HttpClientError.EncodeError({ request, description, cause })
  })

/** The bytes and content type a transport would put on the wire for this body. */
const encodeBody = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<
  { readonly bytes: Uint8Array | undefined; readonly contentType: string | undefined },
  HttpClientError.HttpClientError
> => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return Effect.succeed({ bytes: undefined, contentType: undefined })
    case "Uint8Array":
      return Effect.succeed({ bytes: body.body, contentType: body.contentType })
    case "Raw": {
      const raw = body.body
      if (typeof raw === "string")
        return Effect.succeed({ bytes: new TextEncoder().encode(raw), contentType: body.contentType })
      if (raw instanceof Uint8Array) return Effect.succeed({ bytes: raw, contentType: body.contentType })
      if (raw instanceof URLSearchParams) {
        return Effect.succeed({
          bytes: new TextEncoder().encode(raw.toString()),
          contentType: body.contentType ?? "application/x-www-form-urlencoded"
        })
      }
      return Effect.fail(encodeError(request, "unsupported raw body"))
    }
    case "FormData": {
      // Omise takes no files; the text fields travel as a form body.
      const form = new URLSearchParams()
      body.formData.forEach((value, key) => {
        if (typeof value === "string") form.append(key, value)
      })
      return Effect.succeed({
        bytes: new TextEncoder().encode(form.toString()),
        contentType: "application/x-www-form-urlencoded"
      })
    }
    case "Stream":
      return Stream.mkUint8Array(body.stream).pipe(
        Effect.map((bytes) => ({ bytes, contentType: body.contentType })),
        Effect.mapError((cause) => encodeError(request, "the request body stream failed", cause))
      )
  }
}

const toWebResponse = (request: HttpClientRequest.HttpClientRequest, reply: FakeHttp.FakeResponse) =>
  Effect.try({
    try: () =>
      HttpClientResponse.fromWeb(request, new Response(reply.body, { status: reply.status, headers: reply.headers })),
    catch: (cause) => transportError(request, `the fake produced an unusable response (status ${reply.status})`, cause)
  })

/**
 * The client over `handle`.
 *
 * @since 0.2.0
 * @category constructors
 */
export const httpClient = (
  handle: (request: FakeHttp.FakeRequest) => Effect.Effect<FakeHttp.FakeResponse, FakeHttp.FakeConnectionDropped>
): HttpClient.HttpClient =>
  HttpClient.make((request, url) =>
    Effect.gen(function* () {
      const { bytes, contentType } = yield* encodeBody(request)
      const headers: Record<string, string> = { ...request.headers }
      if (contentType !== undefined && headers["content-type"] === undefined) headers["content-type"] = contentType
      if (bytes !== undefined) headers["content-length"] = String(bytes.length)
      const reply = yield* handle({
        method: request.method,
        path: url.pathname,
        query: url.search,
        headers,
        body: bytes
      }).pipe(
        Effect.catchTag("FakeConnectionDropped", (dropped) =>
          Effect.fail(transportError(request, "connection reset by peer after the request was sent", dropped))
        )
      )
      return yield* toWebResponse(request, reply)
    })
  )
