/**
 * Issue 12 item 3: a response body is read with a bound (`maxResponseBytes`, default 16 MiB),
 * counting the bytes the HTTP client hands over (decompressed by `fetch`), and reading stops —
 * the connection with it — as soon as the bound is passed. Over a real loopback server; the
 * memory this keeps is measured by test/reliability/measure-memory.ts, not here.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import type * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { gzipSync } from "node:zlib"
import * as Customer from "../../src/Customer.js"
import * as OmiseClient from "../../src/OmiseClient.js"
import * as Policy from "../../src/Policy.js"
import { CUSTOMER_ID, customer2019, list } from "../fixtures/bodies.js"
import { serve, writeRepeated } from "./loopback.js"

const MiB = 1024 * 1024
const spaces = new TextEncoder().encode(" ".repeat(64 * 1024))

const client = (apiUrl: string, transport: Layer.Layer<HttpClient.HttpClient>, maxResponseBytes?: number) =>
  OmiseClient.layer({
    secretKey: Redacted.make("skey_test_5bodysize"),
    apiUrl,
    retry: Policy.noRetry,
    ...(maxResponseBytes === undefined ? {} : { maxResponseBytes })
  }).pipe(Layer.provide(transport))

const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["FetchHttpClient", FetchHttpClient.layer],
  ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici]
]

describe("response bodies are read up to maxResponseBytes", () => {
  for (const [name, transport] of transports) {
    for (const declared of [false, true]) {
      const how = declared ? "with its Content-Length" : "chunked"
      it.live(`${name}: a 200 MB body (${how}) fails with OmiseDecodeError and stops the transfer`, () =>
        Effect.scoped(
          Effect.gen(function* () {
            const total = 200 * MiB
            const server = yield* serve((_, response, written) => {
              response.writeHead(200, {
                "content-type": "application/json",
                ...(declared ? { "content-length": String(total) } : {})
              })
              writeRepeated(response, spaces, total, written)
            })
            const error = yield* Effect.flip(
              Effect.provide(Customer.retrieve(CUSTOMER_ID), client(server.url, transport, MiB))
            )
            assert.strictEqual(error._tag, "OmiseDecodeError")
            assert.include(error.message, "larger than maxResponseBytes (1048576 bytes)")
            // Let the server notice the connection went away.
            yield* Effect.sleep("50 millis")
            // Socket buffers on both sides hold a few MB at most; the rest was never sent.
            assert.isBelow(server.written.bytes, 32 * MiB, `${server.written.bytes} bytes written`)
          })
        )
      )
    }

    it.live(`${name}: the default bound (16 MiB) stops a 200 MB body`, () =>
      Effect.scoped(
        Effect.gen(function* () {
          const server = yield* serve((_, response, written) => {
            response.writeHead(200, { "content-type": "application/json" })
            writeRepeated(response, spaces, 200 * MiB, written)
          })
          const error = yield* Effect.flip(Effect.provide(Customer.list(), client(server.url, transport)))
          assert.strictEqual(error._tag, "OmiseDecodeError")
          assert.include(error.message, `larger than maxResponseBytes (${16 * MiB} bytes)`)
          yield* Effect.sleep("50 millis")
          assert.isBelow(server.written.bytes, 64 * MiB, `${server.written.bytes} bytes written`)
        })
      )
    )

    it.live(`${name}: a body at the bound decodes, one byte over fails`, () =>
      Effect.scoped(
        Effect.gen(function* () {
          const body = JSON.stringify(
            list(Array.from({ length: 100 }, (_, i) => customer2019({ id: `cust_test_${i}` })))
          )
          const server = yield* serve((_, response) => {
            response.writeHead(200, { "content-type": "application/json" })
            response.end(body)
          })
          const size = Buffer.byteLength(body)
          const page = yield* Effect.provide(Customer.list({ limit: 100 }), client(server.url, transport, size))
          assert.strictEqual(page.data.length, 100)
          const error = yield* Effect.flip(
            Effect.provide(Customer.list({ limit: 100 }), client(server.url, transport, size - 1))
          )
          assert.strictEqual(error._tag, "OmiseDecodeError")
        })
      )
    )

    it.live(`${name}: an oversized 503 is still a server error (and a write's says it may have taken effect)`, () =>
      Effect.scoped(
        Effect.gen(function* () {
          const server = yield* serve((_, response, written) => {
            response.writeHead(503, { "content-type": "text/html" })
            writeRepeated(response, spaces, 50 * MiB, written)
          })
          const error = yield* Effect.flip(
            Effect.provide(Customer.create({ email: "a@example.com" }), client(server.url, transport, MiB))
          )
          assert.strictEqual(error._tag, "OmiseServerError")
          assert.isTrue(error._tag === "OmiseServerError" && error.mayHaveTakenEffect)
        })
      )
    )
  }

  it.live("FetchHttpClient: a gzip that inflates to 300 MB fails once 1 MiB of it is inflated", () =>
    Effect.scoped(
      Effect.gen(function* () {
        // 300 gzip members of 1 MiB of spaces each: ~300 kB on the wire, 300 MB inflated.
        const member = gzipSync(Buffer.alloc(MiB, 32))
        const server = yield* serve((_, response, written) => {
          response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" })
          writeRepeated(response, member, member.length * 300, written)
        })
        const error = yield* Effect.flip(
          Effect.provide(Customer.retrieve(CUSTOMER_ID), client(server.url, FetchHttpClient.layer, MiB))
        )
        assert.strictEqual(error._tag, "OmiseDecodeError")
        assert.include(error.message, "larger than maxResponseBytes")
      })
    )
  )

  it.effect("maxResponseBytes that is not a positive integer is a ConfigError", () =>
    Effect.gen(function* () {
      for (const maxResponseBytes of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        const error = yield* Effect.flip(
          Effect.provide(
            OmiseClient.OmiseClient,
            client("https://api.omise.co", FetchHttpClient.layer, maxResponseBytes)
          )
        )
        assert.include(String(error), "maxResponseBytes")
      }
    })
  )
})
