import { assert, describe, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as TestClock from "effect/testing/TestClock"
import * as OmiseFake from "../../src/testing/OmiseFake.js"
import { call, get, ids, list, token } from "./helpers.js"

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe("customers", () => {
  it.effect("creates a customer without a card, in the 2019-05-29 shape with Omise's headers", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2025, 2, 20, 9, 12, 2, 500))
      const fake = yield* OmiseFake.make()
      const reply = yield* call(fake, "POST", "/customers", {
        json: { email: "john@example.com", description: "John" }
      })
      assert.strictEqual(reply.status, 200)
      assert.strictEqual(reply.headers["content-type"], "application/json; charset=utf-8")
      assert.strictEqual(reply.headers["omise-version"], "2019-05-29")
      assert.match(reply.headers["x-request-id"] ?? "", uuid)
      const body = reply.json
      assert.match(String(get(body, "id")), /^cust_test_[0-9a-z]{19}$/)
      assert.strictEqual(get(body, "object"), "customer")
      assert.strictEqual(get(body, "livemode"), false)
      assert.strictEqual(get(body, "deleted"), false)
      assert.strictEqual(get(body, "location"), `/customers/${get(body, "id")}`)
      assert.strictEqual(get(body, "email"), "john@example.com")
      assert.strictEqual(get(body, "description"), "John")
      assert.deepStrictEqual(get(body, "metadata"), {})
      assert.strictEqual(get(body, "default_card"), null)
      assert.strictEqual(get(body, "created_at"), "2025-03-20T09:12:02Z")
      assert.strictEqual(get(body, "created"), undefined)
      assert.deepStrictEqual(get(body, "cards"), {
        object: "list",
        data: [],
        limit: 20,
        offset: 0,
        total: 0,
        location: `/customers/${get(body, "id")}/cards`,
        order: "chronological",
        from: "1970-01-01T00:00:00Z",
        to: "2025-03-20T09:12:02Z"
      })
      assert.strictEqual(get(body, "linked_accounts", "total"), 0)
    })
  )

  it.effect("creates a customer with a card token; the card becomes the default and the token is spent", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      const tokenId = yield* token(fake)
      const tokenReply = yield* call(fake, "GET", `/tokens/${tokenId}`)
      const cardId = get(tokenReply.json, "card", "id")
      const created = yield* call(fake, "POST", "/customers", { json: { email: "a@example.com", card: tokenId } })
      assert.strictEqual(created.status, 200)
      assert.strictEqual(get(created.json, "default_card"), cardId)
      assert.deepStrictEqual(ids(created.json, "cards"), [cardId])
      const card = get(created.json, "cards", "data", 0)
      assert.strictEqual(get(card, "brand"), "Visa")
      assert.strictEqual(get(card, "last_digits"), "4242")
      assert.strictEqual(get(card, "location"), `/customers/${get(created.json, "id")}/cards/${cardId}`)
      assert.strictEqual(get(card, "security_code_check"), true)
      const reused = yield* call(fake, "POST", "/customers", { json: { card: tokenId } })
      assert.strictEqual(reused.status, 400)
      assert.deepStrictEqual(reused.json, {
        object: "error",
        location: "https://www.omise.co/api-errors#used-token",
        code: "used_token",
        message: "token was already used"
      })
      assert.strictEqual(reused.headers["omise-version"], undefined)
      const unknown = yield* call(fake, "POST", "/customers", { json: { card: "tokn_test_nope" } })
      assert.strictEqual(unknown.status, 404)
      assert.strictEqual(get(unknown.json, "code"), "not_found")
      assert.strictEqual(get(unknown.json, "message"), "token tokn_test_nope was not found")
      assert.strictEqual(yield* fake.customerCount, 1)
      const spent = yield* call(fake, "GET", `/tokens/${tokenId}`)
      assert.strictEqual(get(spent.json, "used"), true)
    })
  )

  it.effect("retrieves, updates and deletes; a deleted customer is gone", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      const seeded = yield* fake.createCustomer({ email: "old@example.com", cards: 1 })
      const path = `/customers/${seeded.id}`
      const retrieved = yield* call(fake, "GET", path)
      assert.strictEqual(get(retrieved.json, "email"), "old@example.com")
      assert.strictEqual(get(retrieved.json, "default_card"), seeded.cards[0]!.id)
      const updated = yield* call(fake, "PATCH", path, {
        form: "email=new%40example.com&description=VIP&metadata[plan]=pro&metadata[seats]=3"
      })
      assert.strictEqual(updated.status, 200)
      assert.strictEqual(get(updated.json, "email"), "new@example.com")
      assert.strictEqual(get(updated.json, "description"), "VIP")
      assert.deepStrictEqual(get(updated.json, "metadata"), { plan: "pro", seats: "3" })
      const stored = yield* fake.getCustomer(seeded.id)
      assert.strictEqual(Option.getOrThrow(stored).email, "new@example.com")
      const deleted = yield* call(fake, "DELETE", path)
      assert.strictEqual(deleted.status, 200)
      assert.strictEqual(get(deleted.json, "deleted"), true)
      assert.strictEqual(get(deleted.json, "id"), seeded.id)
      assert.strictEqual(get(deleted.json, "email"), "new@example.com")
      assert.strictEqual(get(deleted.json, "default_card"), null)
      assert.strictEqual(get(deleted.json, "cards", "total"), 0)
      const again = yield* call(fake, "GET", path)
      assert.strictEqual(again.status, 404)
      assert.strictEqual(get(again.json, "message"), `customer ${seeded.id} was not found`)
      assert.strictEqual((yield* call(fake, "DELETE", path)).status, 404)
      assert.isTrue(Option.isNone(yield* fake.getCustomer(seeded.id)))
    })
  )

  it.effect("rejects an invalid email and leaves the customer unchanged on a failed update", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      const customer = yield* fake.createCustomer({ email: "keep@example.com" })
      const bad = yield* call(fake, "POST", "/customers", { json: { email: "not-an-email" } })
      assert.strictEqual(bad.status, 400)
      assert.strictEqual(get(bad.json, "code"), "bad_request")
      assert.strictEqual(get(bad.json, "message"), "email is invalid")
      const failed = yield* call(fake, "PATCH", `/customers/${customer.id}`, {
        json: { email: "changed@example.com", default_card: "card_test_missing" }
      })
      assert.strictEqual(failed.status, 404)
      assert.strictEqual(Option.getOrThrow(yield* fake.getCustomer(customer.id)).email, "keep@example.com")
    })
  )

  it.effect(
    "default_card: first card is default, a new card does not take over, deleting the default promotes the latest",
    () =>
      Effect.gen(function* () {
        const fake = yield* OmiseFake.make()
        const created = yield* call(fake, "POST", "/customers", { json: { email: "c@example.com" } })
        const path = `/customers/${get(created.json, "id")}`
        const first = yield* call(fake, "PATCH", path, { json: { card: yield* token(fake) } })
        const firstCard = get(first.json, "default_card")
        assert.isString(firstCard)
        yield* TestClock.adjust("1 second")
        const second = yield* call(fake, "PATCH", path, {
          json: { card: yield* token(fake, { number: "5555555555554444" }) }
        })
        assert.strictEqual(get(second.json, "default_card"), firstCard)
        assert.strictEqual(get(second.json, "cards", "total"), 2)
        const secondCard = ids(second.json, "cards")[1]
        yield* TestClock.adjust("1 second")
        const third = yield* call(fake, "PATCH", path, {
          json: { card: yield* token(fake, { number: "3530111333300000" }) }
        })
        const thirdCard = ids(third.json, "cards")[2]
        assert.strictEqual(get(third.json, "cards", "data", 2, "brand"), "JCB")
        const switched = yield* call(fake, "PATCH", path, { json: { default_card: secondCard } })
        assert.strictEqual(get(switched.json, "default_card"), secondCard)
        yield* call(fake, "DELETE", `${path}/cards/${secondCard}`)
        assert.strictEqual(get((yield* call(fake, "GET", path)).json, "default_card"), thirdCard)
        yield* call(fake, "DELETE", `${path}/cards/${thirdCard}`)
        assert.strictEqual(get((yield* call(fake, "GET", path)).json, "default_card"), firstCard)
        yield* call(fake, "DELETE", `${path}/cards/${firstCard}`)
        const none = yield* call(fake, "GET", path)
        assert.strictEqual(get(none.json, "default_card"), null)
        assert.strictEqual(get(none.json, "cards", "total"), 0)
      })
  )

  it.effect("a token's card can be made default in the same update that attaches it", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      const customer = yield* fake.createCustomer({ cards: 1 })
      const tokenId = yield* token(fake)
      const cardId = get((yield* call(fake, "GET", `/tokens/${tokenId}`)).json, "card", "id")
      const reply = yield* call(fake, "PATCH", `/customers/${customer.id}`, {
        json: { card: tokenId, default_card: cardId }
      })
      assert.strictEqual(reply.status, 200)
      assert.strictEqual(get(reply.json, "default_card"), cardId)
    })
  )

  it.effect("embeds only the first 20 cards; the cards list pages the rest", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      const customer = yield* fake.createCustomer({ cards: 25 })
      const reply = yield* call(fake, "GET", `/customers/${customer.id}`)
      assert.lengthOf(list(reply.json, "cards", "data"), 20)
      assert.strictEqual(get(reply.json, "cards", "total"), 25)
      const rest = yield* call(fake, "GET", `/customers/${customer.id}/cards`, { query: "offset=20&limit=10" })
      assert.deepStrictEqual(
        ids(rest.json),
        customer.cards.slice(20).map((card) => card.id)
      )
      assert.strictEqual(get(rest.json, "location"), `/customers/${customer.id}/cards`)
    })
  )
})

