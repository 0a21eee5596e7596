/**
 * Issue 12 items 11 and 12, issue 13 item 7: the layer refuses an `apiUrl` with user info
 * (without echoing it), a query or a fragment, and keeps a path prefix; `timeout`/`deadline` that
 * are not positive durations and a `userAgent` with control characters are a `ConfigError` at
 * build; a missing `OMISE_SECRET_KEY` says which variable to set and what a key looks like.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Customer from "../../src/Customer.js"
import * as OmiseClient from "../../src/OmiseClient.js"
import { CUSTOMER_ID, customer2019 } from "../fixtures/bodies.js"
import { loose } from "../hardening/helpers.js"
import * as RecordingHttp from "../utils/RecordingHttp.js"

const build = (options: Partial<OmiseClient.Options>) => {
  const http = RecordingHttp.make(RecordingHttp.json(customer2019()))
  return Effect.exit(
    Effect.provide(
      OmiseClient.OmiseClient,
      OmiseClient.layer({ secretKey: Redacted.make("skey_test_5config"), ...options }).pipe(Layer.provide(http.layer))
    )
  )
}

const refused = (options: Partial<OmiseClient.Options>, text: string, secret?: string) =>
  Effect.gen(function* () {
    const exit = yield* build(options)
    assert.isTrue(Exit.isFailure(exit), `${String(Object.keys(options))} was accepted`)
    if (Exit.isFailure(exit)) {
      assert.isFalse(Cause.hasDies(exit.cause), Cause.pretty(exit.cause))
      const error = Cause.findErrorOption(exit.cause)
      assert.isTrue(error._tag === "Some" && error.value instanceof Config.ConfigError)
      const pretty = Cause.pretty(exit.cause)
      assert.include(pretty, text)
      if (secret !== undefined) {
        assert.notInclude(pretty, secret)
        assert.notInclude(JSON.stringify(exit), secret)
      }
    }
  })

describe("apiUrl", () => {
  it.effect("user info is refused without being echoed", () =>
    Effect.gen(function* () {
      for (const apiUrl of [
        "https://skey_test_5leaked@api.omise.co",
        "https://skey_test_5leaked:x@api.omise.co/",
        "https://:skey_test_5leaked@api.omise.co",
        "http://skey_test_5leaked@127.0.0.1:9"
      ]) {
        yield* refused({ apiUrl }, "user info", "skey_test_5leaked")
      }
    })
  )

  it.effect("a query or a fragment is refused", () =>
    Effect.gen(function* () {
      for (const apiUrl of [
        "https://api.omise.co/?a=1",
        "https://api.omise.co?",
        "https://api.omise.co/#x",
        "https://api.omise.co#"
      ]) {
        yield* refused({ apiUrl }, "query or fragment")
      }
    })
  )

  it.effect("a URL that does not parse is refused without being echoed", () =>
    refused({ apiUrl: "https://skey_test_5leaked@exa mple.com" }, "not a URL", "skey_test_5leaked")
  )

  it.effect("a path prefix is kept: https://proxy/omise → /omise/customers/...", () =>
    Effect.gen(function* () {
      for (const apiUrl of [
        "https://proxy.test/omise",
        "https://proxy.test/omise/",
        "https://PROXY.test:443/omise//"
      ]) {
        const http = RecordingHttp.make(RecordingHttp.json(customer2019()))
        yield* Effect.provide(Customer.retrieve(CUSTOMER_ID), http.client({ apiUrl }))
        assert.strictEqual(http.requests[0]!.url.href, `https://proxy.test/omise/customers/${CUSTOMER_ID}`)
        const service = yield* Effect.provide(OmiseClient.OmiseClient, http.client({ apiUrl }))
        assert.strictEqual(service.apiUrl, "https://proxy.test/omise")
      }
    })
  )
})

describe("timeout, deadline and userAgent", () => {
  it.effect("timeouts and deadlines that are not positive durations are a ConfigError at build", () =>
    Effect.gen(function* () {
      for (const key of ["timeout", "deadline"] as const) {
        for (const value of ["abc", -1, Number.NaN, 0, "-5 seconds", {}, null, "0 millis"]) {
          yield* refused({ [key]: loose(value) }, key)
        }
      }
    })
  )

  it.effect("valid durations are accepted", () =>
    Effect.gen(function* () {
      const values: ReadonlyArray<Duration.Input> = ["30 seconds", 1500, Number.POSITIVE_INFINITY, { seconds: 2 }]
      for (const value of values) {
        const exit = yield* build({ timeout: value, deadline: value })
        assert.isTrue(Exit.isSuccess(exit), String(value))
      }
    })
  )

  it.effect("a userAgent with control characters is refused", () =>
    Effect.gen(function* () {
      for (const userAgent of ["shop/1.0\r\nX-Injected: 1", "shop\n", "shop\u0000", "shop\u007f", "shop/1.0 \u2603"]) {
        yield* refused({ userAgent }, "userAgent")
      }
      const exit = yield* build({ userAgent: "my-shop/1.2 (+https://shop.example)" })
      assert.isTrue(Exit.isSuccess(exit))
    })
  )
})

describe("layerConfig", () => {
  it.effect("a missing OMISE_SECRET_KEY says which variable to set and what a key looks like", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(customer2019()))
      const exit = yield* Effect.exit(
        Effect.provide(OmiseClient.OmiseClient, OmiseClient.layerConfig().pipe(Layer.provide(http.layer))).pipe(
          Effect.provide(ConfigProvider.layer(ConfigProvider.fromUnknown({})))
        )
      )
      assert.isTrue(Exit.isFailure(exit))
      const pretty = Exit.isFailure(exit) ? Cause.pretty(exit.cause) : ""
      assert.include(pretty, "set OMISE_SECRET_KEY")
      assert.include(pretty, "skey_test_...")
      assert.include(pretty, "skey_live_...")
    })
  )
})
