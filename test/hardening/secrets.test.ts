/**
 * The secret key never leaves the Authorization header: not in errors however they are printed,
 * not in logs at any level, not in span names, attributes or events (ours or effect/http's),
 * not in the User-Agent. And the layer refuses configurations that would expose it.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Headers from "effect/http/Headers"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { TestClock } from "effect/testing"
import { inspect } from "node:util"
import * as Customer from "../../src/Customer.js"
import * as OmiseClient from "../../src/OmiseClient.js"
import type { OmiseError } from "../../src/OmiseError.js"
import * as Policy from "../../src/Policy.js"
import { CUSTOMER_ID, customer2019, errorBody } from "../fixtures/bodies.js"
import * as RecordingHttp from "../utils/RecordingHttp.js"
import { settle } from "../utils/settle.js"
import * as Capture from "./capture.js"
import { errorOf, loose } from "./helpers.js"

const SECRET = "skey_test_SUPERSECRET123"
const BASIC = Buffer.from(`${SECRET}:`).toString("base64")

/** Every form the key could leak in. */
const forms = [
  SECRET,
  "SUPERSECRET",
  BASIC,
  Buffer.from(SECRET).toString("base64"),
  Buffer.from(`${SECRET}:`).toString("base64url"),
  encodeURIComponent(`${SECRET}:`)
]

const assertClean = (text: string, where: string) => {
  for (const form of forms) assert.notInclude(text, form, `${where} holds the key as ${form}`)
}

/** Every way an application prints an error or a cause. */
const renderings = (exit: Exit.Exit<unknown, unknown>): Array<[string, string]> => {
  const out: Array<[string, string]> = [
    ["String(exit)", String(exit)],
    ["JSON.stringify(exit)", JSON.stringify(exit)],
    ["inspect(exit)", inspect(exit, { depth: null })]
  ]
  if (Exit.isFailure(exit)) {
    out.push(
      ["Cause.pretty", Cause.pretty(exit.cause)],
      [
        "Cause.pretty with causes",
        Cause.prettyErrors(exit.cause, { includeCauseInStack: true })
          .map((e) => e.stack ?? e.message)
          .join("\n")
      ],
      [
        "Cause.prettyErrors",
        Cause.prettyErrors(exit.cause)
          .map((e) => `${e.message}\n${e.stack}`)
          .join("\n")
      ]
    )
  }
  const error = errorOf(exit)
  if (error !== undefined) {
    out.push(
      ["error.message", error.message],
      ["String(error)", String(error)],
      ["JSON.stringify(error)", JSON.stringify(error)],
      ["inspect(error)", inspect(error, { depth: null, showHidden: true })],
      ["error.stack", error.stack ?? ""],
      ["error.toJSON", JSON.stringify(error.toJSON())],
      ["fields", JSON.stringify(Object.entries(error))]
    )
  }
  return out
}

/** Runs `effect` with telemetry captured, logs its outcome at every level, and checks it all. */
const driveAndCheck = <A>(
  name: string,
  effect: Effect.Effect<A, OmiseError, OmiseClient.OmiseClient>,
  layer: Layer.Layer<OmiseClient.OmiseClient, unknown>,
  advance?: Effect.Effect<void>,
  skip?: (attribute: string) => boolean
) =>
  Effect.gen(function* () {
    const capture = Capture.make()
    const program = effect.pipe(
      Effect.tapCause((cause) => Effect.logError("Omise call failed", cause)),
      Effect.tapError((error) =>
        Effect.all([
          Effect.logWarning(error),
          Effect.logInfo("failed", error).pipe(Effect.annotateLogs({ error, tag: error._tag })),
          Effect.logDebug(error.message),
          Effect.logTrace({ error })
        ])
      ),
      Effect.tap((value) => Effect.logDebug("Omise call succeeded", value)),
      Effect.withLogSpan("omise"),
      Effect.provide(layer),
      Effect.exit
    )
    const fiber = yield* Effect.forkChild(Capture.within(capture)(program))
    if (advance !== undefined) yield* advance
    const exit = yield* Fiber.join(fiber)
    yield* Capture.within(capture)(Effect.logFatal("outcome", exit))
    for (const [where, text] of renderings(exit)) assertClean(text, `${name}: ${where}`)
    assertClean(capture.text(skip), `${name}: logs and spans`)
    assert.isAbove(capture.spans.length, 0, `${name}: no spans captured`)
    assert.isAbove(capture.logs.length, 0, `${name}: no logs captured`)
    return { exit, capture }
  })

