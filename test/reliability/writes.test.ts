/**
 * Issue 12 items 1 and 4. A 2xx to a write (POST, PATCH, DELETE) says the write happened: when its
 * body cannot be decoded, the `OmiseDecodeError` says `mayHaveTakenEffect: true`, and its message
 * says so, so that nobody retries a card creation with a new token. And a 2xx body nested deeper
 * than the bound fails typed, so that printing a decoded value can never overflow the stack.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Customer from "../../src/Customer.js"
import type * as OmiseClient from "../../src/OmiseClient.js"
import type { OmiseError } from "../../src/OmiseError.js"
import { CARD_ID, CUSTOMER_ID, customer2019, errorBody } from "../fixtures/bodies.js"
import * as RecordingHttp from "../utils/RecordingHttp.js"

const writes = [
  ["create with a card token", () => Customer.create({ email: "a@example.com", card: "tokn_test_5abc" })],
  ["update attaching a card", () => Customer.update(CUSTOMER_ID, { card: "tokn_test_5abc" })],
  ["update", () => Customer.update(CUSTOMER_ID, { description: "x" })],
  ["destroy", () => Customer.destroy(CUSTOMER_ID)],
  ["updateCard", () => Customer.updateCard(CUSTOMER_ID, CARD_ID, { name: "A B" })],
  ["destroyCard", () => Customer.destroyCard(CUSTOMER_ID, CARD_ID)]
] as const

const reads = [
  ["retrieve", () => Customer.retrieve(CUSTOMER_ID)],
  ["list", () => Customer.list()]
] as const

const undecodable: ReadonlyArray<readonly [string, RecordingHttp.Reply]> = [
  ["HTML", { status: 200, text: "<html>ok</html>" }],
  ["an empty body", { status: 200, text: "" }],
  ["JSON of another shape", RecordingHttp.json({ object: "customer", id: 42 })],
  ["a 201 with truncated JSON", { status: 201, text: '{"object":"customer","id":"cust_' }],
  [
    "metadata nested 100,000 deep",
    {
      status: 200,
      text: JSON.stringify(customer2019({ metadata: { n: "PLACEHOLDER" } })).replace(
        '"PLACEHOLDER"',
        "[".repeat(100_000) + "]".repeat(100_000)
      )
    }
  ]
]

const run = (call: () => Effect.Effect<unknown, OmiseError, OmiseClient.OmiseClient>, reply: RecordingHttp.Reply) => {
  const http = RecordingHttp.make(reply)
  return Effect.map(Effect.flip(Effect.provide(call(), Layer.orDie(http.client()))), (error) => ({ error, http }))
}

describe("a 2xx to a write that cannot be decoded may have taken effect", () => {
  for (const [name, call] of writes) {
    for (const [what, reply] of undecodable) {
      it.effect(`${name} answered ${what}: OmiseDecodeError, mayHaveTakenEffect, said in the message`, () =>
        Effect.gen(function* () {
          const { error, http } = yield* run(call, reply)
          assert.strictEqual(error._tag, "OmiseDecodeError")
          assert.isTrue(error._tag === "OmiseDecodeError" && error.mayHaveTakenEffect)
          assert.include(error.message, "most likely taken effect")
          assert.include(error.message, "(the request may have taken effect)")
          assert.strictEqual(http.requests.length, 1)
        })
      )
    }
    it.effect(`${name} answered 200 with an Omise error body: the error says it may have taken effect`, () =>
      Effect.gen(function* () {
        const { error } = yield* run(call, RecordingHttp.json(errorBody("bad_request", "nope"), 200))
        assert.isTrue("mayHaveTakenEffect" in error && error.mayHaveTakenEffect, error._tag)
      })
    )
  }
  for (const [name, call] of reads) {
    for (const [what, reply] of undecodable) {
      it.effect(`${name} answered ${what}: OmiseDecodeError, nothing taken effect`, () =>
        Effect.gen(function* () {
          const { error } = yield* run(call, reply)
          assert.strictEqual(error._tag, "OmiseDecodeError")
          assert.isTrue(error._tag === "OmiseDecodeError" && !error.mayHaveTakenEffect)
          assert.notInclude(error.message, "taken effect")
        })
      )
    }
  }
})

describe("depth limits apply to every decoded body", () => {
  it.effect("a customer whose metadata nests 100,000 deep fails typed; one within the bound prints and logs", () =>
    Effect.gen(function* () {
      const deep = (levels: number) =>
        JSON.stringify(customer2019({ metadata: { n: "PLACEHOLDER" } })).replace(
          '"PLACEHOLDER"',
          '{"a":'.repeat(levels) + "1" + "}".repeat(levels)
        )
      const { error } = yield* run(() => Customer.retrieve(CUSTOMER_ID), { status: 200, text: deep(100_000) })
      assert.strictEqual(error._tag, "OmiseDecodeError")
      assert.include(error.message, "nests deeper than 100 levels")
      // Whatever decodes can be printed.
      const customer = yield* Effect.provide(
        Customer.retrieve(CUSTOMER_ID),
        RecordingHttp.make({ status: 200, text: deep(90) }).client()
      )
      assert.isString(JSON.stringify(customer))
      assert.isString(String(customer))
      yield* Effect.log(customer)
      // One level more than the bound allows is refused.
      const over = yield* run(() => Customer.retrieve(CUSTOMER_ID), { status: 200, text: deep(100) })
      assert.strictEqual(over.error._tag, "OmiseDecodeError")
    })
  )

  it.effect("a list whose items nest deep fails typed too", () =>
    Effect.gen(function* () {
      const body = JSON.stringify({
        object: "list",
        data: [customer2019({ metadata: { n: "PLACEHOLDER" } })],
        limit: 20,
        offset: 0,
        total: 1,
        location: "/customers",
        order: "chronological",
        from: "1970-01-01T00:00:00Z",
        to: "2024-03-02T00:00:00Z"
      }).replace('"PLACEHOLDER"', "[".repeat(100_000) + "]".repeat(100_000))
      const { error } = yield* run(() => Customer.list(), { status: 200, text: body })
      assert.strictEqual(error._tag, "OmiseDecodeError")
    })
  )
})
