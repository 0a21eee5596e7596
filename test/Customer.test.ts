import { assert, describe, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as Card from "../src/Card.js"
import * as Customer from "../src/Customer.js"
import * as OmiseList from "../src/OmiseList.js"
import * as Schedule from "../src/Schedule.js"
import {
  CARD_ID,
  card2017,
  card2019,
  CUSTOMER_ID,
  customer2017,
  customer2019,
  errorBody,
  list,
  schedule2017,
  schedule2019,
  search
} from "./fixtures/bodies.js"
import * as RecordingHttp from "./utils/RecordingHttp.js"

const run = <A, E>(
  recording: RecordingHttp.Recording,
  effect: Effect.Effect<A, E, import("../src/OmiseClient.js").OmiseClient>
) => Effect.provide(effect, recording.client())

const assertCommonHeaders = (request: RecordingHttp.Recorded) => {
  assert.strictEqual(request.headers["authorization"], RecordingHttp.basicAuth)
  assert.strictEqual(request.headers["omise-version"], "2019-05-29")
  assert.strictEqual(request.headers["accept"], "application/json")
  assert.match(request.headers["user-agent"]!, /^effect-omise\/\d+\.\d+\.\d+ Node\/\d+\.\d+\.\d+$/)
}

describe("Customer operations", () => {
  it.effect("create sends POST /customers with a JSON body and decodes the customer", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(customer2019()))
      const customer = yield* run(
        http,
        Customer.create({
          email: "somchai@example.com",
          description: "Somchai's shop",
          card: "tokn_test_5abc",
          metadata: { plan: "gold", seats: 3, tags: ["a", "b"], nested: { ok: true } }
        })
      )
      assert.strictEqual(http.requests.length, 1)
      const [request] = http.requests
      assert.strictEqual(request!.method, "POST")
      assert.strictEqual(request!.url.href, "https://api.test/customers")
      assert.strictEqual(request!.contentType, "application/json")
      assert.deepStrictEqual(request!.body, {
        email: "somchai@example.com",
        description: "Somchai's shop",
        card: "tokn_test_5abc",
        metadata: { plan: "gold", seats: 3, tags: ["a", "b"], nested: { ok: true } }
      })
      assertCommonHeaders(request!)
      assert.instanceOf(customer, Customer.Customer)
      assert.strictEqual(customer.id, CUSTOMER_ID)
      assert.strictEqual(customer.default_card, CARD_ID)
      assert.deepStrictEqual(customer.metadata, { plan: "gold", seats: 3 })
      assert.strictEqual(DateTime.formatIso(customer.created_at), "2024-03-01T10:00:01.000Z")
      assert.instanceOf(customer.cards.data[0], Card.Card)
      assert.strictEqual(customer.cards.data[0]!.last_digits, "4242")
    })
  )

  it.effect("create with no params sends an empty JSON object", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(customer2019({ cards: list([]), default_card: null })))
      const customer = yield* run(http, Customer.create())
      assert.deepStrictEqual(http.requests[0]!.body, {})
      assert.strictEqual(customer.default_card, null)
      assert.strictEqual(customer.cards.total, 0)
    })
  )

  it.effect("retrieve sends GET /customers/:id with no body", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(customer2019()))
      const customer = yield* run(http, Customer.retrieve(CUSTOMER_ID))
      const request = http.requests[0]!
      assert.strictEqual(request.method, "GET")
      assert.strictEqual(request.url.href, `https://api.test/customers/${CUSTOMER_ID}`)
      assert.strictEqual(request.body, undefined)
      assertCommonHeaders(request)
      assert.strictEqual(customer.email, "somchai@example.com")
    })
  )

  it.effect("update sends PATCH with only the given fields", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(customer2019({ email: "new@example.com" })))
      const customer = yield* run(
        http,
        Customer.update(CUSTOMER_ID, { email: "new@example.com", default_card: CARD_ID })
      )
      const request = http.requests[0]!
      assert.strictEqual(request.method, "PATCH")
      assert.strictEqual(request.path, `/customers/${CUSTOMER_ID}`)
      assert.deepStrictEqual(request.body, { email: "new@example.com", default_card: CARD_ID })
      assert.strictEqual(customer.email, "new@example.com")
    })
  )

  it.effect("destroy sends DELETE and decodes the 2019 full deleted object", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(
        RecordingHttp.json(customer2019({ deleted: true, default_card: null, cards: list([]) }))
      )
      const deleted = yield* run(http, Customer.destroy(CUSTOMER_ID))
      assert.strictEqual(http.requests[0]!.method, "DELETE")
      assert.strictEqual(http.requests[0]!.path, `/customers/${CUSTOMER_ID}`)
      assert.deepStrictEqual(
        deleted,
        new Customer.DeletedCustomer({
          object: "customer",
          id: Schema.decodeSync(Customer.CustomerId)(CUSTOMER_ID),
          livemode: false,
          deleted: true
        })
      )
    })
  )

  it.effect("destroy decodes the 2017 stub", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(
        RecordingHttp.json({ object: "customer", id: CUSTOMER_ID, livemode: false, deleted: true })
      )
      const deleted = yield* run(http, Customer.destroy(CUSTOMER_ID))
      assert.strictEqual(deleted.id, CUSTOMER_ID)
      assert.strictEqual(deleted.deleted, true)
    })
  )

  it.effect("destroy of an object that is not deleted is a decode error", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(customer2019()))
      const error = yield* Effect.flip(run(http, Customer.destroy(CUSTOMER_ID)))
      assert.strictEqual(error._tag, "OmiseDecodeError")
    })
  )

  it.effect("list sends paging parameters in the query string", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(
        RecordingHttp.json(
          list([customer2019(), customer2017()], { limit: 2, offset: 4, total: 9, order: "reverse_chronological" })
        )
      )
      const page = yield* run(
        http,
        Customer.list({
          limit: 2,
          offset: 4,
          order: "reverse_chronological",
          from: "2024-01-01T07:00:00+07:00",
          to: DateTime.makeUnsafe("2024-02-01T00:00:00Z")
        })
      )
      const request = http.requests[0]!
      assert.strictEqual(request.method, "GET")
      assert.strictEqual(request.path, "/customers")
      assert.deepStrictEqual(request.query, {
        offset: "4",
        limit: "2",
        from: "2024-01-01T00:00:00.000Z",
        to: "2024-02-01T00:00:00.000Z",
        order: "reverse_chronological"
      })
      assert.strictEqual(request.body, undefined)
      assert.strictEqual(page.total, 9)
      assert.strictEqual(page.data.length, 2)
      assert.instanceOf(page.data[1], Customer.Customer)
      assert.strictEqual(page.order, "reverse_chronological")
    })
  )

  it.effect("list with no params sends no query", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(list([])))
      yield* run(http, Customer.list())
      assert.strictEqual(http.requests[0]!.url.search, "")
    })
  )

  it.effect("listCards sends GET /customers/:id/cards", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(list([card2019(), card2017()])))
      const page = yield* run(http, Customer.listCards(CUSTOMER_ID, { limit: 100 }))
      assert.strictEqual(http.requests[0]!.path, `/customers/${CUSTOMER_ID}/cards`)
      assert.deepStrictEqual(http.requests[0]!.query, { limit: "100" })
      assert.strictEqual(page.data.length, 2)
      assert.strictEqual(DateTime.formatIso(page.data[1]!.created_at), "2017-11-04T06:41:07.000Z")
    })
  )

  it.effect("listSchedules sends GET /customers/:id/schedules and decodes both versions", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(list([schedule2019(), schedule2017()])))
      const page = yield* run(http, Customer.listSchedules(CUSTOMER_ID, { offset: 0 }))
      assert.strictEqual(http.requests[0]!.path, `/customers/${CUSTOMER_ID}/schedules`)
      assert.deepStrictEqual(http.requests[0]!.query, { offset: "0" })
      const [modern, legacy] = page.data
      assert.instanceOf(modern, Schedule.Schedule)
      assert.strictEqual(modern!.status, "running")
      assert.strictEqual(legacy!.status, "running")
      assert.strictEqual(legacy!.active, true)
      assert.strictEqual(legacy!.start_on, "2017-05-30")
      assert.strictEqual(legacy!.end_on, "2018-05-30")
      assert.deepStrictEqual<ReadonlyArray<string>>(legacy!.next_occurrences_on, ["2017-11-06", "2017-11-10"])
      assert.strictEqual(legacy!.charge!.currency, "THB")
      assert.strictEqual(legacy!.charge!.card, null)
      assert.strictEqual(legacy!.occurrences!.data[0]!.scheduled_on, "2017-05-30")
      assert.strictEqual(modern!.charge!.id, "rchg_test_1")
      assert.deepStrictEqual(modern!.on, { days_of_month: [1] })
    })
  )

  it.effect("search sends scope, query, bracketed filters, order and paging", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(
        RecordingHttp.json(
          search([customer2019()], { query: "somchai", filters: { created: "2024-01-01..2024-03-31" } })
        )
      )
      const result = yield* run(
        http,
        Customer.search({ query: "somchai", filters: { created: "2024-01-01..2024-03-31" }, page: 2, per_page: 10 })
      )
      const request = http.requests[0]!
      assert.strictEqual(request.method, "GET")
      assert.strictEqual(request.path, "/search")
      assert.deepStrictEqual(request.query, {
        scope: "customer",
        query: "somchai",
        "filters[created]": "2024-01-01..2024-03-31",
        order: "chronological",
        page: "2",
        per_page: "10"
      })
      assert.include(request.url.search, "filters%5Bcreated%5D=2024-01-01..2024-03-31")
      assert.strictEqual(result.total, 1)
      assert.deepStrictEqual(result.filters, { created: "2024-01-01..2024-03-31" })
      assert.instanceOf(result.data[0], Customer.Customer)
    })
  )

  it.effect("retrieveCard sends GET /customers/:id/cards/:card_id", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(card2019()))
      const card = yield* run(http, Customer.retrieveCard(CUSTOMER_ID, CARD_ID))
      assert.strictEqual(http.requests[0]!.method, "GET")
      assert.strictEqual(http.requests[0]!.path, `/customers/${CUSTOMER_ID}/cards/${CARD_ID}`)
      assert.instanceOf(card, Card.Card)
      assert.strictEqual(card.brand, "Visa")
    })
  )

  it.effect("updateCard sends PATCH with the card fields", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(card2019({ name: "New Name", expiration_month: 1 })))
      const card = yield* run(
        http,
        Customer.updateCard(CUSTOMER_ID, CARD_ID, { name: "New Name", expiration_month: 1, expiration_year: 2031 })
      )
      assert.strictEqual(http.requests[0]!.method, "PATCH")
      assert.strictEqual(http.requests[0]!.path, `/customers/${CUSTOMER_ID}/cards/${CARD_ID}`)
      assert.deepStrictEqual(http.requests[0]!.body, { name: "New Name", expiration_month: 1, expiration_year: 2031 })
      assert.strictEqual(card.name, "New Name")
    })
  )

  it.effect("destroyCard sends DELETE and decodes both deleted shapes", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(
        RecordingHttp.json(card2019({ deleted: true })),
        RecordingHttp.json({ object: "card", id: CARD_ID, livemode: false, deleted: true })
      )
      const modern = yield* run(http, Customer.destroyCard(CUSTOMER_ID, CARD_ID))
      const legacy = yield* run(http, Customer.destroyCard(CUSTOMER_ID, CARD_ID))
      assert.strictEqual(http.requests[0]!.method, "DELETE")
      assert.strictEqual(http.requests[0]!.path, `/customers/${CUSTOMER_ID}/cards/${CARD_ID}`)
      assert.instanceOf(modern, Card.DeletedCard)
      assert.deepStrictEqual(modern, legacy)
    })
  )

  it.effect("a 404 from retrieve is OmiseNotFoundError with the request id", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(
        RecordingHttp.json(errorBody("not_found", `customer ${CUSTOMER_ID} was not found`), 404)
      )
      const error = yield* Effect.flip(run(http, Customer.retrieve(CUSTOMER_ID)))
      assert.strictEqual(error._tag, "OmiseNotFoundError")
      if (error._tag !== "OmiseNotFoundError") return
      assert.strictEqual(error.status, 404)
      assert.strictEqual(error.code, "not_found")
      assert.strictEqual(error.detail, `customer ${CUSTOMER_ID} was not found`)
      assert.strictEqual(error.requestId, "req-1")
      assert.strictEqual(error.method, "GET")
      assert.strictEqual(error.path, `/customers/${CUSTOMER_ID}`)
      assert.strictEqual(
        error.message,
        `GET /customers/${CUSTOMER_ID} HTTP 404 not_found: customer ${CUSTOMER_ID} was not found [request id req-1]`
      )
    })
  )

  it.effect("a used token on create is OmiseInvalidRequestError with code used_token", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(errorBody("used_token", "token was already used"), 400))
      const error = yield* Effect.flip(run(http, Customer.create({ card: "tokn_test_used" })))
      assert.strictEqual(error._tag, "OmiseInvalidRequestError")
      assert.strictEqual(error._tag === "OmiseInvalidRequestError" && error.code, "used_token")
      assert.strictEqual(http.requests.length, 1)
    })
  )
})