const client = (http: RecordingHttp.Recording, options: Partial<OmiseClient.Options> = {}) =>
  http.client({ secretKey: Redacted.make(SECRET), userAgent: "shop/1.0", ...options })

/** A proxy or a debugging endpoint that reflects the request's Authorization header back. */
const echo = (status: number, shape: "json" | "html" | "header") =>
  RecordingHttp.makeWith((request) => {
    const auth = request.headers["authorization"] ?? ""
    const decoded = Buffer.from(auth.replace(/^Basic /, ""), "base64").toString()
    const reflected = `you sent ${auth} (${decoded})`
    if (shape === "json") return RecordingHttp.json(errorBody("bad_request", reflected), status)
    if (shape === "html") return { status, text: `<html><pre>${reflected}</pre></html>` }
    return { status, json: customer2019({ email: 42 }), headers: { "x-request-id": reflected } }
  })

describe("the secret key never leaks", () => {
  const outcomes: ReadonlyArray<
    readonly [string, () => RecordingHttp.Recording, Partial<OmiseClient.Options>, OmiseError["_tag"] | "success"]
  > = [
    ["success", () => RecordingHttp.make(RecordingHttp.json(customer2019())), {}, "success"],
    [
      "404",
      () => RecordingHttp.make(RecordingHttp.json(errorBody("not_found", "no such customer"), 404)),
      {},
      "OmiseNotFoundError"
    ],
    [
      "401",
      () => RecordingHttp.make(RecordingHttp.json(errorBody("authentication_failure", "bad key"), 401)),
      {},
      "OmiseAuthenticationError"
    ],
    [
      "400",
      () => RecordingHttp.make(RecordingHttp.json(errorBody("bad_request", "no"), 400)),
      {},
      "OmiseInvalidRequestError"
    ],
    [
      "429",
      () =>
        RecordingHttp.make(RecordingHttp.json(errorBody("too_many_requests", "slow"), 429, { "retry-after": "120" })),
      {},
      "OmiseRateLimitError"
    ],
    ["500", () => RecordingHttp.make({ status: 500, text: "<html>boom</html>" }), {}, "OmiseServerError"],
    [
      "connection reset",
      () => RecordingHttp.make({ transport: "socket hang up", code: "ECONNRESET" }),
      {},
      "OmiseTransportError"
    ],
    [
      "connection refused",
      () => RecordingHttp.make({ transport: "connect ECONNREFUSED", code: "ECONNREFUSED" }),
      {},
      "OmiseTransportError"
    ],
    ["undecodable body", () => RecordingHttp.make(RecordingHttp.json({ object: "charge" })), {}, "OmiseDecodeError"],
    ["echoed in an error body", () => echo(400, "json"), {}, "OmiseInvalidRequestError"],
    ["echoed in a proxy page", () => echo(502, "html"), {}, "OmiseServerError"],
    ["echoed in a 200 page", () => echo(200, "html"), {}, "OmiseDecodeError"]
  ]

  for (const [name, make, options, expected] of outcomes) {
    it.effect(`${name}: ${expected}`, () =>
      Effect.gen(function* () {
        const http = make()
        const { exit } = yield* driveAndCheck(name, Customer.retrieve(CUSTOMER_ID), client(http, options))
        assert.strictEqual(Exit.isSuccess(exit) ? "success" : errorOf(exit)?._tag, expected)
        // The key did go out, where it belongs.
        assert.strictEqual(http.requests[0]!.headers["authorization"], `Basic ${BASIC}`)
      })
    )
  }

  it.effect("echoed in X-Request-Id: scrubbed from the error and the operation span", () =>
    Effect.gen(function* () {
      const http = echo(200, "header")
      const { capture, exit } = yield* driveAndCheck(
        "echoed in X-Request-Id",
        Customer.retrieve(CUSTOMER_ID),
        client(http),
        undefined,
        // effect/http's own HTTP span records every response header verbatim, out of this
        // library's reach (the transport the application provides creates that span).
        (attribute) => attribute.startsWith("http.response.header.")
      )
      const error = errorOf(exit)
      assert.strictEqual(error?._tag, "OmiseDecodeError")
      assert.include(error?._tag === "OmiseDecodeError" ? error.requestId : "", "<redacted>")
      const span = capture.spans.find((span) => span.name === "Customer.retrieve")
      assert.include(String(span?.attributes.get("omise.request_id")), "<redacted>")
    })
  )

  it.effect("an invalid argument: OmiseInvalidArgumentError", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(customer2019()))
      const { exit } = yield* driveAndCheck("invalid id", Customer.retrieve(`cust_${SECRET}/x`), client(http))
      assert.strictEqual(errorOf(exit)?._tag, "OmiseInvalidArgumentError")
    })
  )

  it.effect("retried after 503s, then successful", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(
        { status: 503, text: "" },
        { status: 503, text: "" },
        RecordingHttp.json(customer2019())
      )
      const { capture, exit } = yield* driveAndCheck(
        "retried",
        Customer.retrieve(CUSTOMER_ID),
        client(http, { retry: Policy.retry({ times: 2, jitter: false, base: "1 second" }) }),
        Effect.gen(function* () {
          for (let i = 0; i < 4; i++) {
            yield* settle
            yield* TestClock.adjust("2 seconds")
          }
        })
      )
      assert.isTrue(Exit.isSuccess(exit))
      assert.strictEqual(http.requests.length, 3)
      assert.strictEqual(capture.spans.find((span) => span.name === "Customer.retrieve")?.events.length, 2)
    })
  )

  it.effect("timed out per attempt, and past the deadline: OmiseTimeoutError", () =>
    Effect.gen(function* () {
      for (const options of [{ timeout: "5 seconds" }, { deadline: "3 seconds" }] as const) {
        const http = RecordingHttp.make({ never: true })
        const { exit } = yield* driveAndCheck(
          JSON.stringify(options),
          Customer.retrieve(CUSTOMER_ID),
          client(http, options),
          Effect.andThen(settle, TestClock.adjust("10 seconds"))
        )
        assert.strictEqual(errorOf(exit)?._tag, "OmiseTimeoutError")
      }
    })
  )

  it.effect("a failing stream", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make({ transport: "socket hang up" })
      const { exit } = yield* driveAndCheck("stream", Stream.runDrain(Customer.stream()), client(http))
      assert.strictEqual(errorOf(exit)?._tag, "OmiseTransportError")
    })
  )

  it.effect("even when the application has emptied the header names effect/http redacts", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make({ status: 500, text: "" })
      const { capture } = yield* driveAndCheck(
        "no redacted names",
        Customer.retrieve(CUSTOMER_ID).pipe(Effect.provideService(Headers.CurrentRedactedNames, [])),
        client(http)
      )
      const httpSpan = capture.spans.find(Capture.isHttpSpan)
      assert.isDefined(httpSpan)
      assert.strictEqual(String(httpSpan?.attributes.get("http.request.header.user-agent")).includes("shop/1.0"), true)
    })
  )

  it.effect("the User-Agent names the library, the runtime and the application, never the key", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(customer2019()))
      const service = yield* Effect.provide(OmiseClient.OmiseClient, client(http))
      yield* Effect.provide(Customer.retrieve(CUSTOMER_ID), client(http))
      for (const userAgent of [service.userAgent, http.requests[0]!.headers["user-agent"]!]) {
        assertClean(userAgent, "User-Agent")
        assert.match(userAgent, /^effect-omise\/\S+ \S+\/\S+ shop\/1\.0$/)
      }
    })
  )
})

