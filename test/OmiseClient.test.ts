import { assert, describe, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { TestClock } from "effect/testing"
import { readFileSync } from "node:fs"
import * as Customer from "../src/Customer.js"
import { version } from "../src/internal/version.js"
import * as OmiseClient from "../src/OmiseClient.js"
import type { OmiseError } from "../src/OmiseError.js"
import { CUSTOMER_ID, customer2019, errorBody, list, schedule2019 } from "./fixtures/bodies.js"
import * as RecordingHttp from "./utils/RecordingHttp.js"
import { settle } from "./utils/settle.js"

const retrieveWith = (...replies: ReadonlyArray<RecordingHttp.Reply>) => {
  const http = RecordingHttp.make(...replies)
  return Effect.map(Effect.flip(Effect.provide(Customer.retrieve(CUSTOMER_ID), http.client())), (error) => ({
    error,
    http
  }))
}

describe("OmiseClient headers", () => {
  it.effect("sends Basic auth with the secret key and an empty password, the version and the user agent", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(customer2019()))
      yield* Effect.provide(
        Customer.retrieve(CUSTOMER_ID),
        http.client({ apiVersion: "2017-11-02", userAgent: "my-shop/1.2" })
      )
      const headers = http.requests[0]!.headers
      assert.strictEqual(
        Buffer.from(headers["authorization"]!.replace(/^Basic /, ""), "base64").toString(),
        `${RecordingHttp.secretKey}:`
      )
      assert.strictEqual(headers["omise-version"], "2017-11-02")
      assert.strictEqual(headers["user-agent"], `effect-omise/${version} Node/${process.versions.node} my-shop/1.2`)
    })
  )

  it("the version constant matches package.json", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))
    assert.strictEqual(version, pkg.version)
  })

  it.effect("a trailing slash on apiUrl is ignored", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(customer2019()))
      yield* Effect.provide(Customer.retrieve(CUSTOMER_ID), http.client({ apiUrl: "http://127.0.0.1:9999/" }))
      assert.strictEqual(http.requests[0]!.url.href, `http://127.0.0.1:9999/customers/${CUSTOMER_ID}`)
    })
  )
})