describe("cards", () => {
  it.effect("retrieves, updates and deletes a customer's card", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      const customer = yield* fake.createCustomer({ cards: [{ name: "Old Name", city: "Bangkok" }] })
      const path = `/customers/${customer.id}/cards/${customer.cards[0]!.id}`
      const card = yield* call(fake, "GET", path)
      assert.strictEqual(get(card.json, "object"), "card")
      assert.strictEqual(get(card.json, "name"), "Old Name")
      assert.strictEqual(get(card.json, "fingerprint"), customer.cards[0]!.fingerprint)
      const updated = yield* call(fake, "PATCH", path, {
        json: { name: "New Name", expiration_month: 1, expiration_year: 2031, postal_code: "10110", city: "Chiang Mai" }
      })
      assert.strictEqual(updated.status, 200)
      assert.strictEqual(get(updated.json, "name"), "New Name")
      assert.strictEqual(get(updated.json, "expiration_month"), 1)
      assert.strictEqual(get(updated.json, "expiration_year"), 2031)
      assert.strictEqual(get(updated.json, "postal_code"), "10110")
      assert.strictEqual(get(updated.json, "city"), "Chiang Mai")
      const invalid = yield* call(fake, "PATCH", path, { form: "expiration_month=13" })
      assert.strictEqual(invalid.status, 400)
      assert.strictEqual(get(invalid.json, "code"), "invalid_card")
      assert.strictEqual(get(invalid.json, "message"), "expiration_month is invalid")
      const deleted = yield* call(fake, "DELETE", path)
      assert.strictEqual(get(deleted.json, "deleted"), true)
      assert.strictEqual(get(deleted.json, "name"), "New Name")
      assert.strictEqual((yield* call(fake, "GET", path)).status, 404)
    })
  )

  it.effect("a card is only reachable under its own customer", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      const owner = yield* fake.createCustomer({ cards: 1 })
      const other = yield* fake.createCustomer()
      const reply = yield* call(fake, "GET", `/customers/${other.id}/cards/${owner.cards[0]!.id}`)
      assert.strictEqual(reply.status, 404)
      assert.strictEqual(get(reply.json, "message"), `card ${owner.cards[0]!.id} was not found`)
      const missing = yield* call(fake, "GET", `/customers/cust_test_missing/cards`)
      assert.strictEqual(missing.status, 404)
    })
  )
})

