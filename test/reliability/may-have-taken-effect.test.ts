/**
 * `mayHaveTakenEffect` is decided in one place (src/internal/outcome.ts): never for a GET; for a
 * write (POST, PATCH, DELETE), true unless the failure proves it was not processed (a refused
 * connection, a 4xx or 429 answer, a deadline that passed while it was still queued), and true
 * whenever an earlier attempt may have landed. Whether a write may be *resent* (replayable) is a
 * separate question: a PATCH that is retried after a lost answer still may have happened.
 */
import { assert, describe, it } from "@effect/vitest"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { TestClock } from "effect/testing"
import * as Customer from "../../src/Customer.js"
import * as OmiseClient from "../../src/OmiseClient.js"
import type { OmiseError } from "../../src/OmiseError.js"
import * as Policy from "../../src/Policy.js"
import * as FakeFault from "../../src/testing/FakeFault.js"
import * as OmiseFake from "../../src/testing/OmiseFake.js"
import { CUSTOMER_ID, customer2019, errorBody } from "../fixtures/bodies.js"
import * as RecordingHttp from "../utils/RecordingHttp.js"
import { settle } from "../utils/settle.js"

const mayHave = (error: OmiseError): boolean => "mayHaveTakenEffect" in error && error.mayHaveTakenEffect

const fixed = (times: number) => Policy.retry({ times, base: "1 second", cap: "1 second", jitter: false })
const reset: RecordingHttp.Reply = { transport: "socket hang up", code: "ECONNRESET" }
const refused: RecordingHttp.Reply = { transport: "connect ECONNREFUSED 127.0.0.1:1", code: "ECONNREFUSED" }
const answer = (status: number, code = "bad_request"): RecordingHttp.Reply => ({
  status,
  json: errorBody(code, "no")
})

/** Runs `effect` over `http`, moving the TestClock on until it ends. */
const failure = (
  http: RecordingHttp.Recording,
  effect: Effect.Effect<unknown, OmiseError, OmiseClient.OmiseClient>,
  options: Parameters<RecordingHttp.Recording["client"]>[0] = {},
  step: Duration.Input = "1 second"
) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.forkChild(Effect.flip(Effect.provide(effect, Layer.orDie(http.client(options)))))
    for (let i = 0; i < 20 && fiber.pollUnsafe() === undefined; i++) {
      yield* settle
      yield* TestClock.adjust(step)
    }
    return yield* Fiber.join(fiber)
  })

const writes: Record<string, Effect.Effect<unknown, OmiseError, OmiseClient.OmiseClient>> = {
  "PATCH (update)": Customer.update(CUSTOMER_ID, { description: "new" }),
  "DELETE (destroy)": Customer.destroy(CUSTOMER_ID),
  "POST (create)": Customer.create({ email: "a@example.com" })
}

const writeTo = (
  method: "PATCH" | "DELETE",
  id: string
): Effect.Effect<unknown, OmiseError, OmiseClient.OmiseClient> =>
  method === "PATCH" ? Customer.update(id, { description: "new" }) : Customer.destroy(id)

