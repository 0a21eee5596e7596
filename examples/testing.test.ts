/**
 * Testing your own code with the fake Omise: a small billing service built on effect-omise,
 * tested by swapping in `OmiseFake.layer()` — no network, no mocks of our functions, faults
 * included. Run with `npm test` (vitest picks up examples/*.test.ts).
 */
import { assert, describe, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { Customer, type OmiseClient, type OmiseError } from "effect-omise"
import { FakeFault, OmiseFake } from "effect-omise/testing"

// ---- the application code under test -------------------------------------------------------

class CardDeclined extends Data.TaggedError("CardDeclined")<{ readonly reason: string }> {}
class TryAgainLater extends Data.TaggedError("TryAgainLater")<{ readonly uncertain: boolean }> {}

class Billing extends Context.Service<
  Billing,
  {
    readonly signUp: (email: string, cardToken: string) => Effect.Effect<string, CardDeclined | TryAgainLater>
    readonly replaceCard: (customerId: string, cardToken: string) => Effect.Effect<void, CardDeclined | TryAgainLater>
  }
>()("app/Billing") {
  static readonly layer: Layer.Layer<Billing, never, OmiseClient.OmiseClient> = Layer.effect(
    Billing,
    Effect.map(Effect.context<OmiseClient.OmiseClient>(), (context) => {
      const handle = <A>(effect: Effect.Effect<A, OmiseError.OmiseError, OmiseClient.OmiseClient>) =>
        effect.pipe(
          Effect.mapError((e) =>
            e._tag === "OmiseInvalidRequestError" || e._tag === "OmiseNotFoundError"
              ? new CardDeclined({ reason: e.code ?? e.detail })
              : new TryAgainLater({ uncertain: "mayHaveTakenEffect" in e && e.mayHaveTakenEffect })
          ),
          Effect.provide(context)
        )
      return {
        signUp: (email, cardToken) => handle(Effect.map(Customer.create({ email, card: cardToken }), (c) => c.id)),
        replaceCard: (customerId, cardToken) =>
          handle(
            Effect.gen(function* () {
              const before = yield* Customer.retrieve(customerId)
              const after = yield* Customer.update(customerId, { card: cardToken })
              const added = after.cards.data.find((card) => !before.cards.data.some((old) => old.id === card.id))
              if (added === undefined) return
              yield* Customer.update(customerId, { default_card: added.id })
              for (const old of before.cards.data) yield* Customer.destroyCard(customerId, old.id)
            })
          )
      }
    })
  )
}

// ---- the tests --------------------------------------------------------------------------

const TestLayer = Billing.layer.pipe(Layer.provideMerge(OmiseFake.layer()))

describe("Billing, tested against the fake Omise", () => {
  it.effect("signs a customer up with their card", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      const billing = yield* Billing
      const token = yield* fake.createToken({ number: "4242424242424242" })
      const id = yield* billing.signUp("somchai@example.com", token)
      const stored = yield* fake.getCustomer(id)
      assert.isTrue(stored._tag === "Some")
      if (stored._tag === "Some") {
        assert.strictEqual(stored.value.email, "somchai@example.com")
        assert.strictEqual(stored.value.cards.length, 1)
        assert.strictEqual(stored.value.default_card, stored.value.cards[0]!.id)
      }
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("a token used twice is a declined card, not a crash", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      const billing = yield* Billing
      const token = yield* fake.createToken()
      yield* billing.signUp("first@example.com", token)
      const error = yield* Effect.flip(billing.signUp("second@example.com", token))
      assert.deepStrictEqual(error, new CardDeclined({ reason: "used_token" }))
      assert.strictEqual(yield* fake.customerCount, 1)
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("replaces the card: the new one becomes the default and the old one is gone", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      const billing = yield* Billing
      const id = yield* billing.signUp("a@example.com", yield* fake.createToken({ number: "4242424242424242" }))
      yield* billing.replaceCard(id, yield* fake.createToken({ number: "5555555555554444" }))
      const stored = yield* fake.getCustomer(id)
      assert.isTrue(stored._tag === "Some")
      if (stored._tag === "Some") {
        assert.strictEqual(stored.value.cards.length, 1)
        assert.strictEqual(stored.value.cards[0]!.brand, "MasterCard")
        assert.strictEqual(stored.value.default_card, stored.value.cards[0]!.id)
      }
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("an outage during sign-up asks to try again, and says the outcome is uncertain", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      const billing = yield* Billing
      const token = yield* fake.createToken()
      yield* fake.injectFault(FakeFault.serverError(503), { method: "POST", path: "/customers" })
      const error = yield* Effect.flip(billing.signUp("b@example.com", token))
      assert.deepStrictEqual(error, new TryAgainLater({ uncertain: true }))
      // The 503 came before processing: nothing was created, and the token is still good.
      assert.strictEqual(yield* fake.customerCount, 0)
      assert.isString(yield* billing.signUp("b@example.com", token))
    }).pipe(Effect.provide(TestLayer))
  )

  it.effect("reads are retried through a 502 from the proxy", () =>
    Effect.gen(function* () {
      const fake = yield* OmiseFake.OmiseFake
      const billing = yield* Billing
      const id = yield* billing.signUp("c@example.com", yield* fake.createToken())
      yield* fake.injectFault(FakeFault.badGateway, { method: "GET", times: 1 })
      // The read is retried as the client's default policy says; the fake's layer skips the wait.
      yield* billing.replaceCard(id, yield* fake.createToken())
      const gets = (yield* fake.requests).filter((request) => request.method === "GET")
      assert.deepStrictEqual(
        gets.map((request) => request.status),
        [502, 200]
      )
    }).pipe(Effect.provide(TestLayer))
  )
})
