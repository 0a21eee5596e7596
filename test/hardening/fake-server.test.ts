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

/** One request over loopback: status and parsed body, failing after `seconds` without an answer. */
const send = (
  url: string,
  init: { readonly method?: string; readonly headers?: Record<string, string>; readonly body?: string },
  seconds: number = 5
) =>
  Effect.tryPromise(async () => {
    const response = await fetch(url, {
      method: init.method ?? "GET",
      headers: init.headers ?? {},
      ...(init.body === undefined ? {} : { body: init.body }),
      signal: AbortSignal.timeout(seconds * 1000)
    })
    return { status: response.status, json: (await response.json()) as unknown }
  })

const badRequest = (reply: { readonly status: number; readonly json: unknown }, label: string) => {
  assert.strictEqual(reply.status, 400, label)
  assert.isTrue(isOmiseError(reply.json), label)
  assert.strictEqual((reply.json as { code: string }).code, "bad_request", label)
}

describe("the fake server under deeply nested parameters", () => {
  it.live(
    "a JSON body 300,000 deep, a form key 200,000 deep and a query key 4,000 deep (also without a key) get a 400, and nothing is stored",
    () =>
      Effect.gen(function* () {
        const server = yield* FakeServer.start()
        const json = { authorization: secret, "content-type": "application/json" }
        badRequest(
          yield* send(`${server.url}/customers`, {
            method: "POST",
            headers: json,
            body: `{"metadata":${"[".repeat(300_000)}${"]".repeat(300_000)}}`
          }),
          "JSON body"
        )
        badRequest(
          yield* send(`${server.url}/customers`, {
            method: "POST",
            headers: { authorization: secret, "content-type": "application/x-www-form-urlencoded" },
            body: `metadata${"[a]".repeat(200_000)}=1`
          }),
          "form key"
        )
        const deepQuery = `/customers?a${"[b]".repeat(4_000)}=1`
        badRequest(yield* send(`${server.url}${deepQuery}`, { headers: { authorization: secret } }), "query key")
        badRequest(yield* send(`${server.url}${deepQuery}`, {}), "query key without a key")
        assert.strictEqual(yield* server.fake.customerCount, 0)
        // Still serving.
        const listed = yield* send(`${server.url}/customers`, { headers: { authorization: secret } })
        assert.strictEqual(listed.status, 200)
      }),
    30_000
  )

  it.live(
    "metadata 5,000 deep is refused and stores nothing, so listing keeps working; 60 deep is kept and listed",
    () =>
      Effect.gen(function* () {
        const server = yield* FakeServer.start()
        const headers = { authorization: secret, "content-type": "application/json" }
        const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`
        badRequest(
          yield* send(`${server.url}/customers`, {
            method: "POST",
            headers,
            body: `{"email":"deep@example.com","metadata":${nested(5_000)}}`
          }),
          "metadata 5,000 deep"
        )
        assert.strictEqual(yield* server.fake.customerCount, 0)
        const list = () =>
          send(`${server.url}/customers?limit=1&order=reverse_chronological`, { headers: { authorization: secret } })
        assert.strictEqual((yield* list()).status, 200)
        const kept = yield* send(`${server.url}/customers`, {
          method: "POST",
          headers,
          body: `{"email":"kept@example.com","metadata":${nested(60)}}`
        })
        assert.strictEqual(kept.status, 200)
        const listed = yield* list()
        assert.strictEqual(listed.status, 200)
        assert.strictEqual((listed.json as { total: number }).total, 1)
      }),
    30_000
  )

  it.live("the request log over HTTP never holds the key", () =>
    Effect.gen(function* () {
      const key = "skey_test_5logged0000000000"
      const server = yield* FakeServer.start({ secretKey: key })
      const authorization = `Basic ${Buffer.from(`${key}:`).toString("base64")}`
      assert.strictEqual((yield* send(`${server.url}/customers`, { headers: { authorization } })).status, 200)
      assert.strictEqual(
        (yield* send(`${server.url}/customers`, { headers: { "proxy-authorization": authorization } })).status,
        401
      )
      const logged = yield* server.fake.requests
      assert.strictEqual(logged[0]!.headers["authorization"], "Basic <redacted>")
      assert.strictEqual(logged[1]!.headers["proxy-authorization"], "Basic <redacted>")
      assert.notInclude(JSON.stringify(logged), key)
      assert.notInclude(JSON.stringify(logged), authorization.slice("Basic ".length))
    }).pipe(Effect.scoped)
  )

  it.live("the request log over HTTP holds no card number and no security code", () =>
    Effect.gen(function* () {
      const server = yield* FakeServer.start({})
      const authorization = `Basic ${Buffer.from("pkey_test_5card:").toString("base64")}`
      const form = new URLSearchParams({
        "card[number]": "4242424242424242",
        "card[security_code]": "246",
        "card[name]": "Somchai Prasert",
        "card[expiration_month]": "12",
        "card[expiration_year]": "2099"
      }).toString()
      const made = yield* send(`${server.url}/tokens`, {
        method: "POST",
        headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
        body: form
      })
      assert.strictEqual(made.status, 200)
      const json = yield* send(`${server.url}/tokens?card[number]=5555555555554444&card[security_code]=135`, {
        method: "POST",
        headers: { authorization, "content-type": "application/json" },
        body: JSON.stringify({ card: { number: "4111 1111 1111 1111", security_code: "864" } })
      })
      assert.strictEqual(json.status, 400)
      const logged = yield* server.fake.requests
      assert.deepStrictEqual(
        logged.map((request) => request.params["card"]),
        [
          {
            number: "<redacted ending 4242>",
            security_code: "<redacted>",
            name: "Somchai Prasert",
            expiration_month: "12",
            expiration_year: "2099"
          },
          { number: "<redacted ending 1111>", security_code: "<redacted>" }
        ]
      )
      assert.strictEqual(new URLSearchParams(logged[1]!.query).get("card[number]"), "<redacted ending 4444>")
      const text = JSON.stringify(logged)
      for (const secret of ["424242424242", "555555555555", "4111 1111", "246", "135", "864"]) {
        assert.notInclude(text, secret)
      }
    }).pipe(Effect.scoped)
  )
})
