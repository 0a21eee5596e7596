/**
 * Issue 12 items 5 and 6, issue 13 item 7: hostile argument objects end in
 * `OmiseInvalidArgumentError` (never a defect), `from`/`to` accept ISO 8601 / RFC 3339 only, and
 * an argument error says each thing once.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Customer from "../../src/Customer.js"
import type * as OmiseClient from "../../src/OmiseClient.js"
import type { OmiseError } from "../../src/OmiseError.js"
import { CUSTOMER_ID, customer2019, list } from "../fixtures/bodies.js"
import { badExit, loose } from "../hardening/helpers.js"
import * as RecordingHttp from "../utils/RecordingHttp.js"

const thrower = (what: string) => () => {
  throw new Error(what)
}

const hostile: ReadonlyArray<readonly [string, () => unknown]> = [
  ["a getter that throws", () => Object.defineProperty({}, "email", { enumerable: true, get: thrower("getter") })],
  ["a Proxy whose ownKeys throws", () => new Proxy({}, { ownKeys: thrower("ownKeys") })],
  ["a Proxy whose getPrototypeOf throws", () => new Proxy({}, { getPrototypeOf: thrower("getPrototypeOf") })],
  ["a Proxy whose get throws", () => new Proxy({ email: "a@example.com" }, { get: thrower("get") })],
  [
    "a Proxy whose getOwnPropertyDescriptor throws",
    () => new Proxy({ email: "a@example.com" }, { getOwnPropertyDescriptor: thrower("descriptor") })
  ],
  [
    "metadata with a getter that throws",
    () => ({ metadata: Object.defineProperty({}, "k", { enumerable: true, get: thrower("deep") }) })
  ],
  [
    "a thrown non-Error",
    () =>
      new Proxy(
        {},
        {
          ownKeys: () => {
            throw loose<Error>({ toString: thrower("again") })
          }
        }
      )
  ]
]

const calls: ReadonlyArray<
  readonly [string, (x: unknown) => Effect.Effect<unknown, OmiseError, OmiseClient.OmiseClient>]
> = [
  ["create", (x) => Customer.create(loose(x))],
  ["update", (x) => Customer.update(CUSTOMER_ID, loose(x))],
  ["list", (x) => Customer.list(loose(x))],
  ["search", (x) => Customer.search(loose(x))]
]

describe("hostile argument objects are invalid arguments, never defects", () => {
  for (const [operation, call] of calls) {
    for (const [what, make] of hostile) {
      it.effect(`${operation} with ${what}`, () =>
        Effect.gen(function* () {
          const http = RecordingHttp.make(RecordingHttp.json(customer2019()))
          const exit = yield* Effect.exit(Effect.provide(call(make()), http.client()))
          assert.strictEqual(badExit(exit), undefined)
          assert.isTrue(Exit.isFailure(exit))
          const error = yield* Effect.flip(Effect.provide(call(make()), http.client()))
          assert.strictEqual(error._tag, "OmiseInvalidArgumentError")
          assert.strictEqual(http.requests.length, 0)
        })
      )
    }
  }

  it.effect("a stream over a Proxy whose traps throw fails typed", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(RecordingHttp.json(list([])))
      const proxy = new Proxy({}, { ownKeys: thrower("ownKeys"), has: thrower("has") })
      const exit = yield* Effect.exit(
        Effect.suspend(() => Stream.runDrain(Customer.stream(loose(proxy)))).pipe(Effect.provide(http.client()))
      )
      assert.strictEqual(badExit(exit), undefined)
      assert.isTrue(Exit.isFailure(exit))
      const error = Exit.isFailure(exit) ? Cause.findErrorOption(exit.cause) : Option.none()
      assert.strictEqual(Option.getOrUndefined(error)?._tag, "OmiseInvalidArgumentError")
      assert.strictEqual(http.requests.length, 0)
    })
  )
})

describe("from/to are ISO 8601 / RFC 3339 only", () => {
  for (const from of [
    "1",
    "March 7",
    "2024-02-30T00:00:00Z",
    "2023-02-29",
    "2024-13-01",
    "2024-03-07T24:00:00Z",
    "2024-03-07T10:00:00",
    "2024-03-07 10:00:00Z",
    "07/03/2024",
    "2024-3-7",
    " 2024-03-07",
    "1709800000"
  ]) {
    it.effect(`${JSON.stringify(from)} is refused before any request`, () =>
      Effect.gen(function* () {
        const http = RecordingHttp.make(RecordingHttp.json(list([])))
        const error = yield* Effect.flip(Effect.provide(Customer.list({ from }), http.client()))
        assert.strictEqual(error._tag, "OmiseInvalidArgumentError")
        assert.include(error.message, "from")
        assert.strictEqual(http.requests.length, 0)
      })
    )
  }
  const accepted: ReadonlyArray<readonly [unknown, string]> = [
    ["2024-03-07", "2024-03-07T00:00:00.000Z"],
    ["2024-02-29T23:59:59Z", "2024-02-29T23:59:59.000Z"],
    ["2024-03-07T17:00:00+07:00", "2024-03-07T10:00:00.000Z"],
    ["2024-03-07T10:00:00.5-01:30", "2024-03-07T11:30:00.500Z"],
    ["2024-03-07t10:00z", "2024-03-07T10:00:00.000Z"],
    [new Date("2024-03-07T10:00:00Z"), "2024-03-07T10:00:00.000Z"],
    [DateTime.makeUnsafe("2024-03-07T10:00:00Z"), "2024-03-07T10:00:00.000Z"]
  ]
  for (const [from, sent] of accepted) {
    it.effect(`${String(from)} is sent as ${sent}`, () =>
      Effect.gen(function* () {
        const http = RecordingHttp.make(RecordingHttp.json(list([])))
        yield* Effect.provide(Customer.list({ from: loose(from) }), http.client())
        assert.strictEqual(http.requests[0]!.query.from, sent)
      })
    )
  }
})

describe("argument errors say each thing once", () => {
  it.effect("Customer.list({ limit: 500 }) names the range once, nothing about undefined", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(Effect.provide(Customer.list({ limit: 500 }), RecordingHttp.make().client()))
      assert.strictEqual(error.message, "Customer.list: invalid params: limit: Expected a value between 1 and 100")
    })
  )

  it.effect("wrong optional fields say what is expected, without the optional field's undefined", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Effect.provide(Customer.create(loose({ email: 5, description: true, card: 3 })), RecordingHttp.make().client())
      )
      assert.notInclude(error.message, "undefined")
      for (const field of ["email", "description", "card"]) {
        assert.strictEqual(error.message.split(`${field}:`).length - 1, 1, `${field} in ${error.message}`)
      }
      assert.include(error.message, "email: Expected string")
    })
  )
})