describe("OmiseClient maps every outcome into OmiseError", () => {
  const cases: ReadonlyArray<[string, RecordingHttp.Reply, OmiseError["_tag"], Record<string, unknown>]> = [
    [
      "401",
      RecordingHttp.json(errorBody("authentication_failure", "authentication failed"), 401),
      "OmiseAuthenticationError",
      { status: 401, code: "authentication_failure", detail: "authentication failed" }
    ],
    [
      "403",
      RecordingHttp.json(errorBody("locked_out", "locked out"), 403),
      "OmiseAuthenticationError",
      { status: 403, code: "locked_out" }
    ],
    [
      "404",
      RecordingHttp.json(errorBody("not_found", "customer x was not found"), 404),
      "OmiseNotFoundError",
      { status: 404, code: "not_found" }
    ],
    [
      "400",
      RecordingHttp.json(errorBody("bad_request", "email is invalid"), 400),
      "OmiseInvalidRequestError",
      { status: 400, code: "bad_request", detail: "email is invalid" }
    ],
    [
      "422",
      RecordingHttp.json(errorBody("invalid_card", "expiration date cannot be in the past"), 422),
      "OmiseInvalidRequestError",
      { status: 422, code: "invalid_card" }
    ],
    [
      "429 with Retry-After",
      RecordingHttp.json(errorBody("too_many_requests", "slow down"), 429, { "retry-after": "7" }),
      "OmiseRateLimitError",
      { status: 429, retryAfterMillis: 7000 }
    ],
    [
      "429 without a body",
      { status: 429, text: "" },
      "OmiseRateLimitError",
      { status: 429, code: undefined, retryAfterMillis: undefined }
    ],
    [
      "500",
      RecordingHttp.json(errorBody("internal_server_error", "boom"), 500),
      "OmiseServerError",
      { status: 500, code: "internal_server_error" }
    ],
    [
      "502 HTML from a proxy",
      { status: 502, text: "<html><body><h1>502 Bad Gateway</h1></body></html>" },
      "OmiseServerError",
      { status: 502, code: undefined }
    ],
    [
      "503 with Retry-After",
      { status: 503, text: "maintenance", headers: { "retry-after": "2" } },
      "OmiseServerError",
      { status: 503, retryAfterMillis: 2000 }
    ],
    [
      "404 HTML",
      { status: 404, text: "<html>Not Found</html>" },
      "OmiseNotFoundError",
      { status: 404, code: undefined }
    ],
    [
      "200 with object error",
      RecordingHttp.json(errorBody("used_token", "token was already used")),
      "OmiseInvalidRequestError",
      { status: 200, code: "used_token" }
    ],
    [
      "200 with not_found error",
      RecordingHttp.json(errorBody("not_found", "gone")),
      "OmiseNotFoundError",
      { status: 200, code: "not_found" }
    ],
    [
      "200 HTML",
      { status: 200, text: "<html>hello</html>" },
      "OmiseDecodeError",
      { status: 200, detail: "the body is not JSON", body: "<html>hello</html>" }
    ],
    ["200 empty", { status: 200, text: "" }, "OmiseDecodeError", { status: 200, detail: "the body is empty" }],
    ["200 wrong object", RecordingHttp.json({ object: "charge", id: "chrg_1" }), "OmiseDecodeError", { status: 200 }],
    ["200 null", RecordingHttp.json(null), "OmiseDecodeError", { status: 200 }],
    [
      "302",
      { status: 302, text: "", headers: { location: "https://example.com" } },
      "OmiseDecodeError",
      {
        status: 302,
        detail: "unexpected HTTP status 302: a redirect to https://example.com, not followed (Omise never redirects)",
        mayHaveTakenEffect: false
      }
    ],
    ["connection reset", { transport: "socket hang up" }, "OmiseTransportError", { attempts: 1 }]
  ]
  for (const [name, reply, tag, fields] of cases) {
    it.effect(`${name} → ${tag}`, () =>
      Effect.gen(function* () {
        const { error, http } = yield* retrieveWith(reply)
        assert.strictEqual(error._tag, tag)
        assert.strictEqual(http.requests.length, 1)
        for (const [key, value] of Object.entries(fields)) {
          assert.deepStrictEqual((error as unknown as Record<string, unknown>)[key], value, key)
        }
        assert.strictEqual((error as { method?: string }).method, "GET")
        assert.strictEqual((error as { path?: string }).path, `/customers/${CUSTOMER_ID}`)
        if ("status" in error && tag !== "OmiseTransportError") {
          assert.strictEqual((error as { requestId?: string }).requestId, "req-1")
        }
      })
    )
  }

  it.effect("a decode error says which field was wrong and keeps a truncated body", () =>
    Effect.gen(function* () {
      const { error } = yield* retrieveWith(
        RecordingHttp.json(customer2019({ email: 42, description: "x".repeat(2000) }))
      )
      assert.strictEqual(error._tag, "OmiseDecodeError")
      if (error._tag !== "OmiseDecodeError") return
      assert.include(error.detail, "email")
      assert.isAtMost(error.body.length, 501)
      assert.include(error.message, "unexpected response")
    })
  )

  it.effect("the per-attempt timeout fails with OmiseTimeoutError", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make({ never: true })
      const fiber = yield* Effect.forkChild(
        Effect.flip(Effect.provide(Customer.retrieve(CUSTOMER_ID), http.client({ timeout: "10 seconds" })))
      )
      yield* settle
      yield* TestClock.adjust("9 seconds")
      assert.isUndefined(fiber.pollUnsafe())
      yield* TestClock.adjust("1 second")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(error._tag, "OmiseTimeoutError")
      assert.strictEqual(error._tag === "OmiseTimeoutError" && error.timeoutMillis, 10_000)
      assert.strictEqual(error._tag === "OmiseTimeoutError" && error.kind, "attempt")
    })
  )

  it.effect("the default per-attempt timeout is 60 seconds", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make({ never: true })
      const fiber = yield* Effect.forkChild(Effect.flip(Effect.provide(Customer.retrieve(CUSTOMER_ID), http.client())))
      yield* settle
      yield* TestClock.adjust("59 seconds")
      assert.isUndefined(fiber.pollUnsafe())
      yield* TestClock.adjust("1 second")
      assert.strictEqual((yield* Fiber.join(fiber))._tag, "OmiseTimeoutError")
    })
  )
})

