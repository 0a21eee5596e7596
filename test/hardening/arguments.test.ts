/**
 * Hostile arguments: every operation and stream refuses a bad id, paging value, date, order,
 * filter or metadata with `OmiseInvalidArgumentError` before anything leaves the process, and a
 * valid id lands verbatim in the path, never anywhere else.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fc from "fast-check"
import * as Stream from "effect/Stream"
import * as Customer from "../../src/Customer.js"
import type * as OmiseList from "../../src/OmiseList.js"
import type * as Search from "../../src/Search.js"
import { CARD_ID, card2019, CUSTOMER_ID, customer2019, list, search } from "../fixtures/bodies.js"
import { type Answer, type Call, errorOf, hostile, liveProp, loose } from "./helpers.js"

const RUNS = 1_000

const ok = (json: unknown): Answer => ({
  status: 200,
  headers: [["content-type", "application/json"]],
  body: { _tag: "text", text: JSON.stringify(json) }
})

/** Runs `call` against a server that would answer anything, and checks it was refused unsent. */
const refusedUnsent = (call: Call, argument: ReadonlyArray<string>, label: string) =>
  Effect.gen(function* () {
    const server = hostile(() => ok(customer2019()))
    const exit = yield* Effect.exit(server.provide(call()))
    const error = errorOf(exit)
    assert.strictEqual(error?._tag, "OmiseInvalidArgumentError", `${label}: ${String(error ?? "succeeded")}`)
    if (error?._tag === "OmiseInvalidArgumentError") {
      assert.include(argument, error.argument, label)
      assert.match(error.operation, /^Customer\.\w+$/)
      assert.isAtMost(error.message.length, 1_200, label)
    }
    assert.strictEqual(server.requests.length, 0, `${label}: a request was sent`)
  })

// ---------------------------------------------------------------------------------------------
// Ids

const validSuffix = fc.stringMatching(/^[A-Za-z0-9_]{1,128}$/)

const hostileIdArb = (prefix: "cust" | "card"): fc.Arbitrary<unknown> => {
  const valid = new RegExp(`^${prefix}_[A-Za-z0-9_]{1,128}$`)
  const part = fc.stringMatching(/^[A-Za-z0-9_]{0,12}$/)
  return fc
    .oneof(
      fc.constantFrom(
        "",
        `${prefix}`,
        `${prefix}_`,
        "..",
        "../",
        `${prefix}_../../charges`,
        `../${prefix}_1`,
        `${prefix}_%2e%2e`,
        `${prefix}_%2F`,
        `${prefix}_a/b`,
        `${prefix}_a?b=1`,
        `${prefix}_a#b`,
        `${prefix}_a b`,
        `${prefix}_a\r\nX-Injected: y`,
        `${prefix}_a\u0000`,
        `${prefix}_é`,
        `${prefix}_😀`,
        `${prefix}_\u202e1`,
        ` ${prefix}_1`,
        `${prefix}_1 `,
        `${prefix.toUpperCase()}_1`,
        prefix === "cust" ? CARD_ID : CUSTOMER_ID,
        `${prefix}_${"a".repeat(129)}`,
        `${prefix}_${"a".repeat(10_000)}`
      ),
      // A valid-looking id with one character that could change the path, the query or a header.
      fc
        .tuple(
          part,
          fc.constantFrom(
            "/",
            "?",
            "#",
            "%",
            ".",
            "..",
            "../",
            "%2e%2e",
            "\\",
            "\r",
            "\n",
            " ",
            "\t",
            ";",
            "&",
            "=",
            ":"
          ),
          part
        )
        .map(([a, bad, b]) => `${prefix}_${a}${bad}${b}`),
      fc.string({ unit: "binary", maxLength: 40 }).map((s) => `${prefix}_${s}`),
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.string(),
      // Not a string at all.
      fc.anything()
    )
    .filter((id) => typeof id !== "string" || !valid.test(id))
}

