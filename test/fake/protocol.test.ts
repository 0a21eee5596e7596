import { assert, describe, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/testing/TestClock"
import * as FakeHttp from "../../src/testing/FakeHttp.js"
import * as OmiseFake from "../../src/testing/OmiseFake.js"
import { call, get, ids, list, publicKey, secretKey, token } from "./helpers.js"

describe("authentication", () => {
  it.effect("accepts any well-formed test key of the right kind and answers others with 401", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      const expect401 = (reply: { readonly status: number; readonly json: unknown }, label: string) => {
        assert.strictEqual(reply.status, 401, label)
        assert.deepStrictEqual(
          reply.json,
          {
            object: "error",
            location: "https://www.omise.co/api-errors#authentication-failure",
            code: "authentication_failure",
            message: "authentication failed"
          },
          label
        )
      }
      expect401(yield* call(fake, "GET", "/customers", { key: null }), "no key")
      expect401(yield* call(fake, "GET", "/customers", { key: publicKey }), "public key on the API")
      expect401(yield* call(fake, "GET", "/customers", { key: "skey_live_5abc" }), "live key")
      expect401(yield* call(fake, "GET", "/customers", { key: "skey_test_" }), "empty key body")
      expect401(yield* call(fake, "POST", "/tokens", { key: secretKey, json: {} }), "secret key on the vault")
      expect401(
        yield* call(fake, "GET", "/customers", { key: null, headers: { authorization: "Bearer skey_test_abc" } }),
        "not basic auth"
      )
      expect401(
        yield* call(fake, "GET", "/customers", { key: null, headers: { authorization: "Basic %%%" } }),
        "not base64"
      )
      assert.strictEqual((yield* call(fake, "GET", "/customers", { key: "skey_test_anything123" })).status, 200)
      assert.strictEqual(
        (yield* call(fake, "GET", "/customers", {
          key: null,
          headers: { authorization: `Basic ${btoa("skey_test_nocolon")}` }
        })).status,
        200
      )
    })
  )

  it.effect("pins exact keys when given", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make({ secretKey: "skey_test_pinned", publicKey: "pkey_test_pinned" })
      assert.strictEqual((yield* call(fake, "GET", "/customers", { key: "skey_test_other" })).status, 401)
      assert.strictEqual((yield* call(fake, "GET", "/customers", { key: "skey_test_pinned" })).status, 200)
      assert.strictEqual((yield* call(fake, "GET", "/tokens/tokn_test_x", { key: "pkey_test_other" })).status, 401)
      assert.strictEqual((yield* call(fake, "GET", "/tokens/tokn_test_x", { key: "pkey_test_pinned" })).status, 404)
    })
  )

  it.effect("a key pinned as the other kind opens nothing: a public key never opens the API", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make({ secretKey: "pkey_test_swapped", publicKey: "skey_test_swapped" })
      assert.strictEqual((yield* call(fake, "GET", "/customers", { key: "pkey_test_swapped" })).status, 401)
      assert.strictEqual((yield* call(fake, "GET", "/tokens/tokn_test_x", { key: "skey_test_swapped" })).status, 401)
    })
  )
})

