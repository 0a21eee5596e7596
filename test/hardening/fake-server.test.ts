/**
 * The fake server under hostile requests over real HTTP: whatever the method, path, query,
 * headers and body, it answers with a JSON body (an Omise error object for every 4xx/5xx) and
 * keeps serving.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fc from "fast-check"
import * as Net from "node:net"
import * as FakeServer from "../../src/testing/FakeServer.js"

const RUNS = 1_000
const secret = `Basic ${Buffer.from("skey_test_hostile:").toString("base64")}`

const segment = fc.oneof(
  fc.constantFrom(
    "customers",
    "cards",
    "schedules",
    "search",
    "tokens",
    "..",
    "%2e%2e",
    "%00",
    "%ZZ",
    "",
    "cust_test_1"
  ),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.stringMatching(/^cust_test_[a-z0-9]{1,20}$/)
)
const path = fc.array(segment, { maxLength: 5 }).map((parts) => `/${parts.join("/")}`)
const query = fc
  .array(fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 30 })), { maxLength: 6 })
  .map((pairs) => new URLSearchParams(pairs).toString())
const body = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 200 }),
  fc.json({ maxDepth: 6 }),
  fc.constantFrom("{", "[1,2", '{"card":', "email=a%ZZ&x[y][z]=1", "a[b]=1&a=2&a[]=3", "\u0000\u0001\u0002")
)
const request = fc.record({
  method: fc.constantFrom("GET", "POST", "PATCH", "DELETE", "PUT", "OPTIONS"),
  path,
  query,
  contentType: fc.constantFrom(
    undefined,
    "application/json",
    "application/x-www-form-urlencoded",
    "text/plain",
    "multipart/form-data; boundary=x",
    "application/json; charset=latin1"
  ),
  authorization: fc.constantFrom(undefined, secret, "Basic", "Basic !!!", "Bearer x", "Basic " + "A".repeat(300)),
  version: fc.constantFrom(undefined, "2019-05-29", "2017-11-02", "1999-01-01", "latest", ""),
  body
})

const isOmiseError = (value: unknown): boolean =>
  typeof value === "object" &&
  value !== null &&
  (value as { object?: unknown }).object === "error" &&
  typeof (value as { code?: unknown }).code === "string" &&
  typeof (value as { message?: unknown }).message === "string"

/** Raw bytes that are not HTTP at all, written to a socket; the answer, whatever it is. */
const raw = (port: number, bytes: string) =>
  new Promise<string>((resolve) => {
    const socket = Net.createConnection({ host: "127.0.0.1", port })
    let answer = ""
    socket.setEncoding("latin1")
    socket.on("data", (chunk: string) => (answer += chunk))
    socket.on("error", () => resolve(answer))
    socket.on("close", () => resolve(answer))
    socket.setTimeout(2_000, () => socket.destroy())
    socket.end(bytes)
  })

describe("the fake server under hostile requests", () => {
  it.live(
    `answers ${RUNS} random requests with JSON (an Omise error for 4xx/5xx) and keeps serving`,
    () =>
      Effect.gen(function* () {
        const server = yield* FakeServer.start({ customers: 3 })
        // A random request is now and then a well-formed create or delete: count them.
        let created = 0
        let deleted = 0
        yield* Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(request, async (r) => {
              const headers: Record<string, string> = {}
              if (r.contentType !== undefined) headers["content-type"] = r.contentType
              if (r.authorization !== undefined) headers["authorization"] = r.authorization
              if (r.version !== undefined) headers["omise-version"] = r.version
              const response = await fetch(`${server.url}${r.path}${r.query === "" ? "" : `?${r.query}`}`, {
                method: r.method,
                headers,
                ...(r.body === undefined || r.method === "GET" ? {} : { body: r.body })
              })
              const text = await response.text()
              const json: unknown = JSON.parse(text)
              if (response.status >= 400) assert.isTrue(isOmiseError(json), `${response.status} ${text}`)
              else assert.isObject(json)
              const object = json as { readonly object?: unknown; readonly deleted?: unknown }
              if (response.status === 200 && object.object === "customer") {
                if (r.method === "POST") created += 1
                if (r.method === "DELETE" && object.deleted === true) deleted += 1
              }
            }),
            { numRuns: RUNS }
          )
        )
        // Garbage that is not HTTP at all gets an answer too, and the server still serves.
        for (const bytes of [
          "\u0000\u0001\u0002\r\n\r\n",
          "GET / HTTP/9.9\r\n\r\n",
          "HELLO\r\n\r\n",
          "GET /customers HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"
        ]) {
          yield* Effect.promise(() => raw(server.port, bytes))
        }
        const ok = yield* Effect.promise(() =>
          fetch(`${server.url}/customers?limit=2`, { headers: { authorization: secret } }).then((r) => r.json())
        )
        assert.strictEqual((ok as { total: number }).total, 3 + created - deleted)
      }),
    60_000
  )
})