/** Every place an id goes, with the argument name that must be blamed. */
const idSlots: ReadonlyArray<{
  readonly name: string
  readonly argument: "id" | "cardId"
  readonly call: (id: string) => Call
}> = [
  { name: "retrieve", argument: "id", call: (id) => () => Customer.retrieve(id) },
  { name: "update", argument: "id", call: (id) => () => Customer.update(id, { email: "a@example.com" }) },
  { name: "destroy", argument: "id", call: (id) => () => Customer.destroy(id) },
  { name: "listCards", argument: "id", call: (id) => () => Customer.listCards(id) },
  { name: "listSchedules", argument: "id", call: (id) => () => Customer.listSchedules(id) },
  { name: "retrieveCard", argument: "id", call: (id) => () => Customer.retrieveCard(id, CARD_ID) },
  { name: "retrieveCard", argument: "cardId", call: (id) => () => Customer.retrieveCard(CUSTOMER_ID, id) },
  { name: "updateCard", argument: "id", call: (id) => () => Customer.updateCard(id, CARD_ID, { name: "A" }) },
  { name: "updateCard", argument: "cardId", call: (id) => () => Customer.updateCard(CUSTOMER_ID, id, { name: "A" }) },
  { name: "destroyCard", argument: "id", call: (id) => () => Customer.destroyCard(id, CARD_ID) },
  { name: "destroyCard", argument: "cardId", call: (id) => () => Customer.destroyCard(CUSTOMER_ID, id) },
  { name: "streamCards", argument: "id", call: (id) => () => Stream.runDrain(Customer.streamCards(id)) },
  { name: "streamSchedules", argument: "id", call: (id) => () => Stream.runDrain(Customer.streamSchedules(id)) }
]

// Built once: building an arbitrary (its regular expressions) costs more than running a case.
const hostileIds = { id: hostileIdArb("cust"), cardId: hostileIdArb("card") }

const hostileIdCase = fc.constantFrom(...idSlots).chain((slot) =>
  fc.tuple(
    fc.constant(slot),
    hostileIds[slot.argument].map((id) => loose<string>(id))
  )
)

// ---------------------------------------------------------------------------------------------
// Paging, dates, order, filters, metadata

const notAnInt = fc.constantFrom<unknown>(NaN, Infinity, -Infinity, 1.5, 0.1, -0.5, "10", null, true, [], {}, 10n)

const badLimit = fc.oneof(
  fc.integer({ max: 0 }),
  fc.integer({ min: 101 }),
  fc.double({ noInteger: true }),
  fc.constantFrom(2 ** 53, Number.MAX_VALUE),
  notAnInt
)

const badOffset = fc.oneof(
  fc.integer({ max: -1 }),
  fc.double({ noInteger: true }),
  fc.constantFrom(2 ** 53, 2 ** 60, Number.MAX_VALUE, -0.0001),
  notAnInt
)

const badDate = fc.oneof(
  fc.constantFrom<unknown>(
    "",
    "not a date",
    "2024-13-01",
    "2024-02-30T25:61:00Z",
    "yesterday",
    new Date(NaN),
    null,
    true,
    [],
    {},
    Symbol.for("date")
  ),
  fc.string().filter((s) => Number.isNaN(Date.parse(s)))
)

const validOrders = new Set(["chronological", "reverse_chronological"])
const badOrder = fc.oneof(
  fc.constantFrom<unknown>("newest", "CHRONOLOGICAL", "chronological ", "", null, 1, ["chronological"]),
  fc.string().filter((s) => !validOrders.has(s))
)

const knownListKeys = new Set(["offset", "limit", "from", "to", "order"])
const unknownKey = fc.string({ minLength: 1 }).filter((key) => !knownListKeys.has(key) && key !== "__proto__")

/** List parameters with at least one invalid entry. */
const badListParams: fc.Arbitrary<OmiseList.ListParams> = fc
  .tuple(
    fc.record(
      {
        limit: fc.integer({ min: 1, max: 100 }),
        offset: fc.nat(),
        order: fc.constantFrom("chronological", "reverse_chronological")
      },
      { requiredKeys: [] }
    ),
    fc.oneof(
      badLimit.map((limit) => ({ limit })),
      badOffset.map((offset) => ({ offset })),
      badDate.map((from) => ({ from })),
      badDate.map((to) => ({ to })),
      badOrder.map((order) => ({ order })),
      // An inverted window.
      fc
        .tuple(fc.date({ noInvalidDate: true }), fc.integer({ min: 1, max: 10 ** 10 }))
        .map(([to, gap]) => ({ from: new Date(to.getTime() + gap), to })),
      fc.tuple(unknownKey, fc.jsonValue()).map(([key, value]) => ({ [key]: value }))
    )
  )
  .map(([valid, bad]) => loose<OmiseList.ListParams>({ ...valid, ...bad }))