describe("API versions", () => {
  it.effect("2017-11-02: created, stubs on delete, null order on embedded lists, no list location for cards", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      const version = "2017-11-02"
      const created = yield* call(fake, "POST", "/customers", {
        version,
        json: { email: "old@example.com", card: yield* token(fake) }
      })
      assert.strictEqual(created.headers["omise-version"], "2017-11-02")
      const id = String(get(created.json, "id"))
      assert.isString(get(created.json, "created"))
      assert.strictEqual(get(created.json, "created_at"), undefined)
      assert.strictEqual(get(created.json, "deleted"), undefined)
      assert.strictEqual(get(created.json, "linked_accounts"), undefined)
      assert.strictEqual(get(created.json, "cards", "order"), null)
      const card = get(created.json, "cards", "data", 0)
      assert.isString(get(card, "created"))
      assert.strictEqual(get(card, "created_at"), undefined)
      assert.strictEqual(get(card, "street1"), undefined)
      const cards = yield* call(fake, "GET", `/customers/${id}/cards`, { version })
      assert.strictEqual(get(cards.json, "order"), "chronological")
      assert.strictEqual(get(cards.json, "location"), undefined)
      const customers = yield* call(fake, "GET", "/customers", { version })
      assert.strictEqual(get(customers.json, "location"), "/customers")
      const cardId = String(get(card, "id"))
      const deletedCard = yield* call(fake, "DELETE", `/customers/${id}/cards/${cardId}`, { version })
      assert.deepStrictEqual(deletedCard.json, { object: "card", id: cardId, livemode: false, deleted: true })
      const deleted = yield* call(fake, "DELETE", `/customers/${id}`, { version })
      assert.deepStrictEqual(deleted.json, { object: "customer", id, livemode: false, deleted: true })
    })
  )

  it.effect("defaults to the configured account version and rejects unknown versions", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make({ apiVersion: "2017-11-02" })
      const reply = yield* call(fake, "GET", "/customers")
      assert.strictEqual(reply.headers["omise-version"], "2017-11-02")
      assert.strictEqual(
        (yield* call(fake, "GET", "/customers", { version: "2015-11-17" })).headers["omise-version"],
        "2017-11-02"
      )
      assert.strictEqual(
        (yield* call(fake, "GET", "/customers", { version: "2019-05-29" })).headers["omise-version"],
        "2019-05-29"
      )
      const bad = yield* call(fake, "GET", "/customers", { version: "2099-01-01" })
      assert.strictEqual(bad.status, 400)
      assert.strictEqual(get(bad.json, "code"), "bad_request")
    })
  )
})