describe("the layer refuses configurations that would expose the key", () => {
  const build = (options: Partial<OmiseClient.Options>) =>
    Effect.exit(
      Effect.provide(
        OmiseClient.OmiseClient,
        OmiseClient.layer({ secretKey: Redacted.make(SECRET), ...options }).pipe(
          Layer.provide(RecordingHttp.make(RecordingHttp.json({})).layer)
        )
      )
    )

  const refused = (options: Partial<OmiseClient.Options>, text: string) =>
    Effect.gen(function* () {
      const exit = yield* build(options)
      assert.isTrue(Exit.isFailure(exit), `${JSON.stringify(options)} was accepted`)
      if (Exit.isFailure(exit)) {
        // Invalid data: one failure, a ConfigError whose cause is a schema issue (not a source error).
        const [reason] = exit.cause.reasons
        assert.isTrue(
          exit.cause.reasons.length === 1 &&
            reason !== undefined &&
            Cause.isFailReason(reason) &&
            reason.error instanceof Config.ConfigError &&
            Schema.isSchemaError(reason.error.cause),
          Cause.pretty(exit.cause)
        )
        const pretty = Cause.pretty(exit.cause)
        assert.include(pretty, text)
        for (const [where, rendered] of renderings(exit)) {
          assertClean(rendered, where)
          assert.notInclude(rendered, "pkey_test_SUPERSECRET")
        }
      }
    })

  it.effect("public keys, live or test, padded or not, are not secret keys", () =>
    Effect.gen(function* () {
      for (const key of ["pkey_test_SUPERSECRET123", "pkey_live_SUPERSECRET123", "  pkey_test_SUPERSECRET123\n"]) {
        yield* refused({ secretKey: Redacted.make(key) }, "public key")
      }
      yield* refused({ secretKey: Redacted.make("\t\n") }, "empty")
    })
  )

  it.effect("a secret key that is not Redacted (from JavaScript) is a configuration error, not a crash", () =>
    Effect.gen(function* () {
      const exit = yield* build({ secretKey: loose(SECRET) })
      assert.isTrue(
        Exit.isFailure(exit) && !Cause.hasDies(exit.cause),
        Exit.isFailure(exit) ? Cause.pretty(exit.cause) : ""
      )
      for (const [where, rendered] of renderings(exit)) assertClean(rendered, where)
    })
  )

  it.effect("plain http is refused off loopback, however the host is spelt", () =>
    Effect.gen(function* () {
      for (const apiUrl of [
        "http://api.omise.co",
        "HTTP://API.OMISE.CO",
        "http://localhost.attacker.example",
        "http://127.0.0.1.nip.io",
        "http://0.0.0.0:8080",
        "http://10.0.0.1",
        "http://[::ffff:8.8.8.8]",
        "http://user:pass@api.omise.co"
      ]) {
        yield* refused({ apiUrl }, "in clear")
      }
    })
  )

  it.effect("plain http to loopback (however spelt) is allowed, and anywhere with allowInsecureHttp", () =>
    Effect.gen(function* () {
      for (const apiUrl of ["http://127.0.0.1", "http://127.1.2.3:9", "http://LOCALHOST:8080", "http://2130706433"]) {
        assert.isTrue(Exit.isSuccess(yield* build({ apiUrl })), apiUrl)
      }
      assert.isTrue(Exit.isSuccess(yield* build({ apiUrl: "http://api.internal", allowInsecureHttp: true })))
      assert.isTrue(Exit.isFailure(yield* build({ apiUrl: "http://api.internal", allowInsecureHttp: false })))
    })
  )

  it.effect("layerConfig applies the same checks to OMISE_SECRET_KEY and OMISE_API_URL", () =>
    Effect.gen(function* () {
      const cases: ReadonlyArray<readonly [Record<string, string>, string]> = [
        [{ OMISE_SECRET_KEY: "" }, "empty"],
        [{ OMISE_SECRET_KEY: "pkey_test_SUPERSECRET123" }, "public key"],
        [{ OMISE_SECRET_KEY: SECRET, OMISE_API_URL: "http://api.omise.co" }, "in clear"]
      ]
      for (const [env, text] of cases) {
        const exit = yield* Effect.exit(
          Effect.provide(
            OmiseClient.OmiseClient,
            OmiseClient.layerConfig().pipe(
              Layer.provide(RecordingHttp.make(RecordingHttp.json({})).layer),
              Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown(env)))
            )
          )
        )
        assert.isTrue(Exit.isFailure(exit), JSON.stringify(env))
        if (Exit.isFailure(exit)) assert.include(Cause.pretty(exit.cause), text)
        for (const [where, rendered] of renderings(exit)) {
          assertClean(rendered, where)
          assert.notInclude(rendered, "pkey_test_SUPERSECRET")
        }
      }
    })
  )
})