const badFilterName = fc.oneof(
  fc.constantFrom("", "A", "Created", "a]", "a[b]", "a b", "créé", "a-b", "x".repeat(65)),
  fc.string({ minLength: 1 }).filter((key) => !/^[a-z0-9_]{1,64}$/.test(key) && key !== "__proto__")
)

/** Search parameters with at least one invalid entry. */
const badSearchParams: fc.Arbitrary<Search.SearchParams> = fc
  .tuple(
    fc.record(
      { query: fc.string(), page: fc.integer({ min: 1, max: 1_000 }), per_page: fc.integer({ min: 1, max: 100 }) },
      { requiredKeys: [] }
    ),
    fc.oneof(
      fc.oneof(fc.integer({ max: 0 }), fc.double({ noInteger: true }), notAnInt).map((page) => ({ page })),
      badLimit.map((per_page) => ({ per_page })),
      badOrder.map((order) => ({ order })),
      fc.constantFrom<unknown>(1, null, {}, ["a"]).map((query) => ({ query })),
      fc.tuple(badFilterName, fc.string()).map(([key, value]) => ({ filters: { [key]: value } })),
      fc
        .constantFrom<unknown>(null, undefined, {}, [], NaN, Infinity, () => 1, 1n)
        .map((value) => ({ filters: { created: value } })),
      fc.constantFrom<unknown>(null, "created=1", [], 1).map((filters) => ({ filters })),
      fc.constantFrom("limit", "offset", "scope", "from").map((key) => ({ [key]: 1 }))
    )
  )
  .map(([valid, bad]) => loose<Search.SearchParams>({ ...valid, ...bad }))

const badConcurrency = fc.oneof(
  fc.integer({ max: 0 }),
  fc.integer({ min: 11 }),
  fc.double({ noInteger: true }),
  notAnInt
)

class Plan {
  constructor(readonly name: string) {}
}

const cyclic = (): Record<string, unknown> => {
  const self: Record<string, unknown> = { a: 1 }
  self.self = self
  return self
}

const deep = (depth: number, leaf: unknown = 1): unknown => {
  let value = leaf
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value }
  return value
}

/** A JSON value with something JSON cannot carry somewhere inside it. */
const poisoned = fc
  .tuple(
    fc.constantFrom<unknown>(
      NaN,
      Infinity,
      -Infinity,
      undefined,
      () => 1,
      1n,
      Symbol.for("x"),
      new Date(0),
      new Map([["plan", "gold"]]),
      new Set(["a"]),
      /x/,
      new Uint8Array([1]),
      new Plan("gold"),
      new Error("x")
    ),
    fc.array(fc.constantFrom("object", "array"), { maxLength: 5 })
  )
  .map(([leaf, wrappers]) =>
    wrappers.reduce<unknown>((inner, wrapper) => (wrapper === "object" ? { k: inner } : ["ok", inner]), leaf)
  )

/** Metadata that is not a JSON object, or holds something that is not JSON. */
const badMetadata = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    "plan=gold",
    42,
    true,
    [],
    [{ plan: "gold" }],
    new Date(0),
    new Map([["plan", "gold"]]),
    new Plan("gold"),
    Object.assign([], { plan: "gold" })
  ),
  fc.array(fc.jsonValue()),
  poisoned.map((value) => ({ plan: value })),
  fc.constant(null).map(cyclic),
  fc.constant(null).map(() => ({ nested: { list: [cyclic()] } })),
  fc.integer({ min: 101, max: 10_000 }).map((depth) => ({ deep: deep(depth) }))
)

// ---------------------------------------------------------------------------------------------

