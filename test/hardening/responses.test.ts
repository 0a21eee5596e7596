/**
 * Hostile responses: whatever comes back (any status, any bytes, any shape, any depth, a body
 * that breaks off), every operation ends in a success or one typed `OmiseError`, never in a
 * defect, an exception or a hang.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Stream from "effect/Stream"
import * as fc from "fast-check"
import * as Customer from "../../src/Customer.js"
import * as Policy from "../../src/Policy.js"
import { card2019, customer2019, list, schedule2019, search } from "../fixtures/bodies.js"
import { type Answer, badExit, errorOf, hostile, liveProp, type Operation, operations } from "./helpers.js"

const RUNS = 1_000

/** A bound in real time: anything slower than this is a hang (retries are off, nothing waits). */
const hangAfter = "5 seconds"

const runOnce = (operation: Operation, answer: Answer, options: Parameters<typeof hostile>[1] = {}) => {
  const server = hostile(() => answer, options)
  return Effect.exit(
    Effect.timeoutOrElse(server.provide(operation.call()), {
      duration: hangAfter,
      orElse: () => Effect.fail("hang" as const)
    })
  )
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

const operationArb = fc.constantFrom(...operations)

/** A field path in a JSON value, and the value there. */
const paths = (value: unknown, prefix: ReadonlyArray<string | number> = []): Array<Array<string | number>> => {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => [[...prefix, index], ...paths(item, [...prefix, index])])
  }
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...paths(item, [...prefix, key])])
  }
  return []
}

const PLACEHOLDER = "\u0000placeholder\u0000"

/** `body` with the field at `path` replaced by `replacement`, or removed when it is undefined. */
const mutate = (body: unknown, path: ReadonlyArray<string | number>, replacement: unknown): unknown => {
  const copy: unknown = JSON.parse(JSON.stringify(body))
  let parent = copy as Record<string | number, unknown>
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>
  const last = path[path.length - 1]!
  if (replacement === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1)
    else delete parent[last]
  } else {
    parent[last] = replacement
  }
  return copy
}

const huge = "x".repeat(1_000_000)
const deepArray = (depth: number) => "[".repeat(depth) + "]".repeat(depth)
const deepObject = (depth: number) => '{"a":'.repeat(depth) + "null" + "}".repeat(depth)

/** A value for one field: wrong types, null, huge strings, deep nesting, anything JSON holds. */
const fieldArb: fc.Arbitrary<{ readonly json: unknown } | { readonly raw: string }> = fc.oneof(
  fc.jsonValue().map((json) => ({ json })),
  fc.constantFrom<unknown>(null, true, 0, -1, 1.5, "", [], {}, "2024-13-45T99:99:99Z", "cust_../x").map((json) => ({
    json
  })),
  fc.constant({ json: huge }),
  fc.integer({ min: 1, max: 10_000 }).map((depth) => ({ raw: deepArray(depth) })),
  fc.integer({ min: 1, max: 10_000 }).map((depth) => ({ raw: deepObject(depth) }))
)

/** A valid body of the operation with one field replaced or removed. */
const mutatedArb = (operation: Operation) =>
  fc
    .record({
      body: fc.constantFrom(...operation.bodies),
      path: fc.nat(),
      field: fc.option(fieldArb, { nil: undefined })
    })
    .map(({ body, field, path }) => {
      const all = paths(body)
      const at = all[path % all.length]!
      if (field === undefined) return JSON.stringify(mutate(body, at, undefined))
      if ("json" in field) return JSON.stringify(mutate(body, at, field.json))
      return JSON.stringify(mutate(body, at, PLACEHOLDER)).replace(JSON.stringify(PLACEHOLDER), field.raw)
    })

const html = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"

