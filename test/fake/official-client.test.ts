/**
 * The official `omise` npm client against the fake over real HTTP.
 *
 * The client has no port option and always dials `api.omise.co` /
 * `vault.omise.co` on the scheme's default port through Node's global HTTP
 * agent. So, for the test's duration, the global agent's `createConnection`
 * dials the fake's loopback port instead (no root, no /etc/hosts), and
 * `scheme: "http"` keeps TLS out of the way.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Http from "node:http"
import { createRequire } from "node:module"
import * as Net from "node:net"
import type * as Stream from "node:stream"
import * as FakeServer from "../../src/testing/FakeServer.js"
import { get, ids, list, publicKey, secretKey } from "./helpers.js"
import * as Scenario from "./scenario.js"

/** Sends every connection of the global agent to the fake, whatever host and port the client asked for. */
const dialFake = (port: number) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const agent = Http.globalAgent
      const original = agent.createConnection
      agent.createConnection = (): Stream.Duplex => Net.createConnection({ host: "127.0.0.1", port })
      return original
    }),
    (original) =>
      Effect.sync(() => {
        Http.globalAgent.createConnection = original
        // Pooled keep-alive sockets still lead to the fake.
        Http.globalAgent.destroy()
      })
  )

/**
 * The calls this test makes. The package's typings lack `search` and the
 * `default_card` update parameter, so the client is seen through this view.
 */
interface OfficialClient {
  readonly tokens: { readonly create: (request: unknown) => Promise<unknown> }
  readonly customers: {
    readonly create: (request: unknown) => Promise<unknown>
    readonly retrieve: (id: string) => Promise<unknown>
    readonly update: (id: string, request: unknown) => Promise<unknown>
    readonly destroy: (id: string) => Promise<unknown>
    readonly list: (request?: unknown) => Promise<unknown>
    readonly listCards: (id: string, request?: unknown) => Promise<unknown>
    readonly retrieveCard: (id: string, cardId: string) => Promise<unknown>
    readonly updateCard: (id: string, cardId: string, request: unknown) => Promise<unknown>
    readonly destroyCard: (id: string, cardId: string) => Promise<unknown>
    readonly schedules: (id: string) => Promise<unknown>
  }
  readonly schedules: { readonly create: (request: unknown) => Promise<unknown> }
  readonly search: { readonly list: (request: unknown) => Promise<unknown> }
}

type Factory = (options: Record<string, unknown>) => OfficialClient

// The package's typings declare a `default` export the CommonJS module does not have; load it as Node does.
const omise: unknown = createRequire(import.meta.url)("omise")
const isFactory = (value: unknown): value is Factory => typeof value === "function"

const officialClient = (options: Record<string, unknown>): Effect.Effect<OfficialClient> =>
  isFactory(omise)
    ? Effect.succeed(omise({ publicKey, secretKey, scheme: "http", ...options }))
    : Effect.die(new Error("the omise package did not export its factory"))

/** The official client rejects with the parsed Omise error object. */
const attempt = <A>(call: () => Promise<A>) => Effect.tryPromise({ try: call, catch: (error: unknown) => error })

const card = (number: string) => ({
  card: {
    name: "Somchai Prasert",
    number,
    expiration_month: 12,
    expiration_year: 2099,
    security_code: "123",
    city: "Bangkok",
    postal_code: "10320"
  }
})

