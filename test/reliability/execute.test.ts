/**
 * `OmiseClient.execute`, the escape hatch: a body JSON cannot encode is a typed bad argument and
 * nothing is sent; a call made directly has a span of its own (the caller's span is left alone),
 * while an operation's call still records on the operation's span. The decoder of a schema is
 * prepared once, not per call.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Schema from "effect/Schema"
import { TestClock } from "effect/testing"
import * as Customer from "../../src/Customer.js"
import * as OmiseClient from "../../src/OmiseClient.js"
import * as Execute from "../../src/internal/execute.js"
import * as Response from "../../src/internal/response.js"
import * as Policy from "../../src/Policy.js"
import { CUSTOMER_ID, customer2019, errorBody } from "../fixtures/bodies.js"
import * as Capture from "../hardening/capture.js"
import * as RecordingHttp from "../utils/RecordingHttp.js"

const Account = Schema.Struct({ object: Schema.Literal("account"), id: Schema.String })

describe("execute with a body JSON cannot encode", () => {
  const cyclic: Record<string, unknown> = { a: 1 }
  cyclic["self"] = cyclic
  const cases: ReadonlyArray<readonly [string, Record<string, unknown>, string]> = [
    ["a bigint", { n: 1n }, "BigInt"],
    ["a cycle", { nested: cyclic }, "circular"],
    [
      "a throwing toJSON",
      {
        bad: {
          toJSON() {
            throw new Error("no JSON for you")
          }
        }
      },
      "no JSON for you"
    ]
  ]
  for (const [name, body, says] of cases) {
    it.effect(`${name}: OmiseInvalidArgumentError (argument body, the request's operation), nothing sent`, () =>
      Effect.gen(function* () {
        const http = RecordingHttp.make(RecordingHttp.json({ object: "account", id: "acct_1" }))
        const client = yield* Effect.provide(OmiseClient.OmiseClient, http.client())
        const error = yield* Effect.flip(
          client.execute({ method: "POST", path: "/things", body, operation: "Thing.create" }, Account)
        )
        assert.strictEqual(error._tag, "OmiseInvalidArgumentError")
        if (error._tag !== "OmiseInvalidArgumentError") return
        assert.strictEqual(error.operation, "Thing.create")
        assert.strictEqual(error.argument, "body")
        assert.include(error.detail, "cannot be encoded as JSON")
        assert.include(error.detail, says)
        assert.strictEqual(http.requests.length, 0)
        // Without an operation, the request's method says which.
        const unnamed = yield* Effect.flip(client.execute({ method: "PATCH", path: "/things/1", body }, Account))
        assert.strictEqual(unnamed._tag === "OmiseInvalidArgumentError" ? unnamed.operation : "", "PATCH other")
        assert.strictEqual(http.requests.length, 0)
      })
    )
  }
})

describe("execute's span", () => {
  it.effect("called directly, it opens its own span under the caller's and leaves the caller's alone", () =>
    Effect.gen(function* () {
      const capture = Capture.make()
      const http = RecordingHttp.make(RecordingHttp.json({ object: "account", id: "acct_1" }))
      yield* Capture.within(capture)(
        Effect.provide(
          Effect.withSpan(
            OmiseClient.OmiseClient.use((client) => client.execute({ method: "GET", path: "/account" }, Account)),
            "app.caller"
          ),
          http.client()
        )
      )
      const caller = capture.spans.find((span) => span.name === "app.caller")!
      const own = capture.spans.find((span) => span.name === "OmiseClient.execute")
      assert.isDefined(own, capture.spans.map((span) => span.name).join(", "))
      assert.strictEqual(own!.parentSpanId, caller.spanId)
      assert.strictEqual(own!.attributes.get("http.request.method"), "GET")
      assert.strictEqual(own!.attributes.get("omise.path"), "/account")
      assert.strictEqual(own!.attributes.get("omise.outcome"), "success")
      assert.strictEqual(own!.attributes.get("omise.attempts"), 1)
      assert.strictEqual(own!.exit?._tag, "Success")
      // The caller's span carries nothing of the request.
      assert.deepStrictEqual(
        [...caller.attributes.keys()].filter((key) => key.startsWith("omise.") || key.startsWith("http.")),
        []
      )
      // The HTTP client's span nests under execute's.
      const httpSpans = capture.spans.filter(Capture.isHttpSpan)
      assert.strictEqual(httpSpans.length, 1)
      assert.strictEqual(httpSpans[0]!.parentSpanId, own!.spanId)
    })
  )

  it.effect("a request that names its operation gets a span of that name", () =>
    Effect.gen(function* () {
      const capture = Capture.make()
      const http = RecordingHttp.make(RecordingHttp.json({ object: "account", id: "acct_1" }))
      yield* Capture.within(capture)(
        Effect.provide(
          OmiseClient.OmiseClient.use((client) =>
            client.execute({ method: "GET", path: "/account", operation: "Account.retrieve" }, Account)
          ),
          http.client()
        )
      )
      const spans = capture.spans.filter((span) => span.name === "Account.retrieve")
      assert.strictEqual(spans.length, 1)
      assert.strictEqual(spans[0]!.attributes.get("omise.path"), "/account")
    })
  )

  it.effect("an operation records on its own span: no second span", () =>
    Effect.gen(function* () {
      const capture = Capture.make()
      const http = RecordingHttp.make(RecordingHttp.json(customer2019()))
      yield* Capture.within(capture)(Effect.provide(Customer.retrieve(CUSTOMER_ID), http.client()))
      const names = capture.spans.filter((span) => !Capture.isHttpSpan(span)).map((span) => span.name)
      assert.deepStrictEqual(names, ["Customer.retrieve"])
      assert.strictEqual(capture.spans[0]!.attributes.get("omise.object_id"), CUSTOMER_ID)
    })
  )
})

describe("Answered", () => {
  it.effect("is told the attempts and request id of each call that succeeds, and nothing of a failure", () =>
    Effect.gen(function* () {
      const told: Array<Execute.Answer> = []
      const http = RecordingHttp.make(
        { status: 503, text: "busy" },
        RecordingHttp.json({ object: "account", id: "acct_1" }),
        RecordingHttp.json(errorBody("not_found", "gone"), 404)
      )
      const client = yield* Effect.provide(
        OmiseClient.OmiseClient,
        http.client({ retry: Policy.retry({ times: 1, base: "1 millis", jitter: false }) })
      )
      const call = client.execute({ method: "GET", path: "/account" }, Account)
      const fiber = yield* Effect.forkChild(
        Effect.provideService(
          Effect.andThen(call, Effect.flip(call)),
          Execute.Answered,
          (answer) => void told.push(answer)
        )
      )
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(told, [{ attempts: 2, requestId: "req-2" }])
    })
  )
})

describe("decoding", () => {
  it("is prepared once per schema", () => {
    assert.strictEqual(Response.decoding(Account), Response.decoding(Account))
    assert.strictEqual(Response.decoding(Customer.Customer), Response.decoding(Customer.Customer))
    assert.notStrictEqual<unknown>(Response.decoding(Account), Response.decoding(Customer.Customer))
  })
})
