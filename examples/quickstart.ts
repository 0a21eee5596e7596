/**
 * Quick start: create a customer with a card, retrieve it, update it, list its cards, delete it.
 *
 *   npm run example
 *
 * With OMISE_SECRET_KEY (and OMISE_PUBLIC_KEY, to tokenise a test card on the vault) set, it runs
 * against the Omise API at OMISE_API_URL (default https://api.omise.co; the URL of an `omise-fake`
 * works too, with OMISE_VAULT_URL set to the same URL for its /tokens); otherwise against the
 * in-memory fake from "effect-omise/testing". The program is the same either way: only the layers
 * differ. The first line says which, with the URL in use.
 */
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { Customer, OmiseClient } from "effect-omise"
import { OmiseFake } from "effect-omise/testing"

/** A card could not be tokenised. */
class TokenError extends Data.TaggedError("TokenError")<{ readonly cause: unknown }> {}

/** Where card tokens come from: the vault (with the public key) or the fake. */
class CardTokens extends Context.Service<
  CardTokens,
  { readonly create: Effect.Effect<Option.Option<string>, TokenError> }
>()("examples/CardTokens") {}

const fakeTokens = Layer.effect(
  CardTokens,
  Effect.map(OmiseFake.OmiseFake, (fake) => ({
    create: fake.createToken({ number: "4242424242424242", name: "Somchai Prasert" }).pipe(
      Effect.map(Option.some),
      Effect.mapError((cause) => new TokenError({ cause }))
    )
  }))
)

const Token = Schema.Struct({ id: Schema.String })

const vaultTokens = Layer.effect(
  CardTokens,
  Effect.gen(function* () {
    const publicKey = yield* Config.option(Config.Redacted("OMISE_PUBLIC_KEY"))
    // The vault is a host of its own at Omise; `omise-fake` serves /tokens beside the API.
    const vaultUrl = yield* Config.String("OMISE_VAULT_URL").pipe(Config.withDefault("https://vault.omise.co"))
    const http = yield* HttpClient.HttpClient
    return {
      create: Option.match(publicKey, {
        onNone: () => Effect.succeed(Option.none()),
        onSome: (key) =>
          HttpClientRequest.post(`${vaultUrl}/tokens`).pipe(
            HttpClientRequest.basicAuth(key, ""),
            HttpClientRequest.bodyUrlParams({
              "card[name]": "Somchai Prasert",
              "card[number]": "4242424242424242",
              "card[expiration_month]": "12",
              "card[expiration_year]": String(new Date().getFullYear() + 3),
              "card[security_code]": "123"
            }),
            http.execute,
            Effect.flatMap(HttpClientResponse.schemaBodyJson(Token)),
            Effect.map((token) => Option.some(token.id)),
            Effect.mapError((cause) => new TokenError({ cause }))
          )
      })
    }
  })
)

const program = Effect.gen(function* () {
  const tokens = yield* CardTokens
  const card = yield* tokens.create

  const created = yield* Customer.create({
    email: "somchai@example.com",
    description: "Created by the effect-omise quick start",
    metadata: { source: "quickstart" },
    ...(Option.isSome(card) ? { card: card.value } : {})
  })
  yield* Effect.log(`created ${created.id} (default card ${created.default_card ?? "none"})`)

  const retrieved = yield* Customer.retrieve(created.id)
  yield* Effect.log(`retrieved ${retrieved.id}: ${retrieved.email}`)

  const updated = yield* Customer.update(created.id, { description: "Updated by the quick start" })
  yield* Effect.log(`updated description: ${updated.description}`)

  const cards = yield* Customer.listCards(created.id)
  for (const c of cards.data) {
    yield* Effect.log(
      `card ${c.id}: ${c.brand} •••• ${c.last_digits}, expires ${c.expiration_month}/${c.expiration_year}`
    )
  }

  const deleted = yield* Customer.destroy(created.id)
  yield* Effect.log(`deleted ${deleted.id}: ${deleted.deleted}`)
}).pipe(
  // A typed error channel: handle the cases you care about by tag.
  Effect.catchTag("OmiseAuthenticationError", (error) =>
    Effect.logError(`Omise refused the key: ${error.detail}`).pipe(Effect.andThen(Effect.fail(error)))
  )
)

const live = process.env.OMISE_SECRET_KEY !== undefined && process.env.OMISE_SECRET_KEY !== ""

const layers = live
  ? Layer.mergeAll(OmiseClient.layerConfig(), vaultTokens).pipe(Layer.provide(FetchHttpClient.layer))
  : fakeTokens.pipe(Layer.provideMerge(OmiseFake.layer()))

// The first line says where the requests go: the URL the client uses, or the in-memory fake.
const where = Effect.gen(function* () {
  const fake = yield* Effect.serviceOption(OmiseFake.OmiseFake)
  const client = yield* OmiseClient.OmiseClient
  yield* Effect.sync(() =>
    console.log(
      Option.isSome(fake)
        ? "effect-omise quick start: against the in-memory fake Omise (OMISE_SECRET_KEY is not set)"
        : `effect-omise quick start: against ${client.apiUrl} (OMISE_SECRET_KEY is set)`
    )
  )
})

Effect.runPromiseExit(Effect.andThen(where, program).pipe(Effect.provide(layers))).then((exit) => {
  if (Exit.isFailure(exit)) {
    console.error(String(exit.cause))
    process.exitCode = 1
  }
})