/** Body text of every kind a broken server or proxy sends. */
const bodyArb = (operation: Operation): fc.Arbitrary<Answer["body"]> =>
  fc.oneof(
    { weight: 4, arbitrary: mutatedArb(operation).map((text) => ({ _tag: "text" as const, text })) },
    { weight: 2, arbitrary: fc.json().map((text) => ({ _tag: "text" as const, text })) },
    {
      weight: 1,
      // An object other than the one expected: another operation's body.
      arbitrary: fc
        .constantFrom(...operations.flatMap((other) => other.bodies))
        .map((body) => ({ _tag: "text" as const, text: JSON.stringify(body) }))
    },
    {
      weight: 1,
      // Truncated JSON.
      arbitrary: fc.tuple(fc.constantFrom(...operation.bodies), fc.nat()).map(([body, cut]) => {
        const text = JSON.stringify(body)
        return { _tag: "text" as const, text: text.slice(0, cut % text.length) }
      })
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom("", " ", "null", "[]", "{}", '"customer"', "0", html, "<html>", "\ufeff{}", huge)
        .map((text) => ({ _tag: "text" as const, text }))
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(fc.integer({ min: 1, max: 10_000 }).map(deepArray), fc.integer({ min: 1, max: 10_000 }).map(deepObject))
        .map((text) => ({ _tag: "text" as const, text }))
    },
    {
      weight: 1,
      // An error body with fields of any type.
      arbitrary: fc
        .record({ code: fc.jsonValue(), message: fc.jsonValue(), location: fc.jsonValue() }, { requiredKeys: [] })
        .map((fields) => ({ _tag: "text" as const, text: JSON.stringify({ object: "error", ...fields }) }))
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ _tag: "bytes" as const, bytes })) },
    {
      weight: 1,
      // The connection breaks off part-way through the body.
      arbitrary: fc.tuple(fc.constantFrom(...operation.bodies), fc.nat()).map(([body, cut]) => {
        const text = JSON.stringify(body)
        return { _tag: "broken" as const, text: text.slice(0, cut % text.length) }
      })
    }
  )

const statusArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant(200) },
  { weight: 2, arbitrary: fc.constantFrom(201, 204, 301, 304, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 999 }) }
)

/** Header values a `Headers` object accepts: printable ASCII. */
const headerValue = fc.string({ maxLength: 60 })

const headersArb = fc
  .record(
    {
      "content-type": fc.oneof(
        fc.constantFrom(
          "application/json",
          "application/json; charset=utf-8",
          "text/html",
          "text/plain",
          "application/octet-stream",
          "application/json; charset=latin1",
          ""
        ),
        headerValue
      ),
      "x-request-id": headerValue,
      "retry-after": fc.oneof(
        fc.nat().map(String),
        fc.constantFrom("-1", "1.5", "1e999", "9".repeat(400), "Wed, 21 Oct 2099 07:28:00 GMT", "soon", ""),
        headerValue
      )
    },
    { requiredKeys: [] }
  )
  .map((headers) => Object.entries(headers))

const answerArb = (operation: Operation): fc.Arbitrary<Answer> =>
  fc.record({ status: statusArb, headers: headersArb, body: bodyArb(operation) })

// Built once per operation: building an arbitrary costs more than running a case.
const answers = new Map(operations.map((operation) => [operation, answerArb(operation)] as const))
const mutations = new Map(operations.map((operation) => [operation, mutatedArb(operation)] as const))

const caseArb = operationArb.chain((operation) => fc.tuple(fc.constant(operation), answers.get(operation)!))

// ---------------------------------------------------------------------------------------------