describe("mayHaveTakenEffect over the fake", () => {
  it.effect(
    "a PATCH dropped after processing on every attempt: OmiseTransportError after 3 attempts that may have taken effect (it did)",
    () =>
      Effect.gen(function* () {
        const fake = yield* OmiseFake.OmiseFake
        const customer = yield* fake.createCustomer({ email: "p@example.com", description: "old" })
        yield* fake.injectFault(FakeFault.dropAfterProcessing, { method: "PATCH", times: Infinity })
        const error = yield* Effect.flip(Customer.update(customer.id, { description: "new" }))
        assert.strictEqual(error._tag, "OmiseTransportError")
        assert.strictEqual(error._tag === "OmiseTransportError" ? error.attempts : 0, 3)
        assert.isTrue(mayHave(error))
        assert.include(error.message, "may have taken effect")
        const stored = yield* fake.getCustomer(customer.id)
        assert.strictEqual(Option.getOrUndefined(stored)?.description, "new")
      }).pipe(Effect.provide(OmiseFake.layer()))
  )

  it.effect("a DELETE dropped after processing on every attempt may have taken effect (it did)", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      const customer = yield* fake.createCustomer({ email: "d@example.com" })
      yield* fake.injectFault(FakeFault.dropAfterProcessing, { method: "DELETE", times: Infinity })
      const error = yield* Effect.flip(Customer.destroy(customer.id))
      assert.strictEqual(error._tag, "OmiseTransportError")
      assert.strictEqual(error._tag === "OmiseTransportError" ? error.attempts : 0, 3)
      assert.isTrue(mayHave(error))
      assert.isTrue(Option.isNone(yield* fake.getCustomer(customer.id)))
    }).pipe(Effect.provide(OmiseFake.layer()))
  )

  it.effect("a DELETE dropped after processing once ends in a success: the retry's 404 is its doing", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      const customer = yield* fake.createCustomer({ email: "d@example.com" })
      yield* fake.injectFault(FakeFault.dropAfterProcessing, { method: "DELETE" })
      const deleted = yield* Customer.destroy(customer.id)
      assert.isTrue(deleted.deleted)
      assert.isTrue(Option.isNone(yield* fake.getCustomer(customer.id)))
    }).pipe(Effect.provide(OmiseFake.layer()))
  )

  for (const [name, method] of [
    ["PATCH", "PATCH"],
    ["DELETE", "DELETE"]
  ] as const) {
    it.effect(`a ${name} answered 500 on every attempt may have taken effect`, () =>
      Effect.gen(function* () {
        const fake = yield* OmiseFake.OmiseFake
        const customer = yield* fake.createCustomer({ email: "s@example.com" })
        yield* fake.injectFault(FakeFault.serverError(500), { method, times: Infinity })
        const error = yield* Effect.flip(writeTo(method, customer.id))
        assert.strictEqual(error._tag, "OmiseServerError")
        assert.strictEqual(error._tag === "OmiseServerError" ? error.attempts : 0, 3)
        assert.isTrue(mayHave(error))
      }).pipe(Effect.provide(OmiseFake.layer()))
    )

    it.effect(`a ${name} slower than the per-attempt timeout may have taken effect`, () =>
      Effect.gen(function* () {
        const fake = yield* OmiseFake.OmiseFake
        const customer = yield* fake.createCustomer({ email: "t@example.com" })
        yield* fake.injectFault(FakeFault.latency("10 seconds"), { method, times: Infinity })
        const fiber = yield* Effect.forkChild(Effect.flip(writeTo(method, customer.id)))
        yield* TestClock.adjust("2 seconds")
        const error = yield* Fiber.join(fiber)
        assert.strictEqual(error._tag, "OmiseTimeoutError")
        assert.isTrue(mayHave(error))
      }).pipe(Effect.provide(OmiseFake.layer({ client: { retry: Policy.noRetry, timeout: "1 second" } })))
    )
  }

  it.effect("a GET never may have taken effect, whatever the failure", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      const customer = yield* fake.createCustomer({ email: "g@example.com" })
      yield* fake.injectFault(FakeFault.dropAfterProcessing, { method: "GET", times: Infinity })
      const dropped = yield* Effect.flip(Customer.retrieve(customer.id))
      assert.strictEqual(dropped._tag, "OmiseTransportError")
      assert.isFalse(mayHave(dropped))
      yield* fake.clearFaults
      yield* fake.injectFault(FakeFault.serverError(500), { method: "GET", times: Infinity })
      const failed = yield* Effect.flip(Customer.retrieve(customer.id))
      assert.strictEqual(failed._tag, "OmiseServerError")
      assert.isFalse(mayHave(failed))
    }).pipe(Effect.provide(OmiseFake.layer()))
  )
})

