/**
 * The fake Omise in memory: the real `OmiseClient` over an `HttpClient` that
 * calls the emulation directly (no sockets), plus the {@link OmiseFake}
 * handle to seed data, mint tokens, inject faults and read the requests seen.
 *
 * ```ts
 * import { OmiseFake } from "effect-omise/testing"
 *
 * it.effect("creates a customer", () =>
 *   Effect.gen(function*() {
 *     const fake = yield* OmiseFake.OmiseFake
 *     const card = yield* fake.createToken()
 *     const customer = yield* Customer.create({ email: "a@example.com", card })
 *     // ...
 *   }).pipe(Effect.provide(OmiseFake.layer())))
 * ```
 *
 * Each call of {@link layer} makes a fake with its own state. A layer value is
 * built once per test even when provided twice, nested (effect 4 shares it);
 * call `layer()` again, or wrap it in `Layer.fresh`, for a second fake. Time in
 * the fake comes from the effect `Clock`, so `TestClock` drives creation
 * times, schedules and injected latency.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as OmiseClient from "../OmiseClient.js"
import type * as FakeHttp from "./FakeHttp.js"
import * as OmiseEmulator from "./OmiseEmulator.js"

/**
 * The handle on the fake behind the layer.
 *
 * @since 0.1.0
 * @category tags
 */
export class OmiseFake extends Context.Service<OmiseFake, OmiseEmulator.OmiseEmulator>()(
  "effect-omise/testing/OmiseFake"
) {}

/**
 * Options of {@link layer}: the fake's, plus the client's.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends OmiseEmulator.Options {
  /**
   * Options for the `OmiseClient` built over the fake (API version, retry,
   * timeout, ...). Its secret key is the fake's pinned `secretKey`, or a test key.
   */
  readonly client?: Omit<OmiseClient.Options, "secretKey" | "apiUrl" | "allowInsecureHttp"> | undefined
}

/**
 * The secret key the in-memory client uses unless `secretKey` pins another.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultSecretKey = "skey_test_fake000000000000000"

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
 * An `HttpClient` that sends every request to `fake` in memory. A fault that
 * drops the connection after processing surfaces as an `HttpClientError`
 * whose `reason` is a `TransportError`, as a reset socket would; "no
 * response" never completes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const httpClient = (fake: OmiseEmulator.OmiseEmulator): HttpClient.HttpClient =>
  HttpClient.make((request, url) =>
    Effect.gen(function* () {
      const { bytes, contentType } = yield* encodeBody(request)
      const headers: Record<string, string> = { ...request.headers }
      if (contentType !== undefined && headers["content-type"] === undefined) headers["content-type"] = contentType
      if (bytes !== undefined) headers["content-length"] = String(bytes.length)
      const reply = yield* fake
        .handle({
          method: request.method,
          path: url.pathname,
          query: url.search,
          headers,
          body: bytes
        })
        .pipe(
          Effect.catchTag("FakeConnectionDropped", (dropped) =>
            Effect.fail(transportError(request, "connection reset by peer after the request was sent", dropped))
          )
        )
      return yield* toWebResponse(request, reply)
    })
  )

/**
 * Only the fake handle, with fresh state.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFake = (options: OmiseEmulator.Options = {}): Layer.Layer<OmiseFake> =>
  Layer.effect(OmiseFake, OmiseEmulator.make(options))

/**
 * An in-memory `HttpClient` over a fresh fake, plus its handle: for building
 * your own `OmiseClient` (with `apiUrl` left at the default).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerHttpClient = (options: OmiseEmulator.Options = {}): Layer.Layer<HttpClient.HttpClient | OmiseFake> =>
  Layer.provideMerge(inMemoryHttp(), layerFake(options))

// A new layer value per call: effect 4 shares a layer value across nested `provide`s, and a
// shared constant here would hand an inner fake's client the outer fake's handle.
const inMemoryHttp = (): Layer.Layer<HttpClient.HttpClient, never, OmiseFake> =>
  Layer.effect(HttpClient.HttpClient, Effect.map(Effect.service(OmiseFake), httpClient))

/**
 * The real `OmiseClient` over a fresh in-memory fake, plus the fake's handle.
 * Swap it in for a real client with one `Effect.provide(OmiseFake.layer())`.
 * A client option the client rejects (an ill-formed `apiVersion`) is a
 * defect here: it is a mistake in the test, not a condition to handle.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<OmiseClient.OmiseClient | OmiseFake> => {
  const { client, ...fakeOptions } = options
  return OmiseClient.layer({ ...client, secretKey: Redacted.make(options.secretKey ?? defaultSecretKey) }).pipe(
    Layer.orDie,
    Layer.provide(inMemoryHttp()),
    Layer.provideMerge(layerFake(fakeOptions))
  )
}
