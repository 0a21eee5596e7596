import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Customer from "../src/Customer.js"
import type { OmiseClient } from "../src/OmiseClient.js"
import { CARD_ID, CUSTOMER_ID } from "./fixtures/bodies.js"
import * as RecordingHttp from "./utils/RecordingHttp.js"

// Deliberately ill-typed inputs, as JavaScript callers or untrusted data can produce them.
const loose = <T>(value: unknown): T => value as T

const rejects = (
  name: string,
  call: () => Effect.Effect<unknown, unknown, OmiseClient>,
  argument: string,
  text: string
) =>
  it.effect(`${name} fails with OmiseInvalidArgumentError and sends nothing`, () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json({}))
      const error = yield* Effect.flip(Effect.provide(call(), http.client()))
      assert.strictEqual(http.requests.length, 0)
      assert.strictEqual((error as { _tag: string })._tag, "OmiseInvalidArgumentError")
      const { argument: actual, detail, operation } = error as { argument: string; detail: string; operation: string }
      assert.strictEqual(actual, argument)
      assert.match(operation, /^Customer\./)
      assert.include(detail, text)
    })
  )

describe("invalid arguments are rejected before sending", () => {
  for (const id of [
    "",
    "cust",
    "cust_",
    "cust_../../charges",
    "cust_a/b",
    "cust_a?b=1",
    "cust_a#b",
    "cust_a b",
    "cust_a\r\nX: y",
    "cust_%2e%2e",
    "card_test_1",
    "cust_é",
    "cust_" + "a".repeat(10_000)
  ]) {
    rejects(`retrieve(${JSON.stringify(id.slice(0, 30))})`, () => Customer.retrieve(id), "id", "customer id")
  }
  rejects("retrieve(undefined)", () => Customer.retrieve(loose(undefined)), "id", "Expected")
  rejects("retrieveCard with a bad card id", () => Customer.retrieveCard(CUSTOMER_ID, "card_../x"), "cardId", "card id")
  rejects(
    "destroyCard with a customer id as card id",
    () => Customer.destroyCard(CUSTOMER_ID, CUSTOMER_ID),
    "cardId",
    "card id"
  )
  rejects("updateCard with a bad customer id", () => Customer.updateCard("x", CARD_ID, {}), "id", "customer id")
  rejects("list limit 0", () => Customer.list({ limit: 0 }), "params", "limit")
  rejects("list limit 101", () => Customer.list({ limit: 101 }), "params", "limit")
  rejects("list limit 1.5", () => Customer.list({ limit: 1.5 }), "params", "limit")
  rejects("list limit NaN", () => Customer.list({ limit: NaN }), "params", "limit")
  rejects("list offset -1", () => Customer.list({ offset: -1 }), "params", "offset")
  rejects("list offset huge", () => Customer.list({ offset: 2 ** 60 }), "params", "offset")
  rejects("list from invalid date", () => Customer.list({ from: "not a date" }), "params", "from")
  rejects("list from Invalid Date", () => Customer.list({ from: new Date(NaN) }), "params", "from")
  rejects(
    "list from after to",
    () => Customer.list({ from: "2024-02-01", to: "2024-01-01" }),
    "params",
    "`from` must not be after `to`"
  )
  rejects("list unknown order", () => Customer.list({ order: loose("newest") }), "params", "order")
  rejects("list unknown parameter", () => Customer.list(loose({ limt: 10 })), "params", "limt")
  rejects("listCards limit 1000", () => Customer.listCards(CUSTOMER_ID, { limit: 1000 }), "params", "limit")
  rejects("listSchedules offset -5", () => Customer.listSchedules(CUSTOMER_ID, { offset: -5 }), "params", "offset")
  rejects("search page 0", () => Customer.search({ page: 0 }), "params", "page")
  rejects("search per_page 0", () => Customer.search({ per_page: 0 }), "params", "per_page")
  rejects("search per_page 101", () => Customer.search({ per_page: 101 }), "params", "per_page")
  rejects("search filter name with brackets", () => Customer.search({ filters: { "a]": "x" } }), "params", "filters.a]")
  rejects(
    "search filter named __proto__ (it would vanish from the query)",
    () => Customer.search({ filters: JSON.parse('{"__proto__": "x", "created": "today"}') }),
    "params",
    "__proto__"
  )
  rejects(
    "search filter value object",
    () => Customer.search({ filters: loose({ created: { a: 1 } }) }),
    "params",
    "filters"
  )
  rejects("create metadata array", () => Customer.create({ metadata: loose([1, 2]) }), "params", "metadata")
  rejects("create metadata null", () => Customer.create({ metadata: loose(null) }), "params", "metadata")
  rejects(
    "create metadata with a function",
    () => Customer.create({ metadata: loose({ f: () => 1 }) }),
    "params",
    "metadata"
  )
  rejects("create metadata with NaN", () => Customer.create({ metadata: { n: NaN } }), "params", "metadata")
  rejects("create metadata with a bigint", () => Customer.create({ metadata: loose({ n: 1n }) }), "params", "metadata")
  rejects(
    "create metadata with a key named __proto__ (it would vanish from the body)",
    () => Customer.create({ metadata: JSON.parse('{"__proto__": {"x": 1}, "plan": "gold"}') }),
    "params",
    "__proto__"
  )
  rejects(
    "create metadata with a nested key named __proto__",
    () => Customer.create({ metadata: JSON.parse('{"plan": {"__proto__": 1}}') }),
    "params",
    "__proto__"
  )
  rejects("create card that is not a token", () => Customer.create({ card: "card_test_1" }), "params", "card token")
  rejects("create email not a string", () => Customer.create({ email: loose(42) }), "params", "email")
  rejects("create params not an object", () => Customer.create(loose("x")), "params", "Expected")
  rejects(
    "update default_card that is not a card id",
    () => Customer.update(CUSTOMER_ID, { default_card: "tokn_1" }),
    "params",
    "card id"
  )
  rejects(
    "updateCard expiration_month 13",
    () => Customer.updateCard(CUSTOMER_ID, CARD_ID, { expiration_month: 13 }),
    "params",
    "expiration_month"
  )
  rejects(
    "updateCard expiration_month 0",
    () => Customer.updateCard(CUSTOMER_ID, CARD_ID, { expiration_month: 0 }),
    "params",
    "expiration_month"
  )
  rejects(
    "updateCard expiration_year 24",
    () => Customer.updateCard(CUSTOMER_ID, CARD_ID, { expiration_year: 24 }),
    "params",
    "expiration_year"
  )
  rejects(
    "updateCard unknown field",
    () => Customer.updateCard(CUSTOMER_ID, CARD_ID, loose({ number: "4242" })),
    "params",
    "number"
  )
})

describe("ids are URL-encoded into the path", () => {
  it.effect("a valid id appears verbatim", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json({}))
      yield* Effect.flip(Effect.provide(Customer.retrieveCard("cust_test_A_1", "card_test_B_2"), http.client()))
      assert.strictEqual(http.requests[0]!.path, "/customers/cust_test_A_1/cards/card_test_B_2")
    })
  )
})
