/**
 * Issue 12 item 2: Omise never redirects, so a redirect is never followed. Any 3xx is an
 * `OmiseDecodeError` ("unexpected HTTP status"), exactly one request is made, the key goes to no
 * other URL, and a write's error says it may have taken effect. Over a real loopback server, with
 * both HTTP clients an application is likely to provide (`fetch` follows redirects by default).
 */
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Customer from "../../src/Customer.js"
import * as OmiseClient from "../../src/OmiseClient.js"
import type { OmiseError } from "../../src/OmiseError.js"
import { CUSTOMER_ID, customer2019 } from "../fixtures/bodies.js"
import { type Loopback, serve } from "./loopback.js"

const secretKey = "skey_test_5redirectsecret"
const OTHER_ID = "cust_test_5someoneelse"

const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["FetchHttpClient", FetchHttpClient.layer],
  ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici]
]

// The first server redirects everything to `target` (same origin, or the second server); both
// answer a customer to anything else, as a server that should not be asked would.
const servers = (status: number, crossOrigin: boolean) =>
  Effect.gen(function* () {
    const other = yield* serve((_, response) => {
      response.writeHead(200, { "content-type": "application/json" })
      response.end(JSON.stringify(customer2019({ id: OTHER_ID })))
    })
    const self: Loopback = yield* serve((request, response) => {
      if (request.url?.includes(OTHER_ID) === true) {
        response.writeHead(200, { "content-type": "application/json" })
        response.end(JSON.stringify(customer2019({ id: OTHER_ID })))
        return
      }
      const target = `${crossOrigin ? other.url : self.url}/customers/${OTHER_ID}`
      response.writeHead(status, { location: target, "content-type": "application/json" })
      response.end(JSON.stringify(customer2019({ id: OTHER_ID })))
    })
    return { self, other }
  })

const client = (apiUrl: string, transport: Layer.Layer<HttpClient.HttpClient>) =>
  OmiseClient.layer({ secretKey: Redacted.make(secretKey), apiUrl }).pipe(Layer.provide(transport), Layer.orDie)

const assertRedirectRefused = (error: OmiseError, status: number, write: boolean) => {
  assert.strictEqual(error._tag, "OmiseDecodeError")
  if (error._tag !== "OmiseDecodeError") return
  assert.strictEqual(error.status, status)
  assert.include(error.detail, `unexpected HTTP status ${status}`)
  assert.include(error.detail, "not followed")
  assert.strictEqual(error.mayHaveTakenEffect, write)
  assert.strictEqual(error.message.includes("may have taken effect"), write)
}

describe("redirects are never followed", () => {
  for (const [name, transport] of transports) {
    for (const status of [301, 302, 303, 307, 308]) {
      for (const crossOrigin of [false, true]) {
        const where = crossOrigin ? "another origin" : "the same origin"
        it.live(`${name}: a ${status} to ${where} on a retrieve is an OmiseDecodeError after one request`, () =>
          Effect.scoped(
            Effect.gen(function* () {
              const { other, self } = yield* servers(status, crossOrigin)
              const error = yield* Effect.flip(
                Effect.provide(Customer.retrieve(CUSTOMER_ID), client(self.url, transport))
              )
              assertRedirectRefused(error, status, false)
              assert.deepStrictEqual(
                self.seen.map((seen) => `${seen.method} ${seen.path}`),
                [`GET /customers/${CUSTOMER_ID}`]
              )
              // The key went nowhere else.
              assert.strictEqual(other.seen.length, 0)
            })
          )
        )
      }
      it.live(`${name}: a ${status} to a create says it may have taken effect and is not replayed`, () =>
        Effect.scoped(
          Effect.gen(function* () {
            const { other, self } = yield* servers(status, true)
            const error = yield* Effect.flip(
              Effect.provide(Customer.create({ email: "a@example.com" }), client(self.url, transport))
            )
            assertRedirectRefused(error, status, true)
            assert.deepStrictEqual(
              self.seen.map((seen) => `${seen.method} ${seen.path}`),
              ["POST /customers"]
            )
            assert.strictEqual(other.seen.length, 0)
          })
        )
      )
    }
  }

  it.live("a client that follows redirects anyway: the answer from another URL is still refused", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { self } = yield* servers(302, false)
        // An application's own client that follows redirects whatever fetch is told.
        const following = Layer.effect(
          HttpClient.HttpClient,
          Effect.map(HttpClient.HttpClient, (http) => HttpClient.followRedirects(http, 3))
        ).pipe(Layer.provide(FetchHttpClient.layer))
        const error = yield* Effect.flip(Effect.provide(Customer.retrieve(CUSTOMER_ID), client(self.url, following)))
        assert.strictEqual(error._tag, "OmiseDecodeError")
        assert.include(error.message, "redirect")
      })
    )
  )

  it.live("a user's FetchHttpClient.RequestInit is kept, with redirects still manual", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { self } = yield* servers(302, false)
        const error = yield* Effect.flip(
          Effect.provide(Customer.retrieve(CUSTOMER_ID), client(self.url, FetchHttpClient.layer)).pipe(
            Effect.provideService(FetchHttpClient.RequestInit, { redirect: "follow", keepalive: false })
          )
        )
        assertRedirectRefused(error, 302, false)
        assert.strictEqual(self.seen.length, 1)
      })
    )
  )
})