describe("mayHaveTakenEffect over a recording HttpClient", () => {
  for (const [name, write] of Object.entries(writes)) {
    it.effect(`${name}: a reset connection, a 5xx, or a 3xx may have taken effect`, () =>
      Effect.gen(function* () {
        for (const reply of [reset, answer(500, "internal_server_error"), answer(503), answer(302)]) {
          const http = RecordingHttp.make(reply)
          const error = yield* failure(http, write)
          assert.isTrue(mayHave(error), `${error._tag} ${JSON.stringify(reply)}`)
        }
      })
    )

    it.effect(`${name}: a refused connection, a 4xx or a 429 proves it did not take effect`, () =>
      Effect.gen(function* () {
        for (const reply of [
          refused,
          answer(400),
          answer(401, "authentication_failure"),
          answer(403, "forbidden"),
          answer(404, "not_found"),
          answer(409, "conflict"),
          answer(422, "invalid_card"),
          answer(429, "too_many_requests")
        ]) {
          const http = RecordingHttp.make(reply)
          const error = yield* failure(http, write)
          assert.isFalse(mayHave(error), `${error._tag} ${JSON.stringify(reply)}`)
          assert.notInclude(error.message, "may have taken effect")
        }
      })
    )
  }

  it.effect("a PATCH whose retries ran out after a lost answer still may have taken effect", () =>
    Effect.gen(function* () {
      // Lost answer, then refused connections: the last failure proves nothing about the first.
      const http = RecordingHttp.make(reset, refused)
      const error = yield* failure(http, writes["PATCH (update)"]!, { retry: fixed(2) })
      assert.strictEqual(http.requests.length, 3)
      assert.strictEqual(error._tag, "OmiseTransportError")
      assert.isTrue(mayHave(error))
    })
  )

  it.effect("a PATCH refused (4xx) after a lost answer may have taken effect: the first attempt may have", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(answer(504, "gateway_timeout"), answer(400))
      const error = yield* failure(http, writes["PATCH (update)"]!, { retry: fixed(2) })
      assert.strictEqual(http.requests.length, 2)
      assert.strictEqual(error._tag, "OmiseInvalidRequestError")
      assert.isTrue(mayHave(error))
    })
  )

  it.effect("a PATCH whose deadline passes while it waits to retry after a lost answer may have taken effect", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(reset)
      const error = yield* failure(http, writes["PATCH (update)"]!, { retry: fixed(5), deadline: "1500 millis" })
      assert.strictEqual(error._tag, "OmiseTimeoutError")
      assert.strictEqual(error._tag === "OmiseTimeoutError" ? error.kind : undefined, "deadline")
      assert.isTrue(mayHave(error))
    })
  )

  it.effect("a POST refused, then retried after 429, then reset: may have taken effect and not replayed", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(
        refused,
        answer(429, "too_many_requests"),
        reset,
        RecordingHttp.json(customer2019())
      )
      const error = yield* failure(http, writes["POST (create)"]!, { retry: fixed(5) })
      assert.strictEqual(http.requests.length, 3)
      assert.strictEqual(error._tag, "OmiseTransportError")
      assert.isTrue(mayHave(error))
    })
  )

  it.effect("a body that cannot be read after a write was answered: may have taken effect", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make({ status: 200, text: "{" })
      const error = yield* failure(http, writes["PATCH (update)"]!)
      assert.strictEqual(error._tag, "OmiseDecodeError")
      assert.isTrue(mayHave(error))
    })
  )

  it.effect("a GET the caller marks not replayable is not resent after a lost answer, and says false", () =>
    Effect.gen(function* () {
      const http = RecordingHttp.make(reset, RecordingHttp.json({ object: "account", id: "acct_1" }))
      const error = yield* failure(
        http,
        OmiseClient.OmiseClient.use((client) =>
          client.execute({ method: "GET", path: "/account", replayable: false }, Schema.Unknown)
        ),
        { retry: fixed(2) }
      )
      assert.strictEqual(http.requests.length, 1)
      assert.strictEqual(error._tag, "OmiseTransportError")
      assert.isFalse(mayHave(error))
    })
  )
})