describe("hostile ids", () => {
  liveProp(
    "every id and card id argument refuses anything but a well-formed id, and sends nothing",
    [hostileIdCase],
    ([[slot, id]]) => refusedUnsent(slot.call(id), [slot.argument], `${slot.name}(${slot.argument})`),
    { numRuns: RUNS }
  )

  /** Every operation that takes ids, with the path those ids must produce and a body to answer. */
  const validCalls: ReadonlyArray<{
    readonly name: string
    readonly call: (id: string, cardId: string) => Call
    readonly path: (id: string, cardId: string) => string
    readonly body: unknown
  }> = [
    {
      name: "retrieve",
      call: (id) => () => Customer.retrieve(id),
      path: (id) => `/customers/${id}`,
      body: customer2019()
    },
    {
      name: "update",
      call: (id) => () => Customer.update(id, { email: "a@example.com" }),
      path: (id) => `/customers/${id}`,
      body: customer2019()
    },
    {
      name: "destroy",
      call: (id) => () => Customer.destroy(id),
      path: (id) => `/customers/${id}`,
      body: customer2019({ deleted: true })
    },
    {
      name: "listCards",
      call: (id) => () => Customer.listCards(id),
      path: (id) => `/customers/${id}/cards`,
      body: list([])
    },
    {
      name: "listSchedules",
      call: (id) => () => Customer.listSchedules(id),
      path: (id) => `/customers/${id}/schedules`,
      body: list([])
    },
    {
      name: "streamCards",
      call: (id) => () => Stream.runDrain(Customer.streamCards(id)),
      path: (id) => `/customers/${id}/cards`,
      body: list([])
    },
    {
      name: "streamSchedules",
      call: (id) => () => Stream.runDrain(Customer.streamSchedules(id)),
      path: (id) => `/customers/${id}/schedules`,
      body: list([])
    },
    {
      name: "retrieveCard",
      call: (id, cardId) => () => Customer.retrieveCard(id, cardId),
      path: (id, cardId) => `/customers/${id}/cards/${cardId}`,
      body: card2019()
    },
    {
      name: "updateCard",
      call: (id, cardId) => () => Customer.updateCard(id, cardId, { name: "A" }),
      path: (id, cardId) => `/customers/${id}/cards/${cardId}`,
      body: card2019()
    },
    {
      name: "destroyCard",
      call: (id, cardId) => () => Customer.destroyCard(id, cardId),
      path: (id, cardId) => `/customers/${id}/cards/${cardId}`,
      body: card2019({ deleted: true })
    }
  ]

  liveProp(
    "a valid id lands verbatim in the path, in exactly one request, and nowhere else",
    [fc.constantFrom(...validCalls), validSuffix, validSuffix],
    ([target, customerSuffix, cardSuffix]) =>
      Effect.gen(function* () {
        const id = `cust_${customerSuffix}`
        const cardId = `card_${cardSuffix}`
        const server = hostile(() => ok(target.body))
        const exit = yield* Effect.exit(server.provide(target.call(id, cardId)()))
        assert.isUndefined(errorOf(exit), `${target.name}: ${String(errorOf(exit))}`)
        assert.strictEqual(server.requests.length, 1)
        const url = server.requests[0]!
        assert.strictEqual(url.origin, "https://api.test")
        assert.strictEqual(url.pathname, target.path(id, cardId))
        assert.strictEqual(url.hash, "")
        // Streams add paging parameters; nothing else carries an id.
        assert.notInclude(url.search, "cust_")
      }),
    { numRuns: RUNS }
  )
})

describe("hostile paging, dates, order and filters", () => {
  const listCalls: ReadonlyArray<{ readonly name: string; readonly call: (params: OmiseList.ListParams) => Call }> = [
    { name: "list", call: (params) => () => Customer.list(params) },
    { name: "listCards", call: (params) => () => Customer.listCards(CUSTOMER_ID, params) },
    { name: "listSchedules", call: (params) => () => Customer.listSchedules(CUSTOMER_ID, params) },
    { name: "stream", call: (params) => () => Stream.runDrain(Customer.stream(params)) },
    { name: "streamCards", call: (params) => () => Stream.runDrain(Customer.streamCards(CUSTOMER_ID, params)) },
    {
      name: "streamSchedules",
      call: (params) => () => Stream.runDrain(Customer.streamSchedules(CUSTOMER_ID, params))
    }
  ]

  liveProp(
    "list operations and streams refuse bad limits, offsets, dates, orders and unknown keys unsent",
    [fc.constantFrom(...listCalls), badListParams],
    ([target, params]) => refusedUnsent(target.call(params), ["params"], target.name),
    { numRuns: RUNS }
  )

  liveProp(
    "search and streamSearch refuse bad pages, orders, queries and filters unsent",
    [fc.boolean(), badSearchParams],
    ([streamed, params]) =>
      refusedUnsent(
        streamed ? () => Stream.runDrain(Customer.streamSearch(params)) : () => Customer.search(params),
        ["params"],
        streamed ? "streamSearch" : "search"
      ),
    { numRuns: RUNS }
  )

  liveProp(
    "streams refuse a concurrency outside 1..10 unsent",
    [badConcurrency, fc.constantFrom("stream", "streamCards", "streamSchedules", "streamSearch")],
    ([concurrency, name]) => {
      const options = loose<{ concurrency: number }>({ concurrency })
      const drain: Call =
        name === "stream"
          ? () => Stream.runDrain(Customer.stream(options))
          : name === "streamCards"
            ? () => Stream.runDrain(Customer.streamCards(CUSTOMER_ID, options))
            : name === "streamSchedules"
              ? () => Stream.runDrain(Customer.streamSchedules(CUSTOMER_ID, options))
              : () => Stream.runDrain(Customer.streamSearch(options))
      return refusedUnsent(drain, ["options"], name)
    },
    { numRuns: RUNS }
  )
})