describe("the official omise client against omise-fake", () => {
  it.live(
    "tokens, customers, cards, schedules and search all work",
    () =>
      Effect.gen(function* () {
        const server = yield* FakeServer.start()
        yield* dialFake(server.port)
        const api = yield* officialClient({ omiseVersion: "2019-05-29" })
        const steps: Array<string> = []
        const step = <A>(name: string, call: () => Promise<A>) =>
          Effect.tap(attempt(call), () => Effect.sync(() => steps.push(name)))

        const visa = yield* step("tokens.create (Visa)", () => api.tokens.create(card("4242424242424242")))
        assert.match(String(get(visa, "id")), /^tokn_test_/)
        const created = yield* step("customers.create with card", () =>
          api.customers.create({
            email: "somchai@example.com",
            description: "Somchai",
            card: get(visa, "id"),
            metadata: { plan: "pro" }
          })
        )
        const customerId = String(get(created, "id"))
        const firstCard = String(get(visa, "card", "id"))
        assert.strictEqual(get(created, "default_card"), firstCard)
        assert.deepStrictEqual(get(created, "metadata"), { plan: "pro" })
        yield* step("customers.create (second)", () => api.customers.create({ email: "malee@example.com" }))
        yield* step("customers.create (third)", () => api.customers.create({ email: "niran@example.com" }))
        const retrieved = yield* step("customers.retrieve", () => api.customers.retrieve(customerId))
        assert.strictEqual(get(retrieved, "email"), "somchai@example.com")
        const updated = yield* step("customers.update email and description", () =>
          api.customers.update(customerId, { email: "somchai.p@example.com", description: "Somchai P." })
        )
        assert.strictEqual(get(updated, "email"), "somchai.p@example.com")
        assert.strictEqual(get(updated, "description"), "Somchai P.")
        const master = yield* step("tokens.create (MasterCard)", () => api.tokens.create(card("5555555555554444")))
        const withSecond = yield* step("customers.update attach second card", () =>
          api.customers.update(customerId, { card: get(master, "id") })
        )
        assert.strictEqual(get(withSecond, "cards", "total"), 2)
        assert.strictEqual(get(withSecond, "default_card"), firstCard)
        const secondCard = String(get(master, "card", "id"))
        const switched = yield* step("customers.update default_card", () =>
          api.customers.update(customerId, { default_card: secondCard })
        )
        assert.strictEqual(get(switched, "default_card"), secondCard)
        const page = yield* step("customers.list limit 2 reverse", () =>
          api.customers.list({ limit: 2, offset: 0, order: "reverse_chronological" })
        )
        assert.deepStrictEqual(
          list(page, "data").map((c) => get(c, "email")),
          ["niran@example.com", "malee@example.com"]
        )
        assert.strictEqual(get(page, "total"), 3)
        assert.strictEqual(get(page, "limit"), 2)
        const offsetPage = yield* step("customers.list offset 1", () => api.customers.list({ limit: 2, offset: 1 }))
        assert.deepStrictEqual(
          list(offsetPage, "data").map((c) => get(c, "email")),
          ["malee@example.com", "niran@example.com"]
        )
        const cards = yield* step("customers.listCards", () =>
          api.customers.listCards(customerId, { order: "reverse_chronological" })
        )
        assert.deepStrictEqual(ids(cards), [secondCard, firstCard])
        const retrievedCard = yield* step("customers.retrieveCard", () =>
          api.customers.retrieveCard(customerId, firstCard)
        )
        assert.strictEqual(get(retrievedCard, "brand"), "Visa")
        assert.strictEqual(get(retrievedCard, "last_digits"), "4242")
        const updatedCard = yield* step("customers.updateCard", () =>
          api.customers.updateCard(customerId, firstCard, {
            name: "SOMCHAI P",
            expiration_month: 1,
            expiration_year: 2040
          })
        )
        assert.strictEqual(get(updatedCard, "name"), "SOMCHAI P")
        assert.strictEqual(get(updatedCard, "expiration_year"), 2040)
        const destroyedCard = yield* step("customers.destroyCard", () =>
          api.customers.destroyCard(customerId, firstCard)
        )
        assert.strictEqual(get(destroyedCard, "deleted"), true)
        const afterCard = yield* step("customers.retrieve after destroyCard", () => api.customers.retrieve(customerId))
        assert.strictEqual(get(afterCard, "default_card"), secondCard)
        const schedule = yield* step("schedules.create", () =>
          api.schedules.create({
            every: 1,
            period: "month",
            on: { days_of_month: [1] },
            end_date: "2099-12-01",
            charge: { customer: customerId, amount: 100000, description: "Membership fee" }
          })
        )
        assert.match(String(get(schedule, "id")), /^schd_test_/)
        const schedules = yield* step("customers.schedules", () => api.customers.schedules(customerId))
        assert.deepStrictEqual(ids(schedules), [get(schedule, "id")])
        assert.strictEqual(get(schedules, "data", 0, "status"), "running")
        const found = yield* step("search by email", () =>
          api.search.list({ scope: "customer", query: "somchai.p@example.com" })
        )
        assert.deepStrictEqual(ids(found), [customerId])
        const destroyed = yield* step("customers.destroy", () => api.customers.destroy(customerId))
        assert.strictEqual(get(destroyed, "deleted"), true)
        const gone = yield* Effect.flip(
          step("customers.retrieve after destroy", () => api.customers.retrieve(customerId))
        )
        assert.strictEqual(get(gone, "code"), "not_found")
        steps.push("customers.retrieve after destroy")

        // The same 21 steps as the effect-omise scenario in memory and over FetchHttpClient.
        assert.deepStrictEqual(steps, Scenario.stepNames)
      }),
    30_000
  )

  it.live(
    "its errors, a pinned 2017-11-02 version, and nested filters it cannot send",
    () =>
      Effect.gen(function* () {
        const server = yield* FakeServer.start()
        yield* dialFake(server.port)
        const api = yield* officialClient({ omiseVersion: "2017-11-02" })
        const token = yield* attempt(() => api.tokens.create(card("3530111333300000")))
        assert.strictEqual(get(token, "card", "brand"), "JCB")
        const customer = yield* attempt(() => api.customers.create({ card: get(token, "id") }))
        assert.isString(get(customer, "created"))
        assert.strictEqual(get(customer, "cards", "order"), null)
        const reused = yield* Effect.flip(attempt(() => api.customers.create({ card: get(token, "id") })))
        assert.deepStrictEqual(reused, {
          object: "error",
          location: "https://www.omise.co/api-errors#used-token",
          code: "used_token",
          message: "token was already used"
        })
        const missing = yield* Effect.flip(attempt(() => api.customers.retrieve("cust_test_missing")))
        assert.strictEqual(get(missing, "code"), "not_found")
        // omise-node serialises GET params with querystring: nested filters arrive as `filters=`, which means "none".
        const searched = yield* attempt(() =>
          api.search.list({ scope: "customer", filters: { created: "2017-01-01..2017-12-31" } })
        )
        assert.deepStrictEqual(get(searched, "filters"), {})
        assert.strictEqual(get(searched, "total"), 1)
        const deleted = yield* attempt(() => api.customers.destroy(String(get(customer, "id"))))
        assert.deepStrictEqual(deleted, { object: "customer", id: get(customer, "id"), livemode: false, deleted: true })
        const wrongKey = yield* officialClient({ secretKey: "skey_test_", omiseVersion: "2019-05-29" })
        const denied = yield* Effect.flip(attempt(() => wrongKey.customers.list()))
        assert.strictEqual(get(denied, "code"), "authentication_failure")
        const seen = yield* server.fake.requests
        assert.isTrue(seen.every((request) => request.headers["user-agent"]?.startsWith("OmiseNode/") === true))
      }),
    30_000
  )
})