describe("hostile responses", () => {
  liveProp(
    "any response to any operation ends in a success or a typed OmiseError, never a defect or a hang",
    [caseArb],
    ([[operation, answer]]) =>
      Effect.gen(function* () {
        const exit = yield* runOnce(operation, answer)
        const bad = badExit(exit)
        assert.isUndefined(bad, `${operation.name} answered ${answer.status}: ${bad}`)
        const error = errorOf(exit)
        // Only a 2xx can be a success, and an error says where it happened and what came back.
        if (answer.status < 200 || answer.status > 299) {
          assert.isDefined(error, `${operation.name} succeeded on HTTP ${answer.status}`)
        }
        if (error !== undefined && "status" in error) assert.strictEqual(error.status, answer.status)
        if (error !== undefined && "path" in error) assert.include(error.message, error.path)
      }),
    { numRuns: RUNS }
  )

  liveProp(
    "a valid body with one field replaced or removed decodes or fails with OmiseDecodeError",
    [operationArb.chain((operation) => fc.tuple(fc.constant(operation), mutations.get(operation)!))],
    ([[operation, text]]) =>
      Effect.gen(function* () {
        const exit = yield* runOnce(operation, {
          status: 200,
          headers: [["content-type", "application/json"]],
          body: { _tag: "text", text }
        })
        assert.isUndefined(badExit(exit), operation.name)
        const error = errorOf(exit)
        if (error !== undefined) assert.strictEqual(error._tag, "OmiseDecodeError", `${operation.name}: ${error}`)
      }),
    { numRuns: RUNS }
  )

  for (const operation of operations) {
    it.live(`${operation.name}: deep nesting (10,000 levels) and huge strings end in OmiseDecodeError`, () =>
      Effect.gen(function* () {
        for (const text of [
          deepArray(10_000),
          deepObject(10_000),
          JSON.stringify(customer2019({ id: PLACEHOLDER })).replace(JSON.stringify(PLACEHOLDER), deepArray(10_000)),
          JSON.stringify({ object: "list", data: PLACEHOLDER }).replace(JSON.stringify(PLACEHOLDER), deepArray(10_000)),
          JSON.stringify(customer2019({ id: huge, email: huge }))
        ]) {
          const exit = yield* runOnce(operation, {
            status: 200,
            headers: [["content-type", "application/json"]],
            body: { _tag: "text", text }
          })
          assert.isUndefined(badExit(exit), text.slice(0, 40))
          const error = errorOf(exit)
          assert.strictEqual(error?._tag, "OmiseDecodeError", `${text.slice(0, 40)}: ${error}`)
          // The excerpt kept for debugging stays short whatever came back.
          assert.isAtMost(error?._tag === "OmiseDecodeError" ? error.body.length : 0, 501)
          assert.isAtMost(error?.message.length ?? 0, 2_000)
        }
      })
    )
  }
})

/**
 * A clock on which every wait completes at once, moving time forward by what was asked, and
 * records what was asked. Waits of exactly `never` milliseconds (the per-attempt timeout) never
 * complete: the hostile transport answers at once, so they only ever lose the race. This checks
 * how long a call would wait without spending that time, real or on the TestClock.
 */
const virtualClock = (never: number) => {
  let now = Date.parse("2024-03-01T00:00:00Z")
  const waits: Array<number> = []
  const clock: Clock.Clock = {
    currentTimeMillisUnsafe: () => now,
    currentTimeNanosUnsafe: () => BigInt(now) * 1_000_000n,
    currentTimeMillis: Effect.sync(() => now),
    currentTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    monotonicTimeNanosUnsafe: () => BigInt(now) * 1_000_000n,
    monotonicTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    sleep: (duration) => {
      const millis = Duration.toMillis(duration)
      if (millis === never) return Effect.never
      return Effect.suspend(() => {
        waits.push(millis)
        now += Number.isFinite(millis) ? millis : 0
        return Effect.yieldNow
      })
    }
  }
  return { clock, waits }
}

describe("hostile responses with retries on", () => {
  const retryAfterArb = fc.option(
    fc.oneof(
      fc.nat({ max: 100_000 }).map(String),
      fc.constantFrom(
        "1e999",
        "9".repeat(400),
        "99999999999",
        "59.9995",
        "60",
        "61",
        "Wed, 21 Oct 2099 07:28:00 GMT",
        "Fri, 01 Mar 2024 00:00:30 GMT",
        "-5",
        "0",
        "soon"
      )
    ),
    { nil: undefined }
  )
  const retryableArb: fc.Arbitrary<Answer> = fc.record({
    status: fc.constantFrom(429, 500, 502, 503, 504, 200),
    headers: retryAfterArb.map((value): Answer["headers"] => (value === undefined ? [] : [["retry-after", value]])),
    body: fc.constant({ _tag: "text" as const, text: "" })
  })
  const timeoutMillis = 1_000 * 24 * 3_600_000

  liveProp(
    "whatever the status and Retry-After, a call waits at most a minute between attempts and ends",
    [operationArb, fc.array(retryableArb, { minLength: 1, maxLength: 5 })],
    ([operation, answers]) =>
      Effect.gen(function* () {
        const server = hostile((index) => answers[Math.min(index, answers.length - 1)]!, {
          retry: Policy.retry({ times: 3 }),
          timeout: Duration.millis(timeoutMillis)
        })
        const { clock, waits } = virtualClock(timeoutMillis)
        const exit = yield* Effect.exit(
          Effect.exit(server.provide(operation.call())).pipe(
            Effect.provideService(Clock.Clock, clock),
            Effect.timeoutOrElse({ duration: hangAfter, orElse: () => Effect.fail("hang" as const) })
          )
        )
        assert.isTrue(Exit.isSuccess(exit), `${operation.name} hung on ${JSON.stringify(answers)}`)
        if (Exit.isSuccess(exit)) assert.isUndefined(badExit(exit.value))
        assert.isAtMost(server.requests.length, 4)
        assert.strictEqual(waits.length, server.requests.length - 1)
        for (const wait of waits) {
          assert.isAtMost(wait, 60_000, `${operation.name} waited ${wait} ms on ${JSON.stringify(answers)}`)
        }
      }),
    { numRuns: RUNS }
  )
})

