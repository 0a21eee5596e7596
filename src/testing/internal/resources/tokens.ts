/**
 * Card tokens on the vault (`/tokens`, public key): minted from a card, spent once when a
 * customer takes the card.
 *
 * @since 0.2.0
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as Card from "../card.js"
import * as Failure from "../failure.js"
import * as Params from "../params.js"
import * as Render from "../render.js"
import * as Routes from "../routes.js"
import * as State from "../state.js"

/**
 * A single-use card token.
 *
 * @since 0.2.0
 * @category models
 */
export interface StoredToken {
  readonly id: string
  readonly created: number
  readonly card: Card.StoredCard
  used: boolean
}

/**
 * The vault's tokens by id.
 *
 * @since 0.2.0
 * @category state
 */
export const tokens = State.slot("tokens", () => new Map<string, StoredToken>())

/**
 * Mints a token for a card the vault accepts.
 *
 * @since 0.2.0
 * @category state
 */
export const create = (
  state: State.State,
  input: Card.CardInput,
  now: number
): Result.Result<StoredToken, Failure.ApiFailure> =>
  Result.map(Card.make(state.ids, input, now), (card) => {
    const token: StoredToken = { id: state.ids.next("tokn").id, created: now, card, used: false }
    state.get(tokens).set(token.id, token)
    return token
  })

/**
 * The token check, before anything changes: unknown ⇒ 404, already spent ⇒ 400 `used_token`.
 *
 * @since 0.2.0
 * @category state
 */
export const usable = (state: State.State, id: string): Result.Result<StoredToken, Failure.ApiFailure> => {
  const token = state.get(tokens).get(id)
  if (token === undefined) return Result.fail(Failure.notFound("token", id))
  if (token.used) return Result.fail(Failure.badRequest("token was already used", "used_token"))
  return Result.succeed(token)
}

/**
 * Spends a token that passed {@link usable}, giving its card.
 *
 * @since 0.2.0
 * @category state
 */
export const spend = (token: StoredToken): Card.StoredCard => {
  token.used = true
  return token.card
}

const render = (version: Render.Version, token: StoredToken): Render.Json => ({
  object: "token",
  id: token.id,
  livemode: false,
  location: `https://vault.omise.co/tokens/${token.id}`,
  used: token.used,
  ...(Render.isLegacy(version) ? {} : { charge_status: "unknown" }),
  card: Card.render(version, token.card),
  ...Render.createdField(version, token.created)
})

const decodeCreate = Params.decode(
  Schema.Struct({
    card: Schema.Struct({
      number: Schema.optional(Params.Text),
      name: Schema.optional(Params.Text),
      expiration_month: Schema.optional(Params.Int),
      expiration_year: Schema.optional(Params.Int),
      postal_code: Schema.optional(Params.Text),
      city: Schema.optional(Params.Text),
      security_code: Schema.optional(Params.Text)
    })
  }),
  "invalid_card"
)

/**
 * `POST /tokens` and `GET /tokens/:id`.
 *
 * @since 0.2.0
 * @category resources
 */
export const resource: Routes.Resource = {
  routes: [
    Routes.route(
      "POST",
      "/tokens",
      (context) =>
        Effect.gen(function* () {
          const params = yield* decodeCreate(context.params)
          const token = yield* Effect.fromResult(create(context.state, params.card, context.now))
          return render(context.version, token)
        }),
      { key: "pkey" }
    ),
    Routes.route(
      "GET",
      "/tokens/:id",
      (context) =>
        Effect.map(Effect.fromResult(found(context.state, context.path.id!)), (token) =>
          render(context.version, token)
        ),
      { key: "pkey" }
    )
  ]
}

const found = (state: State.State, id: string): Result.Result<StoredToken, Failure.ApiFailure> => {
  const token = state.get(tokens).get(id)
  return token === undefined ? Result.fail(Failure.notFound("token", id)) : Result.succeed(token)
}
