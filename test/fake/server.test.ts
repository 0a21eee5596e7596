import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Scope from "effect/Scope"
import * as ChildProcess from "node:child_process"
import * as Net from "node:net"
import * as FakeFault from "../../src/testing/FakeFault.js"
import * as FakeHttp from "../../src/testing/FakeHttp.js"
import * as FakeServer from "../../src/testing/FakeServer.js"
import { get, ids, publicKey, secretKey } from "./helpers.js"

interface HttpReply {
  readonly status: number
  readonly headers: Headers
  readonly json: unknown
  readonly text: string
}

const request = (
  url: string,
  init: {
    readonly method?: string
    readonly key?: string
    readonly body?: string
    readonly contentType?: string
    readonly timeoutMs?: number
  } = {}
) =>
  Effect.tryPromise(async (): Promise<HttpReply> => {
    const headers: Record<string, string> = { authorization: FakeHttp.basicAuth(init.key ?? secretKey) }
    if (init.contentType !== undefined) headers["content-type"] = init.contentType
    const response = await fetch(url, {
      method: init.method ?? "GET",
      headers,
      ...(init.body === undefined ? {} : { body: init.body }),
      ...(init.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(init.timeoutMs) })
    })
    const text = await response.text()
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    return { status: response.status, headers: response.headers, json, text }
  })

/** Raw bytes on a socket, for requests no HTTP client would send. */
const raw = (port: number, bytes: string) =>
  Effect.callback<string>((resume) => {
    const socket = Net.connect(port, "127.0.0.1")
    let data = ""
    socket.on("connect", () => socket.write(bytes))
    socket.on("data", (chunk) => (data += chunk.toString("utf8")))
    socket.on("close", () => resume(Effect.succeed(data)))
    socket.on("error", () => resume(Effect.succeed(data)))
  })