describe("hostile pages", () => {
  const item = {
    customers: (id: number) => customer2019({ id: `cust_test_${id}` }),
    cards: (id: number) => card2019({ id: `card_test_${id}` }),
    schedules: (id: number) => schedule2019({ id: `schd_test_${id}` })
  }
  type Kind = keyof typeof item | "search"

  const streamsOf: ReadonlyArray<{
    readonly kind: Kind
    readonly run: (
      concurrency: number
    ) => Effect.Effect<number, unknown, import("../../src/OmiseClient.js").OmiseClient>
  }> = [
    { kind: "customers", run: (concurrency) => Stream.runCount(Customer.stream({ limit: 3, concurrency })) },
    {
      kind: "cards",
      run: (concurrency) => Stream.runCount(Customer.streamCards("cust_test_1", { limit: 3, concurrency }))
    },
    {
      kind: "schedules",
      run: (concurrency) => Stream.runCount(Customer.streamSchedules("cust_test_1", { limit: 3, concurrency }))
    },
    { kind: "search", run: (concurrency) => Stream.runCount(Customer.streamSearch({ per_page: 3, concurrency })) }
  ]

  /** A page that decodes but lies: any total, any offset, repeated ids, more items than asked. */
  const pageArb = (kind: Kind): fc.Arbitrary<unknown> =>
    fc
      .record({
        ids: fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 3 }),
        total: fc.oneof(fc.nat({ max: 20 }), fc.constantFrom(10 ** 9, Number.MAX_SAFE_INTEGER)),
        offset: fc.nat({ max: 30 }),
        page: fc.integer({ min: 1, max: 10 })
      })
      .map(({ ids, offset, page, total }) =>
        kind === "search"
          ? search(ids.map(item.customers), { page, per_page: 3, total, total_pages: total })
          : list(
              ids.map((id): unknown => item[kind](id)),
              { offset, limit: 3, total }
            )
      )

  const pagesArb = (kind: Kind) =>
    fc.array(
      fc.oneof(
        { weight: 5, arbitrary: pageArb(kind).map((body) => ({ body })) },
        { weight: 1, arbitrary: answers.get(operations.find((operation) => operation.name === "list")!)! }
      ),
      { minLength: 1, maxLength: 5 }
    )

  const casesArb = fc
    .constantFrom(...streamsOf)
    .chain((target) => fc.tuple(fc.constant(target), pagesArb(target.kind), fc.integer({ min: 1, max: 4 })))

  liveProp(
    "streams over lying or broken pages end in a success or a typed error, and stop asking once pages run dry",
    [casesArb],
    ([[target, pages, concurrency]]) =>
      Effect.gen(function* () {
        const empty = target.kind === "search" ? search([], { total_pages: 0 }) : list([])
        const server = hostile((index) => {
          const page = pages[index]
          if (page === undefined) return ok(empty)
          return "body" in page ? ok(page.body) : page
        })
        const exit = yield* Effect.exit(
          Effect.timeoutOrElse(server.provide(target.run(concurrency)), {
            duration: hangAfter,
            orElse: () => Effect.fail("hang" as const)
          })
        )
        assert.isUndefined(badExit(exit), `${target.kind} x${concurrency}: ${server.requests.length} requests`)
        // Every page past those served is empty: a stream may have `concurrency` requests in
        // flight when it sees the first one, but must not walk a lying `total` to its end.
        assert.isAtMost(server.requests.length, pages.length + concurrency + 1)
      }),
    { numRuns: RUNS }
  )
})

const ok = (json: unknown): Answer => ({
  status: 200,
  headers: [["content-type", "application/json"]],
  body: { _tag: "text", text: JSON.stringify(json) }
})