const documentedParams = new Set([
  "email",
  "description",
  "card",
  "metadata",
  "linked_account",
  "default_card",
  "name",
  "expiration_month",
  "expiration_year",
  "postal_code",
  "city",
  "__proto__"
])

describe("hostile metadata and params", () => {
  liveProp(
    "create and update refuse metadata that is not a plain JSON object unsent",
    [badMetadata, fc.boolean()],
    ([metadata, create]) =>
      refusedUnsent(
        create
          ? () => Customer.create({ email: "a@example.com", metadata: loose(metadata) })
          : () => Customer.update(CUSTOMER_ID, { metadata: loose(metadata) }),
        ["params"],
        create ? "create" : "update"
      ),
    { numRuns: RUNS }
  )

  liveProp(
    "params that are not an object of the documented fields are refused unsent",
    [
      fc.oneof(
        fc.anything().filter((u) => u !== undefined && !(typeof u === "object" && u !== null && !Array.isArray(u))),
        fc.dictionary(
          fc.string().filter((key) => !documentedParams.has(key)),
          fc.anything(),
          { minKeys: 1 }
        ),
        fc.record({ email: fc.anything().filter((u) => typeof u !== "string" && u !== undefined) }),
        fc.record({ card: fc.string().filter((s) => !/^tokn_[A-Za-z0-9_]{1,128}$/.test(s)) })
      ),
      fc.constantFrom("create", "update", "updateCard")
    ],
    ([params, name]) =>
      refusedUnsent(
        name === "create"
          ? () => Customer.create(loose(params))
          : name === "update"
            ? () => Customer.update(CUSTOMER_ID, loose(params))
            : () => Customer.updateCard(CUSTOMER_ID, CARD_ID, loose(params)),
        ["params"],
        name
      ),
    { numRuns: RUNS }
  )

  it.effect("valid metadata is sent as given: nested objects, arrays, null-prototype objects", () =>
    Effect.gen(function* () {
      const shared = { tag: "x" }
      const metadata = {
        plan: "gold",
        seats: 3,
        flags: [true, false, null],
        nested: { a: { b: [1, { c: "d" }] } },
        bare: Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 }),
        // The same object twice is not a cycle.
        first: shared,
        second: shared,
        deepest: deep(90)
      }
      const server = hostile(() => ok(customer2019()))
      yield* server.provide(Customer.create(loose({ metadata })))
      assert.strictEqual(server.requests.length, 1)
    })
  )
})

describe("what a search sends is what was asked", () => {
  it.effect("filters are bracket keys and the query is one parameter, whatever it holds", () =>
    Effect.gen(function* () {
      const server = hostile(() => ok(search([])))
      const query = "a&scope=charge#x?y=../z"
      yield* server.provide(Customer.search({ query, filters: { created: "2024-01-01..2024-01-31" } }))
      const url = server.requests[0]!
      assert.strictEqual(url.pathname, "/search")
      assert.strictEqual(url.searchParams.get("query"), query)
      assert.deepStrictEqual(url.searchParams.getAll("scope"), ["customer"])
      assert.strictEqual(url.searchParams.get("filters[created]"), "2024-01-01..2024-01-31")
      assert.strictEqual(url.hash, "")
    })
  )
})