describe("FakeServer over loopback", () => {
  it.live("serves the API and the vault on one port", () =>
    Effect.gen(function* () {
      const server = yield* FakeServer.start()
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/)
      assert.isAbove(server.port, 0)
      const tokenReply = yield* request(`${server.url}/tokens`, {
        method: "POST",
        key: publicKey,
        contentType: "application/x-www-form-urlencoded",
        body: "card[number]=4242424242424242&card[name]=John+Doe&card[expiration_month]=10&card[expiration_year]=2099"
      })
      assert.strictEqual(tokenReply.status, 200)
      const created = yield* request(`${server.url}/customers`, {
        method: "POST",
        contentType: "application/json",
        body: JSON.stringify({ email: "john@example.com", card: get(tokenReply.json, "id"), metadata: { plan: "pro" } })
      })
      assert.strictEqual(created.status, 200)
      assert.strictEqual(created.headers.get("content-type"), "application/json; charset=utf-8")
      assert.strictEqual(created.headers.get("omise-version"), "2019-05-29")
      assert.isNotNull(created.headers.get("x-request-id"))
      assert.strictEqual(get(created.json, "default_card"), get(tokenReply.json, "card", "id"))
      const listed = yield* request(`${server.url}/customers/?limit=5`)
      assert.deepStrictEqual(ids(listed.json), [get(created.json, "id")])
      const unauthorised = yield* request(`${server.url}/customers`, { key: publicKey })
      assert.strictEqual(unauthorised.status, 401)
      assert.strictEqual(get(unauthorised.json, "code"), "authentication_failure")
      const seen = yield* server.fake.requests
      assert.deepStrictEqual(
        seen.map((entry) => `${entry.method} ${entry.path} ${entry.status}`),
        ["POST /tokens 200", "POST /customers 200", "GET /customers 200", "GET /customers 401"]
      )
    })
  )

  it.live("malformed requests get an Omise error body and the server keeps serving", () =>
    Effect.gen(function* () {
      const server = yield* FakeServer.start({ maxBodyBytes: 1024 })
      const badJson = yield* request(`${server.url}/customers`, {
        method: "POST",
        contentType: "application/json",
        body: "{oops"
      })
      assert.strictEqual(badJson.status, 400)
      assert.strictEqual(get(badJson.json, "object"), "error")
      assert.strictEqual(get(badJson.json, "code"), "bad_request")
      const garbage = yield* raw(server.port, "\x00\x01GARBAGE \xff\r\n\r\n")
      assert.match(garbage, /^HTTP\/1\.1 400 Bad Request/)
      assert.match(garbage, /\r\nX-Request-Id: [0-9a-f-]{36}\r\n/)
      const body = garbage.slice(garbage.indexOf("\r\n\r\n") + 4)
      assert.strictEqual(get(JSON.parse(body), "code"), "bad_request")
      const brokenHeader = yield* raw(server.port, "GET /customers HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")
      assert.match(brokenHeader, /^HTTP\/1\.1 400/)
      const tooLarge = yield* request(`${server.url}/customers`, {
        method: "POST",
        contentType: "application/json",
        body: JSON.stringify({ description: "x".repeat(5000) })
      })
      assert.strictEqual(tooLarge.status, 413)
      assert.isNotNull(tooLarge.headers.get("x-request-id"))
      assert.strictEqual(get(tooLarge.json, "object"), "error")
      const absolute = yield* raw(
        server.port,
        `GET http://api.omise.co/customers?limit=1 HTTP/1.1\r\nHost: api.omise.co\r\nAuthorization: ${FakeHttp.basicAuth(secretKey)}\r\nConnection: close\r\n\r\n`
      )
      assert.match(absolute, /^HTTP\/1\.1 200 OK/)
      const fine = yield* request(`${server.url}/customers`)
      assert.strictEqual(fine.status, 200)
    })
  )

  it.live("a dropped connection after processing: the client fails, the customer exists", () =>
    Effect.gen(function* () {
      const server = yield* FakeServer.start()
      yield* server.fake.injectFault(FakeFault.dropAfterProcessing, { method: "POST" })
      const result = yield* Effect.exit(
        request(`${server.url}/customers`, {
          method: "POST",
          contentType: "application/json",
          body: JSON.stringify({ email: "ghost@example.com" })
        })
      )
      assert.isTrue(Exit.isFailure(result))
      assert.strictEqual(yield* server.fake.customerCount, 1)
      const listed = yield* request(`${server.url}/customers`)
      assert.strictEqual(get(listed.json, "data", 0, "email"), "ghost@example.com")
    })
  )

  it.live(
    "a response that never comes keeps the socket open; other requests are served; 5xx and 429 come through",
    () =>
      Effect.gen(function* () {
        const server = yield* FakeServer.start()
        yield* server.fake.injectFault(FakeFault.noResponse)
        const started = Date.now()
        const hung = yield* Effect.exit(request(`${server.url}/customers`, { timeoutMs: 300 }))
        assert.isTrue(Exit.isFailure(hung))
        assert.isAtLeast(Date.now() - started, 250)
        yield* server.fake.injectFault(FakeFault.rateLimited(3))
        const limited = yield* request(`${server.url}/customers`)
        assert.strictEqual(limited.status, 429)
        assert.strictEqual(limited.headers.get("retry-after"), "3")
        yield* server.fake.injectFault(FakeFault.badGateway)
        const gateway = yield* request(`${server.url}/customers`)
        assert.strictEqual(gateway.status, 502)
        assert.include(gateway.text, "Bad Gateway")
        assert.strictEqual((yield* request(`${server.url}/customers`)).status, 200)
      })
  )

  it.live("--latency delays every response", () =>
    Effect.gen(function* () {
      const server = yield* FakeServer.start({ latency: "150 millis" })
      const started = Date.now()
      assert.strictEqual((yield* request(`${server.url}/customers`)).status, 200)
      assert.isAtLeast(Date.now() - started, 140)
    })
  )

  it.live("closing the scope stops the server, even with a request still waiting", () =>
    Effect.gen(function* () {
      const scope = yield* Scope.make()
      const server = yield* FakeServer.start().pipe(Scope.provide(scope))
      yield* server.fake.injectFault(FakeFault.noResponse)
      const hung = yield* Effect.forkChild(Effect.exit(request(`${server.url}/customers`)))
      yield* Effect.sleep("100 millis")
      yield* Scope.close(scope, Exit.void)
      const hungExit = yield* Fiber.await(hung)
      assert.isTrue(Exit.isSuccess(hungExit) && Exit.isFailure(hungExit.value))
      const after = yield* Effect.exit(request(`${server.url}/customers`, { timeoutMs: 1000 }))
      assert.isTrue(Exit.isFailure(after))
    })
  )

  it.live("two servers have separate state; a taken port is a typed error", () =>
    Effect.gen(function* () {
      const a = yield* FakeServer.start({ customers: 2 })
      const b = yield* FakeServer.start()
      assert.strictEqual(get((yield* request(`${a.url}/customers`)).json, "total"), 2)
      assert.strictEqual(get((yield* request(`${b.url}/customers`)).json, "total"), 0)
      const clash = yield* Effect.flip(FakeServer.start({ port: a.port }))
      assert.strictEqual(clash._tag, "FakeServerError")
      assert.include(clash.message, String(a.port))
    })
  )
})