describe("charge schedules", () => {
  it.effect("POST /schedules creates a schedule listed under its customer; occurrences follow the clock", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2025, 2, 20, 10, 7, 40))
      const fake = yield* OmiseFake.make()
      const customer = yield* fake.createCustomer({ cards: 1 })
      const created = yield* call(fake, "POST", "/schedules", {
        form:
          `every=2&period=day&start_date=2025-03-20&end_date=2025-05-20&charge[customer]=${customer.id}` +
          `&charge[amount]=100000&charge[description]=Membership+fee&charge[card]=${customer.cards[0]!.id}`
      })
      assert.strictEqual(created.status, 200)
      const schedule = created.json
      assert.match(String(get(schedule, "id")), /^schd_test_[0-9a-z]{19}$/)
      assert.strictEqual(get(schedule, "status"), "running")
      assert.strictEqual(get(schedule, "active"), true)
      assert.strictEqual(get(schedule, "in_words"), "Every 2 day(s)")
      assert.deepStrictEqual(get(schedule, "on"), {})
      assert.strictEqual(get(schedule, "start_on"), "2025-03-20")
      assert.strictEqual(get(schedule, "end_on"), "2025-05-20")
      assert.deepStrictEqual(list(schedule, "next_occurrences_on").slice(0, 3), [
        "2025-03-22",
        "2025-03-24",
        "2025-03-26"
      ])
      assert.strictEqual(get(schedule, "charge", "object"), "scheduled_charge")
      assert.match(String(get(schedule, "charge", "id")), /^rchg_test_/)
      assert.strictEqual(get(schedule, "charge", "currency"), "THB")
      assert.strictEqual(get(schedule, "charge", "amount"), 100000)
      assert.strictEqual(get(schedule, "charge", "customer"), customer.id)
      assert.strictEqual(get(schedule, "charge", "card"), customer.cards[0]!.id)
      assert.strictEqual(get(schedule, "charge", "default_card"), false)
      assert.strictEqual(get(schedule, "occurrences", "total"), 1)
      assert.match(String(get(schedule, "occurrences", "data", 0, "id")), /^occu_test_/)
      assert.strictEqual(get(schedule, "occurrences", "data", 0, "scheduled_on"), "2025-03-20")

      yield* TestClock.adjust("4 days")
      const listed = yield* call(fake, "GET", `/customers/${customer.id}/schedules`)
      assert.deepStrictEqual(ids(listed.json), [get(schedule, "id")])
      assert.strictEqual(get(listed.json, "location"), `/customers/${customer.id}/schedules`)
      const later = get(listed.json, "data", 0)
      assert.deepStrictEqual(
        list(later, "occurrences", "data").map((item) => get(item, "scheduled_on")),
        ["2025-03-20", "2025-03-22", "2025-03-24"]
      )
      assert.strictEqual(list(later, "next_occurrences_on")[0], "2025-03-26")

      const legacy = yield* call(fake, "GET", `/schedules/${get(schedule, "id")}`, { version: "2017-11-02" })
      assert.strictEqual(get(legacy.json, "status"), "active")
      assert.strictEqual(get(legacy.json, "start_date"), "2025-03-20")
      assert.strictEqual(get(legacy.json, "charge", "currency"), "thb")
      assert.strictEqual(get(legacy.json, "occurrences", "order"), null)
      assert.strictEqual(list(legacy.json, "next_occurrence_dates")[0], "2025-03-26")
      assert.strictEqual(get(legacy.json, "occurrences", "data", 0, "schedule_date"), "2025-03-20")

      yield* TestClock.adjust("90 days")
      const expired = yield* call(fake, "GET", `/schedules/${get(schedule, "id")}`)
      assert.strictEqual(get(expired.json, "status"), "expired")
      assert.deepStrictEqual(list(expired.json, "next_occurrences_on"), [])
      assert.strictEqual(get(expired.json, "occurrences", "total"), 31)
      const deleted = yield* call(fake, "DELETE", `/schedules/${get(schedule, "id")}`)
      assert.strictEqual(get(deleted.json, "status"), "deleted")
    })
  )

  it.effect("monthly and weekly rules, JSON bodies, and validation", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2017, 10, 4, 13, 47, 24))
      const fake = yield* OmiseFake.make()
      const customer = yield* fake.createCustomer({ cards: 1 })
      const monthly = yield* call(fake, "POST", "/schedules", {
        version: "2017-11-02",
        json: {
          start_date: "2017-12-15",
          period: "month",
          on: { days_of_month: [15] },
          every: 1,
          end_date: "2018-03-15",
          charge: { description: "Membership fee", customer: customer.id, amount: 19900 }
        }
      })
      assert.strictEqual(get(monthly.json, "in_words"), "Every 1 month(s) on the 15th")
      assert.deepStrictEqual(list(monthly.json, "next_occurrence_dates"), [
        "2017-12-15",
        "2018-01-15",
        "2018-02-15",
        "2018-03-15"
      ])
      assert.strictEqual(get(monthly.json, "charge", "card"), null)
      const lastDay = yield* call(fake, "POST", "/schedules", {
        form: `every=1&period=month&on[days_of_month][]=31&start_date=2018-01-01&end_date=2018-04-30&charge[customer]=${customer.id}&charge[amount]=2000`
      })
      assert.deepStrictEqual(list(lastDay.json, "next_occurrences_on"), [
        "2018-01-31",
        "2018-02-28",
        "2018-03-31",
        "2018-04-30"
      ])
      const nth = yield* call(fake, "POST", "/schedules", {
        json: {
          every: 1,
          period: "month",
          on: { weekday_of_month: "second_monday" },
          end_date: "2018-02-28",
          charge: { customer: customer.id, amount: 2000 }
        }
      })
      assert.deepStrictEqual(list(nth.json, "next_occurrences_on"), [
        "2017-11-13",
        "2017-12-11",
        "2018-01-08",
        "2018-02-12"
      ])
      const weekly = yield* call(fake, "POST", "/schedules", {
        json: {
          every: 1,
          period: "week",
          on: { weekdays: ["monday", "friday"] },
          start_date: "2017-11-06",
          end_date: "2017-11-20",
          charge: { customer: customer.id, amount: 2000 }
        }
      })
      assert.strictEqual(get(weekly.json, "in_words"), "Every 1 week(s) on Monday and Friday")
      assert.deepStrictEqual(list(weekly.json, "next_occurrences_on"), [
        "2017-11-06",
        "2017-11-10",
        "2017-11-13",
        "2017-11-17",
        "2017-11-20"
      ])
      const noOn = yield* call(fake, "POST", "/schedules", {
        json: { every: 1, period: "month", end_date: "2018-01-01", charge: { customer: customer.id, amount: 2000 } }
      })
      assert.strictEqual(noOn.status, 400)
      assert.strictEqual(
        get(noOn.json, "message"),
        "on must contain one of these keys: days_of_month, weekday_of_month"
      )
      const noAmount = yield* call(fake, "POST", "/schedules", {
        json: { every: 1, period: "day", end_date: "2018-01-01", charge: { customer: customer.id } }
      })
      assert.strictEqual(get(noAmount.json, "message"), "charge[amount] is required")
      const noCustomer = yield* call(fake, "POST", "/schedules", {
        json: {
          every: 1,
          period: "day",
          end_date: "2018-01-01",
          charge: { customer: "cust_test_missing", amount: 2000 }
        }
      })
      assert.strictEqual(noCustomer.status, 404)
      const listed = yield* call(fake, "GET", `/customers/${customer.id}/schedules`, {
        query: "order=reverse_chronological&limit=2"
      })
      assert.deepStrictEqual(ids(listed.json), [get(weekly.json, "id"), get(nth.json, "id")])
      assert.strictEqual(get(listed.json, "total"), 4)
    })
  )
})

