/**
 * What the fake keeps of secrets, and the one rule for keys: the request log holds no card data
 * (as it holds no key), a snapshot of it does not change under its reader, reads of state see
 * it between requests, and a key the `omise-fake` bin takes is exactly a key the fake opens to.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/testing/TestClock"
import * as fc from "fast-check"
import * as v8 from "node:v8"
import * as OmiseFake from "../../src/testing/OmiseFake.js"
import * as Cli from "../../src/testing/internal/cli.js"
import { call, get } from "./helpers.js"

const card = (number: string, security_code: string) => ({
  number,
  name: "Somchai Prasert",
  expiration_month: 12,
  expiration_year: 2099,
  security_code
})

describe("the request log and card data", () => {
  it.effect(
    "records card[number] as its last four digits and card[security_code] as <redacted>, in JSON, forms and the query",
    () =>
      Effect.gen(function* () {
        const fake = yield* OmiseFake.make()
        const json = yield* call(fake, "POST", "/tokens", { json: { card: card("4242 4242 4242 4242", "321") } })
        assert.strictEqual(json.status, 200)
        assert.strictEqual(get(json.json, "card", "last_digits"), "4242")
        const form = yield* call(fake, "POST", "/tokens", {
          form: new URLSearchParams({
            "card[number]": "5555555555554444",
            "card[security_code]": "654",
            "card[name]": "Somchai Prasert",
            "card[expiration_month]": "12",
            "card[expiration_year]": "2099"
          }).toString()
        })
        assert.strictEqual(form.status, 200)
        // In the query string, and in a request whose parameters do not parse (too deep): the query
        // is still recorded, and still without the card.
        const query = yield* call(fake, "POST", "/tokens", {
          query: `card[number]=4111111111111111&card[security_code]=987&${"x[a]".padEnd(4 + 3 * 70, "[a]")}=1`,
          json: {}
        })
        assert.strictEqual(query.status, 400)
        // A number that is not a card number, or not a string, keeps nothing.
        yield* call(fake, "POST", "/tokens", { json: { card: { number: ["4000000000000002"], security_code: 1234 } } })

        const requests = yield* fake.requests
        assert.strictEqual(requests.length, 4)
        assert.deepStrictEqual(requests[0]!.params, {
          card: { ...card("<redacted ending 4242>", "<redacted>"), expiration_month: 12, expiration_year: 2099 }
        })
        assert.deepStrictEqual(requests[1]!.params, {
          card: {
            number: "<redacted ending 4444>",
            security_code: "<redacted>",
            name: "Somchai Prasert",
            expiration_month: "12",
            expiration_year: "2099"
          }
        })
        const logged = new URLSearchParams(requests[2]!.query)
        assert.strictEqual(logged.get("card[number]"), "<redacted ending 1111>")
        assert.strictEqual(logged.get("card[security_code]"), "<redacted>")
        assert.deepStrictEqual(requests[2]!.params, {})
        assert.deepStrictEqual(requests[3]!.params, { card: { number: "<redacted>", security_code: "<redacted>" } })
        const text = JSON.stringify(requests)
        for (const secret of [
          "4242 4242",
          "424242424242",
          "555555555555",
          "411111111111",
          "400000000000",
          "321",
          "654",
          "987",
          "1234"
        ]) {
          assert.notInclude(text, secret)
        }
      })
  )

  it.effect("a token made so still gives a working card", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make()
      const token = yield* call(fake, "POST", "/tokens", { json: { card: card("5555555555554444", "123") } })
      const customer = yield* call(fake, "POST", "/customers", { json: { card: get(token.json, "id") } })
      assert.strictEqual(get(customer.json, "cards", "data", 0, "last_digits"), "4444")
      assert.strictEqual(get(customer.json, "cards", "data", 0, "brand"), "MasterCard")
    })
  )

  it.effect("a snapshot of the log does not change under its reader when a pending request is answered", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make({ latency: "1 second" })
      const pending = yield* Effect.forkChild(call(fake, "GET", "/customers"))
      yield* TestClock.adjust("10 millis")
      const before = yield* fake.requests
      assert.strictEqual(before.length, 1)
      assert.strictEqual(before[0]!.status, undefined)
      yield* TestClock.adjust("1 second")
      assert.strictEqual((yield* Fiber.join(pending)).status, 200)
      assert.strictEqual(before[0]!.status, undefined)
      assert.strictEqual((yield* fake.requests)[0]!.status, 200)
    })
  )
})

// Digits kept as numbers, so the test itself holds no string of the card number.
const unusualNumber = [5, 1, 0, 5, 1, 0, 5, 1, 0, 5, 1, 0, 5, 1, 0, 0]

/** Whether a heap snapshot (taken after a full collection) holds these bytes. */
const heapHolds = (needle: Buffer) =>
  Effect.promise(
    () =>
      new Promise<boolean>((resolve, reject) => {
        const chunks: Array<Buffer> = []
        const stream = v8.getHeapSnapshot()
        stream.on("data", (chunk: Buffer) => chunks.push(chunk))
        stream.on("error", reject)
        stream.on("end", () => resolve(Buffer.concat(chunks).includes(needle)))
      })
  )