describe("lists", () => {
  const setup = Effect.gen(function* () {
    const fake = yield* OmiseFake.make()
    const ids: Array<string> = []
    for (let day = 1; day <= 5; day++) {
      const customer = yield* fake.createCustomer({
        email: `c${day}@example.com`,
        created: DateTime.makeUnsafe(`2024-01-0${day}T10:00:00Z`)
      })
      ids.push(customer.id)
    }
    yield* TestClock.setTime(Date.UTC(2024, 5, 1))
    return { fake, ids }
  })

  it.effect("pages with offset/limit/order and echoes the effective window", () =>
    Effect.gen(function* () {
      const { fake, ids: all } = yield* setup
      const first = yield* call(fake, "GET", "/customers", { query: "limit=2" })
      assert.deepStrictEqual(ids(first.json), all.slice(0, 2))
      assert.strictEqual(get(first.json, "total"), 5)
      assert.strictEqual(get(first.json, "limit"), 2)
      assert.strictEqual(get(first.json, "offset"), 0)
      assert.strictEqual(get(first.json, "order"), "chronological")
      assert.strictEqual(get(first.json, "from"), "1970-01-01T00:00:00Z")
      assert.strictEqual(get(first.json, "to"), "2024-06-01T00:00:00Z")
      assert.strictEqual(get(first.json, "location"), "/customers")
      const reversed = yield* call(fake, "GET", "/customers", { query: "limit=2&offset=1&order=reverse_chronological" })
      assert.deepStrictEqual(ids(reversed.json), [all[3], all[2]])
      const past = yield* call(fake, "GET", "/customers", { query: "offset=10" })
      assert.deepStrictEqual(ids(past.json), [])
      assert.strictEqual(get(past.json, "total"), 5)
    })
  )

  it.effect("filters by from/to (inclusive) with a correct total", () =>
    Effect.gen(function* () {
      const { fake, ids: all } = yield* setup
      const reply = yield* call(fake, "GET", "/customers", {
        query: "from=2024-01-02T10:00:00Z&to=2024-01-04T10:00:00%2B00:00"
      })
      assert.deepStrictEqual(ids(reply.json), all.slice(1, 4))
      assert.strictEqual(get(reply.json, "total"), 3)
      assert.strictEqual(get(reply.json, "from"), "2024-01-02T10:00:00Z")
      assert.strictEqual(get(reply.json, "to"), "2024-01-04T10:00:00Z")
      const dates = yield* call(fake, "GET", "/customers", { query: "from=2024-01-03&to=2024-01-03" })
      assert.strictEqual(get(dates.json, "total"), 0)
    })
  )

  it.effect("clamps limit to 100 and rejects nonsense with 400 bad_request", () =>
    Effect.gen(function* () {
      const { fake } = yield* setup
      assert.strictEqual(get((yield* call(fake, "GET", "/customers", { query: "limit=500" })).json, "limit"), 100)
      for (const query of ["limit=0", "limit=abc", "offset=-1", "order=sideways", "from=yesterday-ish", "limit=1.5"]) {
        const reply = yield* call(fake, "GET", "/customers", { query })
        assert.strictEqual(reply.status, 400, query)
        assert.strictEqual(get(reply.json, "code"), "bad_request", query)
        assert.strictEqual(get(reply.json, "object"), "error", query)
      }
      const message = get((yield* call(fake, "GET", "/customers", { query: "limit=abc" })).json, "message")
      assert.strictEqual(message, "limit is invalid")
    })
  )

  it.effect("takes list params from the query, a JSON body on GET, or a form body; empty values are not given", () =>
    Effect.gen(function* () {
      const { fake, ids: all } = yield* setup
      const json = yield* call(fake, "GET", "/customers", { json: { limit: 1, offset: 2, order: null, from: null } })
      assert.deepStrictEqual(ids(json.json), [all[2]])
      const form = yield* call(fake, "GET", "/customers", { form: "limit=1&offset=3" })
      assert.deepStrictEqual(ids(form.json), [all[3]])
      const node = yield* call(fake, "GET", "/customers", { query: "limit=1&offset=&order=&from=&to=" })
      assert.deepStrictEqual(ids(node.json), [all[0]])
      const merged = yield* call(fake, "GET", "/customers", { query: "limit=1", json: { offset: 4 } })
      assert.deepStrictEqual(ids(merged.json), [all[4]])
      const slash = yield* call(fake, "GET", "/customers/", { query: "limit=1" })
      assert.strictEqual(slash.status, 200)
      assert.deepStrictEqual(ids(slash.json), [all[0]])
    })
  )
})