describe("search", () => {
  const setup = Effect.gen(function* () {
    const fake = yield* OmiseFake.make()
    const make = (email: string, description: string, created: string) =>
      fake.createCustomer({ email, description, created: DateTime.makeUnsafe(created) })
    const mike = yield* make("mike@strangerthings.com", "crazy little body", "2017-11-04T11:25:48Z")
    const eleven = yield* make("eleven@strangerthings.com", "crazy little girl", "2018-06-01T00:00:00Z")
    const john = yield* make("john.smith@example.com", "Another description", "2020-01-01T12:00:00Z")
    return { fake, mike, eleven, john }
  })

  it.effect("matches free text over email, description and id", () =>
    Effect.gen(function* () {
      const { eleven, fake, john, mike } = yield* setup
      const reply = yield* call(fake, "GET", "/search", { query: "scope=customer&query=mike" })
      assert.strictEqual(reply.status, 200)
      assert.deepStrictEqual(
        { ...(reply.json as object), data: ids(reply.json) },
        {
          object: "search",
          export: null,
          order: "chronological",
          scope: "customer",
          query: "mike",
          filters: {},
          page: 1,
          per_page: 30,
          location: "/search",
          total_pages: 1,
          total: 1,
          data: [mike.id],
          aggregate_level: null
        }
      )
      assert.strictEqual(get(reply.json, "data", 0, "object"), "customer")
      const crazy = yield* call(fake, "GET", "/search", {
        query: "scope=customer&query=CRAZY+little&order=reverse_chronological"
      })
      assert.deepStrictEqual(ids(crazy.json), [eleven.id, mike.id])
      const byId = yield* call(fake, "GET", "/search/", { query: `scope=customer&query=${john.id}` })
      assert.deepStrictEqual(ids(byId.json), [john.id])
      const all = yield* call(fake, "GET", "/search", { json: { scope: "customer" } })
      assert.strictEqual(get(all.json, "total"), 3)
    })
  )

  it.effect("filters by created date or range and pages with page/per_page", () =>
    Effect.gen(function* () {
      const { eleven, fake, john, mike } = yield* setup
      const range = yield* call(fake, "GET", "/search", {
        query: "scope=customer&filters[created]=2017-01-01..2018-12-31"
      })
      assert.deepStrictEqual(ids(range.json), [mike.id, eleven.id])
      assert.deepStrictEqual(get(range.json, "filters"), { created: "2017-01-01..2018-12-31" })
      const day = yield* call(fake, "GET", "/search", {
        json: { scope: "customer", filters: { created: "2020-01-01" } }
      })
      assert.deepStrictEqual(ids(day.json), [john.id])
      const open = yield* call(fake, "GET", "/search", { query: "scope=customer&filters[created]=2018-01-01.." })
      assert.deepStrictEqual(ids(open.json), [eleven.id, john.id])
      const paged = yield* call(fake, "GET", "/search", { query: "scope=customer&per_page=2&page=2" })
      assert.deepStrictEqual(ids(paged.json), [john.id])
      assert.strictEqual(get(paged.json, "total_pages"), 2)
      const empty = yield* call(fake, "GET", "/search", {
        query:
          "scope=customer&query=john&filters%5Bcreated%5D=2017-01-01..2019-12-21&page=2&order=reverse_chronological&per_page=2"
      })
      assert.strictEqual(get(empty.json, "total"), 0)
      assert.strictEqual(get(empty.json, "total_pages"), 0)
      assert.strictEqual(get(empty.json, "page"), 2)
    })
  )

  it.effect("rejects a bad scope, filter or page with Omise's codes", () =>
    Effect.gen(function* () {
      const { fake } = yield* setup
      const code = (query: string) =>
        Effect.map(call(fake, "GET", "/search", { query }), (reply) => [reply.status, get(reply.json, "code")])
      assert.deepStrictEqual(yield* code("query=x"), [400, "invalid_scope"])
      assert.deepStrictEqual(yield* code("scope=planet"), [400, "invalid_scope"])
      assert.deepStrictEqual(yield* code("scope=customer&filters[created]=someday"), [400, "invalid_filter"])
      assert.deepStrictEqual(yield* code("scope=customer&filters[amount]=100"), [400, "invalid_filter"])
      assert.deepStrictEqual(yield* code("scope=customer&page=0"), [400, "invalid_page"])
      assert.deepStrictEqual(yield* code("scope=customer&per_page=x"), [400, "invalid_page"])
      assert.deepStrictEqual(yield* code("scope=charge"), [200, undefined])
    })
  )
})