describe("OmiseClient configuration", () => {
  const build = (options: Partial<OmiseClient.Options>) =>
    Effect.exit(
      Effect.provide(
        OmiseClient.OmiseClient,
        OmiseClient.layer({ secretKey: Redacted.make("skey_test_1"), ...options }).pipe(
          Layer.provide(RecordingHttp.make(RecordingHttp.json({})).layer)
        )
      )
    )

  it.effect("refuses an empty key, a public key, plain http off loopback and a malformed url or version", () =>
    Effect.gen(function* () {
      const refusals: ReadonlyArray<[Partial<OmiseClient.Options>, string]> = [
        [{ secretKey: Redacted.make("") }, "empty"],
        [{ secretKey: Redacted.make("   ") }, "empty"],
        [{ secretKey: Redacted.make("pkey_test_123") }, "public key"],
        [{ apiUrl: "http://api.omise.co" }, "in clear"],
        [{ apiUrl: "not a url" }, "not a URL"],
        [{ apiUrl: "ftp://api.omise.co" }, "protocol"],
        [{ apiVersion: "latest" }, "2019-05-29"]
      ]
      for (const [options, text] of refusals) {
        const exit = yield* build(options)
        assert.isTrue(Exit.isFailure(exit), text)
        if (Exit.isFailure(exit)) {
          const pretty = String(exit.cause)
          assert.include(pretty, text)
          assert.notInclude(pretty, "pkey_test_123")
        }
      }
    })
  )

  it.effect("accepts loopback http, and any http when allowInsecureHttp is set", () =>
    Effect.gen(function* () {
      for (const apiUrl of ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:2"]) {
        assert.isTrue(Exit.isSuccess(yield* build({ apiUrl })), apiUrl)
      }
      assert.isTrue(Exit.isSuccess(yield* build({ apiUrl: "http://omise.internal", allowInsecureHttp: true })))
    })
  )

  it.effect("layerConfig reads OMISE_SECRET_KEY, OMISE_API_URL and OMISE_API_VERSION", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(customer2019()))
      const provider = ConfigProvider.fromUnknown({
        OMISE_SECRET_KEY: "skey_test_fromconfig",
        OMISE_API_URL: "https://omise.example",
        OMISE_API_VERSION: "2017-11-02"
      })
      yield* Effect.provide(
        Customer.retrieve(CUSTOMER_ID),
        OmiseClient.layerConfig().pipe(Layer.provide(http.layer), Layer.provide(ConfigProvider.layer(provider)))
      )
      const request = http.requests[0]!
      assert.strictEqual(request.url.origin, "https://omise.example")
      assert.strictEqual(request.headers["omise-version"], "2017-11-02")
      assert.strictEqual(
        request.headers["authorization"],
        `Basic ${Buffer.from("skey_test_fromconfig:").toString("base64")}`
      )
    })
  )

  it.effect("layerConfig without OMISE_SECRET_KEY fails with a ConfigError naming it", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(
        Effect.provide(
          OmiseClient.OmiseClient,
          OmiseClient.layerConfig().pipe(
            Layer.provide(RecordingHttp.make(RecordingHttp.json({})).layer),
            Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown({})))
          )
        )
      )
      assert.isTrue(Exit.isFailure(exit))
      assert.include(String(Exit.isFailure(exit) && exit.cause), "OMISE_SECRET_KEY")
    })
  )

  it.effect("execute is an escape hatch for other endpoints", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json({ object: "account", id: "acct_1" }))
      const client = yield* Effect.provide(OmiseClient.OmiseClient, http.client())
      const account = yield* client.execute(
        { method: "GET", path: "/account" },
        Schema.Struct({ object: Schema.Literal("account"), id: Schema.String })
      )
      assert.deepStrictEqual(account, { object: "account", id: "acct_1" })
      assert.strictEqual(http.requests[0]!.path, "/account")
    })
  )

  // A recursive schema would recurse once per level of the body: past the bound it is refused.
  interface Tree {
    readonly children: ReadonlyArray<Tree>
  }
  const Tree: Schema.Codec<Tree> = Schema.Struct({
    children: Schema.Array(Schema.suspend((): Schema.Codec<Tree> => Tree))
  })
  const deepTree = (levels: number): string => '{"children":['.repeat(levels) + "]}".repeat(levels)

  it.effect("execute with a recursive schema refuses a body nested 10,000 deep with OmiseDecodeError", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make({ status: 200, text: deepTree(10_000) }, { status: 200, text: deepTree(50) })
      const client = yield* Effect.provide(OmiseClient.OmiseClient, http.client())
      const error = yield* Effect.flip(client.execute({ method: "GET", path: "/tree" }, Tree))
      assert.strictEqual(error._tag, "OmiseDecodeError")
      assert.include(error.message, "nests deeper than 100 levels")
      // Within the bound the same schema decodes.
      const tree = yield* client.execute({ method: "GET", path: "/tree" }, Tree)
      assert.strictEqual(tree.children.length, 1)
    })
  )

  // Issue 12 item 4: metadata is kept as parsed, so a customer holding metadata nested 10,000
  // deep would decode and then overflow `JSON.stringify`, `String` and every log line.
  it.effect("a customer whose metadata nests 10,000 deep fails with OmiseDecodeError: printing it would overflow", () =>
    Effect.gen(function* () {
      const body = JSON.stringify(customer2019({ metadata: { note: "PLACEHOLDER" } })).replace(
        '"PLACEHOLDER"',
        "[".repeat(10_000) + "]".repeat(10_000)
      )
      const { error } = yield* retrieveWith({ status: 200, text: body })
      assert.strictEqual(error._tag, "OmiseDecodeError")
      assert.include(error.message, "nests deeper than 100 levels")
      // Metadata within the bound decodes, and prints.
      const shallow = JSON.stringify(customer2019({ metadata: { note: "PLACEHOLDER" } })).replace(
        '"PLACEHOLDER"',
        "[".repeat(90) + "]".repeat(90)
      )
      const http = RecordingHttp.make({ status: 200, text: shallow })
      const customer = yield* Effect.provide(Customer.retrieve(CUSTOMER_ID), http.client())
      assert.isTrue(Array.isArray(customer.metadata["note"]))
      assert.isString(JSON.stringify(customer))
    })
  )

  it.effect("a wrong field holding a value nested 10,000 deep fails with OmiseDecodeError, not a stack overflow", () =>
    Effect.gen(function* () {
      const body = JSON.stringify(customer2019({ email: "PLACEHOLDER" })).replace(
        '"PLACEHOLDER"',
        "[".repeat(10_000) + "]".repeat(10_000)
      )
      const { error } = yield* retrieveWith({ status: 200, text: body })
      assert.strictEqual(error._tag, "OmiseDecodeError")
      assert.include(error.message, "nests deeper than 100 levels")
    })
  )

  it.effect("execute with a union told apart by a literal field refuses a 10,000-deep value in that field", () =>
    Effect.gen(function* () {
      // effect's union parser turns the discriminating field into a string to pick a member,
      // and turning a nested array into a string recurses once per level.
      const Event = Schema.Union([
        Schema.Struct({ type: Schema.Literal("created"), id: Schema.String }),
        Schema.Struct({ type: Schema.Literal("deleted"), id: Schema.String })
      ])
      const text = `{"type":${"[".repeat(10_000)}${"]".repeat(10_000)},"id":"x"}`
      const http = RecordingHttp.make({ status: 200, text }, RecordingHttp.json({ type: "deleted", id: "x" }))
      const client = yield* Effect.provide(OmiseClient.OmiseClient, http.client())
      const error = yield* Effect.flip(client.execute({ method: "GET", path: "/event" }, Event))
      assert.strictEqual(error._tag, "OmiseDecodeError")
      assert.include(error.message, "nests deeper than 100 levels")
      assert.deepStrictEqual(yield* client.execute({ method: "GET", path: "/event" }, Event), {
        type: "deleted",
        id: "x"
      })
    })
  )

  it.effect("a schedule list whose occurrences.object is a 3,000-deep array fails with OmiseDecodeError", () =>
    Effect.gen(function* () {
      // The counterexample the hostile-responses property found (seed -793748656) while models
      // briefly carried a literal discriminator for unions to stringify.
      const body = JSON.stringify(list([schedule2019({ occurrences: list([], { object: "PLACEHOLDER" }) })])).replace(
        '"PLACEHOLDER"',
        "[".repeat(3_000) + "]".repeat(3_000)
      )
      const http = RecordingHttp.make({ status: 200, text: body })
      const error = yield* Effect.flip(Effect.provide(Customer.listSchedules(CUSTOMER_ID), http.client()))
      assert.strictEqual(error._tag, "OmiseDecodeError")
      assert.include(error.message, "nests deeper than 100 levels")
    })
  )

  it.effect("defaults to https://api.omise.co over the HttpClient in context", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(customer2019()))
      const customer = yield* Effect.provide(
        Customer.retrieve(CUSTOMER_ID),
        OmiseClient.layer({ secretKey: Redacted.make("skey_test_1") }).pipe(Layer.provide(http.layer))
      )
      assert.strictEqual(customer.id, CUSTOMER_ID)
      assert.strictEqual(http.requests[0]!.url.origin, "https://api.omise.co")
    })
  )
})

describe("OmiseClient secret key", () => {
  it.effect("a key with surrounding whitespace (from a file or env var) is sent trimmed", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(customer2019()))
      yield* Effect.provide(
        Customer.retrieve(CUSTOMER_ID),
        http.client({ secretKey: Redacted.make(` ${RecordingHttp.secretKey}\n`) })
      )
      assert.strictEqual(http.requests[0]!.headers["authorization"], RecordingHttp.basicAuth)
    })
  )
})