describe("Version-tolerant models", () => {
  it.effect("a 2017-11-02 customer decodes into the same model as a 2019-05-29 one", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(customer2017()))
      const customer = yield* run(http, Customer.retrieve(CUSTOMER_ID))
      assert.strictEqual(DateTime.formatIso(customer.created_at), "2017-11-04T06:42:11.000Z")
      assert.strictEqual(customer.deleted, false)
      assert.strictEqual(customer.cards.order, null)
      assert.strictEqual(customer.cards.location, undefined)
      assert.strictEqual(DateTime.formatIso(customer.cards.from), "1970-01-01T00:00:00.000Z")
      const card = customer.cards.data[0]!
      assert.strictEqual(card.street1, null)
      assert.strictEqual(card.tokenization_method, null)
      assert.strictEqual(DateTime.formatIso(card.created_at), "2017-11-04T06:41:07.000Z")
    })
  )

  // The models' encoded side is a declaration around the fields (see versioned.ts); its type
  // side must still generate, check and encode models like any schema class.
  const roundTrips = <A, I>(name: string, schema: Schema.Codec<A, I>) =>
    it.prop(
      `${name}: an arbitrary model is accepted by Schema.is and survives encode then decode`,
      [schema],
      ([model]) => {
        assert.isTrue(Schema.is(schema)(model))
        assert.deepStrictEqual(Schema.decodeUnknownSync(schema)(Schema.encodeSync(schema)(model)), model)
      },
      { arbitrary: { runs: 200 } }
    )
  roundTrips("Customer", Customer.Customer)
  roundTrips("Card", Card.Card)
  roundTrips("Schedule", Schedule.Schedule)
})