describe("malformed requests", () => {
  it.effect("get an Omise error body, never a crash", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      const badJson = yield* call(fake, "POST", "/customers", { body: "{not json", contentType: "application/json" })
      assert.strictEqual(badJson.status, 400)
      assert.deepStrictEqual(badJson.json, {
        object: "error",
        location: "https://www.omise.co/api-errors#bad-request",
        code: "bad_request",
        message: "request body is not a valid JSON object"
      })
      const array = yield* call(fake, "POST", "/customers", { body: "[1,2]", contentType: "application/json" })
      assert.strictEqual(get(array.json, "code"), "bad_request")
      const sniffed = yield* call(fake, "POST", "/customers", { body: '{"email":"x@example.com"}' })
      assert.strictEqual(get(sniffed.json, "email"), "x@example.com")
      const binary = yield* fake.handle(
        FakeHttp.makeRequest({
          method: "POST",
          path: "/customers",
          headers: { authorization: FakeHttp.basicAuth(secretKey), "content-type": "application/json" },
          body: Uint8Array.from([0xff, 0xfe, 0x00, 0x7b])
        })
      )
      assert.strictEqual(binary.status, 400)
      const wrongType = yield* call(fake, "POST", "/customers", { json: { email: { nested: true } } })
      assert.strictEqual(get(wrongType.json, "message"), "email is invalid")
      const metadataString = yield* call(fake, "POST", "/customers", { json: { metadata: "plan" } })
      assert.strictEqual(get(metadataString.json, "message"), "metadata is invalid")
      const unknownPath = yield* call(fake, "GET", "/charges")
      assert.strictEqual(unknownPath.status, 404)
      assert.strictEqual(get(unknownPath.json, "code"), "not_found")
      const wrongMethod = yield* call(fake, "PUT", "/customers")
      assert.strictEqual(wrongMethod.status, 404)
      const deep = yield* call(fake, "GET", "/customers/a/b/c/d/e")
      assert.strictEqual(deep.status, 404)
      const multipart = yield* call(fake, "POST", "/customers", {
        body: "--x\r\n",
        contentType: "multipart/form-data; boundary=x"
      })
      assert.strictEqual(multipart.status, 400)
      assert.strictEqual((yield* call(fake, "GET", "/customers")).status, 200)
    })
  )
})

describe("keys named __proto__", () => {
  it.effect("a form body cannot reach Object.prototype, and the key is kept as metadata like any other", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      const created = yield* call(fake, "POST", "/customers", {
        form: "email=a%40example.com&metadata[__proto__][polluted]=yes&metadata[plan]=gold"
      })
      assert.strictEqual(created.status, 200)
      assert.isUndefined(({} as Record<string, unknown>)["polluted"])
      const metadata = get(created.json, "metadata") as Record<string, unknown>
      assert.deepStrictEqual(Object.keys(metadata), ["__proto__", "plan"])
      assert.deepStrictEqual(Object.getOwnPropertyDescriptor(metadata, "__proto__")?.value, { polluted: "yes" })
    })
  )

  it.effect("a JSON body keeps the key too, through update and retrieve", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      const created = yield* call(fake, "POST", "/customers", { json: {} })
      const id = get(created.json, "id") as string
      const updated = yield* call(fake, "PATCH", `/customers/${id}`, {
        body: '{"metadata": {"__proto__": {"x": 1}, "plan": "gold"}}',
        contentType: "application/json"
      })
      assert.strictEqual(updated.status, 200)
      const retrieved = yield* call(fake, "GET", `/customers/${id}`)
      const metadata = get(retrieved.json, "metadata") as Record<string, unknown>
      assert.deepStrictEqual(Object.keys(metadata), ["__proto__", "plan"])
      assert.isUndefined(({} as Record<string, unknown>)["x"])
    })
  )
})
