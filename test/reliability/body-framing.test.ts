/**
 * Issue 14 (goal 4): a body whose Content-Length fixes its size within `maxResponseBytes` is read
 * whole in one call (src/internal/body.ts), trusting the HTTP framing. A transport that hands over
 * more than it declared must not slip past the bound: such a body counts as cut.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Redacted from "effect/Redacted"
import * as Customer from "../../src/Customer.js"
import * as OmiseClient from "../../src/OmiseClient.js"
import * as Policy from "../../src/Policy.js"
import { CUSTOMER_ID, customer2019 } from "../fixtures/bodies.js"

const answering = (body: string, declared: number) =>
  HttpClient.make((request) =>
    Effect.sync(() =>
      HttpClientResponse.fromWeb(
        request,
        new Response(body, {
          status: 200,
          headers: { "content-type": "application/json", "content-length": String(declared) }
        })
      )
    )
  )

const retrieve = (body: string, declared: number) =>
  Effect.flatMap(
    OmiseClient.make({
      secretKey: Redacted.make("skey_test_5framing"),
      retry: Policy.noRetry,
      maxResponseBytes: 1024 * 1024
    }),
    (client) => Effect.provideService(Customer.retrieve(CUSTOMER_ID), OmiseClient.OmiseClient, client)
  ).pipe(Effect.provideService(HttpClient.HttpClient, answering(body, declared)))

describe("a body read whole on its Content-Length", () => {
  const body = JSON.stringify(customer2019())

  it.effect("decodes when the transport hands over what it declared", () =>
    Effect.gen(function* () {
      const customer = yield* retrieve(body, new TextEncoder().encode(body).length)
      assert.strictEqual(customer.id, CUSTOMER_ID)
    })
  )

  it.effect("counts as cut at the bound when the transport hands over more than it declared", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(retrieve(body, 10))
      assert.strictEqual(error._tag, "OmiseDecodeError")
      assert.include(error.message, "larger than maxResponseBytes (1048576 bytes)")
    })
  )
})