describe("tokens", () => {
  it.effect("derive brand, last digits and fingerprint from the number", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      const mint = (number: string) =>
        call(fake, "POST", "/tokens", {
          form: `card%5Bnumber%5D=${number}&card[name]=JOHN+DOE&card[expiration_month]=5&card[expiration_year]=2099&card[city]=Bangkok&card[postal_code]=10320`
        })
      const visa = yield* mint("4242424242424242")
      assert.strictEqual(visa.status, 200)
      assert.match(String(get(visa.json, "id")), /^tokn_test_[0-9a-z]{19}$/)
      assert.strictEqual(get(visa.json, "object"), "token")
      assert.strictEqual(get(visa.json, "used"), false)
      assert.match(String(get(visa.json, "card", "id")), /^card_test_[0-9a-z]{19}$/)
      assert.strictEqual(get(visa.json, "card", "brand"), "Visa")
      assert.strictEqual(get(visa.json, "card", "last_digits"), "4242")
      assert.strictEqual(get(visa.json, "card", "name"), "JOHN DOE")
      assert.strictEqual(get(visa.json, "card", "location"), undefined)
      assert.strictEqual(get(visa.json, "card", "security_code_check"), false)
      const again = yield* mint("4242 4242 4242 4242")
      assert.strictEqual(get(again.json, "card", "fingerprint"), get(visa.json, "card", "fingerprint"))
      assert.notStrictEqual(get(again.json, "card", "id"), get(visa.json, "card", "id"))
      const master = yield* mint("5555555555554444")
      assert.strictEqual(get(master.json, "card", "brand"), "MasterCard")
      assert.notStrictEqual(get(master.json, "card", "fingerprint"), get(visa.json, "card", "fingerprint"))
      assert.strictEqual(get((yield* mint("3530111333300000")).json, "card", "brand"), "JCB")
      assert.strictEqual(get((yield* mint("378282246310005")).json, "card", "brand"), "American Express")
      const invalid = yield* mint("4242424242424241")
      assert.strictEqual(invalid.status, 400)
      assert.strictEqual(get(invalid.json, "code"), "invalid_card")
    })
  )

  it.effect("reject a card that expired, or missing card data", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2025, 5, 1))
      const fake = yield* OmiseFake.make()
      const thisMonth = yield* call(fake, "POST", "/tokens", {
        json: { card: { number: "4242424242424242", expiration_month: 6, expiration_year: 2025, name: "X" } }
      })
      assert.strictEqual(thisMonth.status, 200)
      const reply = yield* call(fake, "POST", "/tokens", {
        json: { card: { number: "4242424242424242", expiration_month: 5, expiration_year: 2020, name: "X" } }
      })
      assert.strictEqual(get(reply.json, "message"), "expiration date cannot be in the past")
      const none = yield* call(fake, "POST", "/tokens", { json: {} })
      assert.strictEqual(none.status, 400)
      assert.strictEqual(get(none.json, "message"), "card is required")
      const unknown = yield* call(fake, "GET", "/tokens/tokn_test_missing")
      assert.strictEqual(unknown.status, 404)
    })
  )

  it.effect("createToken on the handle mints a usable token", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      const tokenId = yield* fake.createToken({ number: "3530111333300000" })
      const reply = yield* call(fake, "POST", "/customers", { json: { card: tokenId } })
      assert.strictEqual(get(reply.json, "cards", "data", 0, "brand"), "JCB")
      const error = yield* Effect.flip(fake.createToken({ number: "1234" }))
      assert.strictEqual(error._tag, "FakeSeedError")
      assert.strictEqual(error.code, "invalid_card")
    })
  )
})