describe("omise-fake bin", () => {
  it.live(
    "prints its address, serves, and exits cleanly on SIGTERM",
    () =>
      Effect.gen(function* () {
        const child = ChildProcess.spawn(
          process.execPath,
          [
            "--import",
            "tsx",
            "src/testing/bin.ts",
            "--port",
            "0",
            "--customers",
            "3",
            "--secret-key",
            "skey_test_pinned"
          ],
          { stdio: ["ignore", "pipe", "pipe"] }
        )
        const line = yield* Effect.callback<string>((resume) => {
          let out = ""
          child.stdout.on("data", (chunk: Buffer) => {
            out += chunk.toString("utf8")
            if (out.includes("\n")) resume(Effect.succeed(out))
          })
        }).pipe(Effect.timeout("20 seconds"))
        assert.match(line, /^listening on http:\/\/127\.0\.0\.1:\d+\n$/)
        const url = line.trim().slice("listening on ".length)
        const listed = yield* request(`${url}/customers`, { key: "skey_test_pinned" })
        assert.strictEqual(get(listed.json, "total"), 3)
        assert.strictEqual((yield* request(`${url}/customers`)).status, 401)
        const code = yield* Effect.callback<number | null>((resume) => {
          child.on("exit", (exitCode) => resume(Effect.succeed(exitCode)))
          child.kill("SIGTERM")
        }).pipe(Effect.timeout("10 seconds"))
        assert.strictEqual(code, 0)
      }),
    30_000
  )

  it.live(
    "rejects bad arguments with usage and exit code 2",
    () =>
      Effect.gen(function* () {
        const child = ChildProcess.spawn(process.execPath, ["--import", "tsx", "src/testing/bin.ts", "--port", "x"], {
          stdio: ["ignore", "pipe", "pipe"]
        })
        let stderr = ""
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
        const code = yield* Effect.callback<number | null>((resume) => {
          child.on("exit", (exitCode) => resume(Effect.succeed(exitCode)))
        }).pipe(Effect.timeout("20 seconds"))
        assert.strictEqual(code, 2)
        assert.include(stderr, "--port must be an integer")
        assert.include(stderr, "usage: omise-fake")
      }),
    30_000
  )
})

/** Runs the bin to its exit: the exit code and what it printed. */
const runBin = (args: ReadonlyArray<string>) =>
  Effect.callback<{ readonly code: number | null; readonly stdout: string; readonly stderr: string }>((resume) => {
    const child = ChildProcess.spawn(process.execPath, ["--import", "tsx", "src/testing/bin.ts", ...args], {
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
    child.on("exit", (code) => resume(Effect.succeed({ code, stdout, stderr })))
    return Effect.sync(() => child.kill("SIGKILL"))
  }).pipe(Effect.timeout("20 seconds"))

describe("omise-fake bin arguments", () => {
  it.live(
    "--help prints the usage on stdout and exits 0; keys of the wrong kind are refused with exit 2",
    () =>
      Effect.gen(function* () {
        const [help, publicAsSecret, secretAsPublic] = yield* Effect.all(
          [
            runBin(["--help"]),
            runBin(["--port", "0", "--secret-key", "pkey_test_x"]),
            runBin(["--port", "0", "--public-key", "skey_test_x"])
          ],
          { concurrency: "unbounded" }
        )
        assert.strictEqual(help.code, 0)
        assert.include(help.stdout, "usage: omise-fake --port N")
        assert.include(help.stdout, "--secret-key")
        assert.strictEqual(help.stderr, "")
        assert.strictEqual(publicAsSecret.code, 2)
        assert.include(publicAsSecret.stderr, "--secret-key must be a skey_ key")
        assert.strictEqual(publicAsSecret.stdout, "")
        assert.strictEqual(secretAsPublic.code, 2)
        assert.include(secretAsPublic.stderr, "--public-key must be a pkey_ key")
      }),
    30_000
  )

  it.live(
    "refuses a key the fake would never open to (an underscore after test_, a live key) with exit 2",
    () =>
      Effect.gen(function* () {
        const [underscore, live] = yield* Effect.all(
          [
            runBin(["--port", "0", "--secret-key", "skey_test_a_b"]),
            runBin(["--port", "0", "--public-key", "pkey_live_5abc"])
          ],
          { concurrency: "unbounded" }
        )
        assert.strictEqual(underscore.code, 2)
        assert.include(underscore.stderr, "--secret-key must be a skey_ key, such as skey_test_5abc")
        assert.notInclude(underscore.stderr, "skey_test_a_b")
        assert.strictEqual(underscore.stdout, "")
        assert.strictEqual(live.code, 2)
        assert.include(live.stderr, "--public-key must be a pkey_ key")
      }),
    30_000
  )
})