describe("card numbers in memory", () => {
  it.effect(
    "once a token is made and answered, no card number is left in the process (no log entry, no fingerprint cache)",
    () =>
      Effect.gen(function* () {
        const fake = yield* OmiseFake.make()
        const reply = yield* call(fake, "POST", "/tokens", {
          json: { card: { ...card(unusualNumber.join(""), "123") } }
        })
        assert.strictEqual(reply.status, 200)
        assert.strictEqual(get(reply.json, "card", "last_digits"), "5100")
        // Other requests afterwards, as a test would send, so nothing holds the last one by chance.
        for (let i = 0; i < 20; i++) yield* call(fake, "GET", "/customers", { query: "limit=3" })
        assert.isFalse(yield* heapHolds(Buffer.from(unusualNumber.join(""))))
      }),
    30_000
  )
})

describe("handling a request", () => {
  it.effect("compiles no RegExp per request (the key patterns are built once)", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.make({ secretKey: undefined })
      const send = (n: number) =>
        Effect.forEach(
          Array.from({ length: n }, (_, i) => i),
          () =>
            Effect.flatMap(call(fake, "GET", "/customers", { key: "skey_test_5regexp" }), (reply) =>
              Effect.sync(() => assert.strictEqual(reply.status, 200))
            ),
          { discard: true }
        )
      yield* send(5)
      const Original = globalThis.RegExp
      let compiled = 0
      const counted = yield* Effect.acquireRelease(
        Effect.sync(() => {
          globalThis.RegExp = new Proxy(Original, {
            construct: (target, args: [string | RegExp, string?]) => {
              compiled++
              return new target(...args)
            },
            apply: (target, _this, args: [string | RegExp, string?]) => {
              compiled++
              return target(...args)
            }
          })
          return () => compiled
        }),
        () =>
          Effect.sync(() => {
            globalThis.RegExp = Original
          })
      )
      yield* send(50)
      assert.strictEqual(counted(), 0)
    })
  )
})

// A key with a colon cannot be sent as the user of Basic auth, so keys here have none.
const keyText = fc
  .oneof(
    fc.constantFrom(
      "skey_test_5abc",
      "pkey_test_5abc",
      "skey_test_a_b",
      "skey_live_5abc",
      "skey_5abc",
      "skey_test_",
      "skey_test_5abc ",
      "skey_test_5äbc",
      "SKEY_TEST_5ABC",
      "skey_test_5abc\n",
      "pkey_test_x",
      "skey_test_x-y"
    ),
    fc.stringMatching(/^(?:s|p)key_(?:test_|live_)?[0-9A-Za-z_\-. ]{0,10}$/),
    fc.string({ maxLength: 16 })
  )
  .filter((key) => !key.includes(":") && !key.startsWith("-"))

const opens = (fake: OmiseFake.Service, kind: "skey" | "pkey", key: string) =>
  Effect.map(
    call(fake, "GET", kind === "skey" ? "/customers" : "/tokens/tokn_test_missing", {
      key: null,
      headers: { authorization: `Basic ${Buffer.from(`${key}:`, "utf8").toString("base64")}` }
    }),
    (reply) => reply.status !== 401
  )

describe("one definition of a well-formed key", () => {
  it.effect("a key the omise-fake bin takes is a key the fake opens to, pinned or not, and vice versa", () =>
    Effect.forEach(
      fc.sample(fc.tuple(keyText, fc.constantFrom("skey" as const, "pkey" as const)), { seed: 20240607, numRuns: 400 }),
      ([key, kind]) =>
        Effect.gen(function* () {
          const option = kind === "skey" ? "--secret-key" : "--public-key"
          const binTakes = Exit.isSuccess(yield* Effect.exit(Cli.parseOptions(["--port", "0", option, key])))
          const unpinned = yield* opens(yield* OmiseFake.make(), kind, key)
          const pinned = yield* opens(
            yield* OmiseFake.make(kind === "skey" ? { secretKey: key } : { publicKey: key }),
            kind,
            key
          )
          assert.strictEqual(unpinned, binTakes, `unpinned fake vs bin for ${kind} ${JSON.stringify(key)}`)
          assert.strictEqual(pinned, binTakes, `pinned fake vs bin for ${kind} ${JSON.stringify(key)}`)
        }),
      { discard: true }
    )
  )

  it.effect("the bin's refusal names the kind and does not echo the key", () =>
    Effect.gen(function* () {
      const refused = yield* Effect.flip(Cli.parseOptions(["--port", "0", "--secret-key", "skey_test_secret_part"]))
      assert.include(refused.message, "--secret-key must be a skey_ key")
      assert.notInclude(refused.message, "secret_part")
    })
  )
})