describe("Objects taken from responses as they are", () => {
  it.effect("metadata keeps a key named __proto__ as its own key, not as the object's prototype", () =>
    Effect.gen(function* () {
      const body = JSON.stringify(customer2019({ metadata: {} })).replace(
        '"metadata":{}',
        '"metadata":{"__proto__":{"x":1},"plan":"gold"}'
      )
      assert.include(body, "__proto__")
      const http = RecordingHttp.make({ status: 200, text: body })
      const customer = yield* run(http, Customer.retrieve(CUSTOMER_ID))
      assert.deepStrictEqual(Object.keys(customer.metadata), ["__proto__", "plan"])
      assert.strictEqual(Object.getPrototypeOf(customer.metadata), Object.prototype)
      assert.deepStrictEqual(Object.getOwnPropertyDescriptor(customer.metadata, "__proto__")?.value, { x: 1 })
    })
  )

  it.effect("a search echo keeps a filter named __proto__ as its own key", () =>
    Effect.gen(function* () {
      const body = JSON.stringify(search([customer2019()], { filters: {} })).replace(
        '"filters":{}',
        '"filters":{"__proto__":{"x":1},"created":"today"}'
      )
      const http = RecordingHttp.make({ status: 200, text: body })
      const result = yield* run(http, Customer.search())
      assert.deepStrictEqual(Object.keys(result.filters), ["__proto__", "created"])
      assert.strictEqual(Object.getPrototypeOf(result.filters), Object.prototype)
    })
  )
})

