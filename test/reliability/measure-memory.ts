/**
 * Issue 12 item 3, measured: the RSS growth of one call answered with a 200 MB body and with a
 * gzip bomb (0.3 MB inflating to 300 MB), over loopback, at the default `maxResponseBytes`
 * (16 MiB). Not a test (memory in a shared test process is noise): run it alone,
 *
 *   npx tsx --expose-gc test/reliability/measure-memory.ts
 *
 * It prints the peak RSS growth (sampled every 2 ms) and the growth left after the call.
 */
import { NodeHttpClient } from "@effect/platform-node"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import type * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { gzipSync } from "node:zlib"
import * as Customer from "../../src/Customer.js"
import * as OmiseClient from "../../src/OmiseClient.js"
import * as Policy from "../../src/Policy.js"
import { CUSTOMER_ID } from "../fixtures/bodies.js"
import { type Handler, serve, writeRepeated } from "./loopback.js"

const MiB = 1024 * 1024
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})

const big: Handler = (_, response, written) => {
  response.writeHead(200, { "content-type": "application/json" })
  writeRepeated(response, new TextEncoder().encode(" ".repeat(64 * 1024)), 200 * MiB, written)
}
const member = gzipSync(Buffer.alloc(MiB, 32))
const bomb: Handler = (_, response, written) => {
  response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" })
  writeRepeated(response, member, member.length * 300, written)
}

const measure = (name: string, handler: Handler, transport: Layer.Layer<HttpClient.HttpClient>) =>
  Effect.scoped(
    Effect.gen(function* () {
      const server = yield* serve(handler)
      const layer = OmiseClient.layer({
        secretKey: Redacted.make("skey_test_5memory"),
        apiUrl: server.url,
        retry: Policy.noRetry
      }).pipe(Layer.provide(transport))
      gc()
      const before = process.memoryUsage().rss
      let peak = before
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss)
      }, 2)
      const started = performance.now()
      const error = yield* Effect.flip(Effect.provide(Customer.retrieve(CUSTOMER_ID), layer))
      const millis = performance.now() - started
      clearInterval(sampler)
      peak = Math.max(peak, process.memoryUsage().rss)
      yield* Effect.sleep("100 millis")
      gc()
      const after = process.memoryUsage().rss
      console.log(
        `${name}: ${error._tag} in ${millis.toFixed(0)} ms; RSS peak +${((peak - before) / MiB).toFixed(1)} MiB, ` +
          `after +${((after - before) / MiB).toFixed(1)} MiB; server wrote ${(server.written.bytes / MiB).toFixed(1)} MiB`
      )
    })
  )

Effect.runPromise(
  Effect.gen(function* () {
    // One warm-up call, so that module and JIT memory is not counted against the first case.
    yield* measure("warm-up (200 MB body, fetch)", big, FetchHttpClient.layer)
    yield* measure("200 MB body, FetchHttpClient", big, FetchHttpClient.layer)
    yield* measure("200 MB body, NodeHttpClient.layerUndici", big, NodeHttpClient.layerUndici)
    yield* measure("gzip 0.3 MB -> 300 MB, FetchHttpClient", bomb, FetchHttpClient.layer)
    yield* measure("gzip 0.3 MB -> 300 MB, NodeHttpClient.layerUndici (not inflated)", bomb, NodeHttpClient.layerUndici)
  })
)