describe("Timestamps", () => {
  // Decoded instants are shared by their text (see fields.ts); whatever the order and however
  // many pass, each must still be the instant its text names.
  const envelope = Schema.decodeUnknownResult(OmiseList.OmiseList(Schema.Unknown))
  const page = (from: string, to: string) => ({
    object: "list",
    data: [],
    offset: 0,
    limit: 20,
    total: 0,
    order: "chronological",
    from,
    to
  })
  const offsets = ["Z", "+00:00", "+07:00", "-03:30"] as const
  const isoAt = (millis: number, offset: string) => {
    const minutes =
      offset === "Z" ? 0 : (offset[0] === "-" ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4)))
    return new Date(millis + minutes * 60_000).toISOString().replace("Z", offset)
  }
  let first: readonly [string, number] | undefined

  it.prop(
    "any ISO 8601 text decodes to its instant, again after more than the cache holds",
    [
      Schema.Int.check(Schema.isBetween({ minimum: Date.UTC(1970, 0, 1), maximum: Date.UTC(2100, 0, 1) })),
      Schema.Literals(offsets)
    ],
    ([millis, offset]) => {
      const text = isoAt(millis, offset)
      first ??= [text, millis]
      for (const [t, m] of [[text, millis], first] as const) {
        const decoded = envelope(page(t, t))
        assert.isTrue(Result.isSuccess(decoded))
        if (Result.isSuccess(decoded)) {
          assert.strictEqual(DateTime.toEpochMillis(decoded.success.from), m)
          assert.isTrue(DateTime.isUtc(decoded.success.to))
          assert.strictEqual(DateTime.toEpochMillis(decoded.success.to), m)
        }
      }
    },
    { arbitrary: { runs: 1500 } }
  )

  it("a text that names no instant fails with what it got, on every decode", () => {
    for (let i = 0; i < 2; i++) {
      const decoded = envelope(page("1970-01-01T00:00:00Z", "yesterday"))
      assert.isTrue(Result.isFailure(decoded))
      if (Result.isFailure(decoded))
        assert.include(String(decoded.failure), 'Expected an ISO 8601 date and time, got "yesterday"')
    }
    const long = envelope(page("1970-01-01T00:00:00Z", "x".repeat(100_000)))
    assert.isTrue(Result.isFailure(long))
    if (Result.isFailure(long)) {
      assert.include(String(long.failure), `got "${"x".repeat(40)}"`)
      assert.isBelow(String(long.failure).length, 1_000)
    }
  })

  it("encodes back to ISO 8601 in UTC", () => {
    const decoded = Schema.decodeUnknownSync(OmiseList.OmiseList(Schema.Unknown))(
      page("2024-01-01T07:00:00+07:00", "2024-01-02T00:00:00Z")
    )
    const encoded = Schema.encodeSync(OmiseList.OmiseList(Schema.Unknown))(decoded)
    assert.strictEqual(encoded.from, "2024-01-01T00:00:00.000Z")
    assert.strictEqual(encoded.to, "2024-01-02T00:00:00.000Z")
  })
})
