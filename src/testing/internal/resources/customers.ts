/**
 * Customers and their cards (`/customers`, `/customers/:id/cards`): state, routes, JSON and the
 * `customer` search scope.
 *
 * @since 0.2.0
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as Card from "../card.js"
import * as Dates from "../dates.js"
import * as Failure from "../failure.js"
import * as Params from "../params.js"
import * as Render from "../render.js"
import * as Routes from "../routes.js"
import * as State from "../state.js"
import * as Search from "./search.js"
import * as Tokens from "./tokens.js"

/**
 * A customer and its cards.
 *
 * @since 0.2.0
 * @category models
 */
export interface StoredCustomer {
  readonly id: string
  readonly seq: number
  readonly created: number
  email: string | null
  description: string | null
  metadata: Readonly<Record<string, unknown>>
  /** In creation order. */
  readonly cards: Array<Card.StoredCard>
  default_card: string | null
}

/**
 * All customers, in creation order and by id, and every attached card by id.
 *
 * @since 0.2.0
 * @category state
 */
export const customers = State.slot("customers", () => ({
  ordered: [] as Array<StoredCustomer>,
  byId: new Map<string, StoredCustomer>(),
  cards: new Map<string, Card.StoredCard>()
}))

/**
 * Adds a customer.
 *
 * @since 0.2.0
 * @category state
 */
export const create = (
  state: State.State,
  fields: {
    readonly email?: string | undefined
    readonly description?: string | undefined
    readonly metadata?: Readonly<Record<string, unknown>> | undefined
  },
  now: number
): StoredCustomer => {
  const { id, seq } = state.ids.next("cust")
  const customer: StoredCustomer = {
    id,
    seq,
    created: now,
    email: fields.email ?? null,
    description: fields.description ?? null,
    metadata: fields.metadata ?? {},
    cards: [],
    default_card: null
  }
  const all = state.get(customers)
  State.insert(all.ordered, customer)
  all.byId.set(id, customer)
  return customer
}

/**
 * A customer by id, or a 404.
 *
 * @since 0.2.0
 * @category state
 */
export const find = (state: State.State, id: string): Result.Result<StoredCustomer, Failure.ApiFailure> => {
  const customer = state.get(customers).byId.get(id)
  return customer === undefined ? Result.fail(Failure.notFound("customer", id)) : Result.succeed(customer)
}

/**
 * A card of this customer, or a 404.
 *
 * @since 0.2.0
 * @category state
 */
export const findCard = (
  state: State.State,
  customer: StoredCustomer,
  cardId: string
): Result.Result<Card.StoredCard, Failure.ApiFailure> => {
  const card = state.get(customers).cards.get(cardId)
  return card === undefined || card.customer !== customer.id
    ? Result.fail(Failure.notFound("card", cardId))
    : Result.succeed(card)
}

/**
 * Attaches a card; it becomes the default when the customer had none.
 *
 * @since 0.2.0
 * @category state
 */
export const attach = (state: State.State, customer: StoredCustomer, card: Card.StoredCard): void => {
  card.customer = customer.id
  State.insert(customer.cards, card)
  state.get(customers).cards.set(card.id, card)
  if (customer.default_card === null) customer.default_card = card.id
}

const remove = (state: State.State, customer: StoredCustomer): void => {
  const all = state.get(customers)
  State.remove(all.ordered, customer)
  all.byId.delete(customer.id)
  for (const card of customer.cards) all.cards.delete(card.id)
  customer.cards.length = 0
  customer.default_card = null
}

/** Deleting the default card promotes the latest card left, or none. */
const removeCard = (state: State.State, customer: StoredCustomer, card: Card.StoredCard): void => {
  State.remove(customer.cards, card)
  state.get(customers).cards.delete(card.id)
  if (customer.default_card === card.id) {
    customer.default_card = customer.cards[customer.cards.length - 1]?.id ?? null
  }
}

/**
 * A customer with its first page of cards embedded.
 *
 * @since 0.2.0
 * @category rendering
 */
export const render = (
  version: Render.Version,
  customer: StoredCustomer,
  now: number,
  deleted: boolean = false
): Render.Json => {
  const window = Render.firstPage(now)
  const cards = State.select(customer.cards, window)
  const cardList = Render.list(version, {
    data: cards.data.map((card) => Card.render(version, card)),
    window,
    total: cards.total,
    location: `/customers/${customer.id}/cards`,
    embedded: true
  })
  if (Render.isLegacy(version)) {
    return {
      object: "customer",
      id: customer.id,
      livemode: false,
      location: `/customers/${customer.id}`,
      ...(deleted ? { deleted: true } : {}),
      default_card: customer.default_card,
      email: customer.email,
      description: customer.description,
      metadata: customer.metadata,
      created: Dates.iso(customer.created),
      cards: cardList
    }
  }
  return {
    object: "customer",
    id: customer.id,
    livemode: false,
    location: `/customers/${customer.id}`,
    deleted,
    metadata: customer.metadata,
    cards: cardList,
    default_card: customer.default_card,
    linked_accounts: Render.list(version, {
      data: [],
      window,
      total: 0,
      location: `/customers/${customer.id}/linked_accounts`,
      embedded: true
    }),
    description: customer.description,
    email: customer.email,
    created_at: Dates.iso(customer.created)
  }
}

const renderIn = (context: Routes.Context, customer: StoredCustomer) => render(context.version, customer, context.now)

/** The customer a `/customers/:id/...` path names. */
const named = (context: Routes.Context) => Effect.fromResult(find(context.state, context.path.id!))

const Email = Params.Text.check(
  Schema.makeFilter((text: string) => /^[^@\s]+@[^@\s]+$/.test(text.trim()), { message: "email is invalid" })
)

const CreateParams = Schema.Struct({
  email: Schema.optional(Email),
  description: Schema.optional(Params.Text),
  card: Schema.optional(Params.Text),
  metadata: Schema.optional(Params.Metadata)
})
const decodeCreate = Params.decode(CreateParams)

const decodeUpdate = Params.decode(
  Schema.Struct({
    ...CreateParams.fields,
    default_card: Schema.optional(Params.Text)
  })
)

const decodeCardUpdate = Params.decode(
  Schema.Struct({
    name: Schema.optional(Params.Text),
    expiration_month: Schema.optional(Params.Int.check(Schema.isBetween({ minimum: 1, maximum: 12 }))),
    expiration_year: Schema.optional(Params.Int.check(Schema.isBetween({ minimum: 1000, maximum: 9999 }))),
    postal_code: Schema.optional(Params.Text),
    city: Schema.optional(Params.Text)
  }),
  "invalid_card"
)

const list = (context: Routes.Context) =>
  Effect.map(Params.listWindow(context.params, context.now), (window) => {
    const page = State.select(context.state.get(customers).ordered, window)
    return Render.list(context.version, {
      data: page.data.map((customer) => renderIn(context, customer)),
      window,
      total: page.total,
      location: "/customers",
      embedded: false
    })
  })

// Every check comes before the first change, so a failed request leaves no trace.
const createCustomer = (context: Routes.Context) =>
  Effect.gen(function* () {
    const params = yield* decodeCreate(context.params)
    const token =
      params.card === undefined ? undefined : yield* Effect.fromResult(Tokens.usable(context.state, params.card))
    const customer = create(context.state, params, context.now)
    if (token !== undefined) attach(context.state, customer, Tokens.spend(token))
    return renderIn(context, customer)
  })

const update = (context: Routes.Context) =>
  Effect.gen(function* () {
    const customer = yield* named(context)
    const params = yield* decodeUpdate(context.params)
    const { state } = context
    const token = params.card === undefined ? undefined : yield* Effect.fromResult(Tokens.usable(state, params.card))
    const defaultCard = params.default_card
    // `default_card` may name the card the token is about to add.
    if (defaultCard !== undefined && token?.card.id !== defaultCard) {
      yield* Effect.fromResult(findCard(state, customer, defaultCard))
    }
    if (token !== undefined) attach(state, customer, Tokens.spend(token))
    if (defaultCard !== undefined) customer.default_card = defaultCard
    if (params.email !== undefined) customer.email = params.email
    if (params.description !== undefined) customer.description = params.description
    if (params.metadata !== undefined) customer.metadata = params.metadata
    return renderIn(context, customer)
  })

const destroy = (context: Routes.Context) =>
  Effect.map(named(context), (customer) => {
    remove(context.state, customer)
    return Render.isLegacy(context.version)
      ? { object: "customer", id: customer.id, livemode: false, deleted: true }
      : render(context.version, customer, context.now, true)
  })

const cards = (context: Routes.Context) =>
  Effect.gen(function* () {
    const customer = yield* named(context)
    const window = yield* Params.listWindow(context.params, context.now)
    const page = State.select(customer.cards, window)
    return Render.list(context.version, {
      data: page.data.map((card) => Card.render(context.version, card)),
      window,
      total: page.total,
      // The 2017-11-02 capture of this list has no location.
      location: Render.isLegacy(context.version) ? undefined : `/customers/${customer.id}/cards`,
      embedded: false
    })
  })

const withCard = <A>(
  context: Routes.Context,
  f: (customer: StoredCustomer, card: Card.StoredCard) => Effect.Effect<A, Failure.ApiFailure>
) =>
  Effect.gen(function* () {
    const customer = yield* named(context)
    const card = yield* Effect.fromResult(findCard(context.state, customer, context.path.cardId!))
    return yield* f(customer, card)
  })

const updateCard = (context: Routes.Context) =>
  withCard(context, (_, card) =>
    Effect.map(decodeCardUpdate(context.params), (params) => {
      if (params.name !== undefined) card.name = params.name
      if (params.expiration_month !== undefined) card.expiration_month = params.expiration_month
      if (params.expiration_year !== undefined) card.expiration_year = params.expiration_year
      if (params.postal_code !== undefined) card.postal_code = params.postal_code
      if (params.city !== undefined) card.city = params.city
      return Card.render(context.version, card)
    })
  )

/**
 * Whether a customer matches every word of a search query (lower-case): each must occur in its
 * id, email, description or a string or number metadata value. Documented for users in
 * `OmiseFake`.
 *
 * @since 0.2.0
 * @category search
 */
export const matches = (customer: StoredCustomer, words: ReadonlyArray<string>): boolean => {
  const haystack = [customer.id, customer.email ?? "", customer.description ?? ""]
  for (const value of Object.values(customer.metadata)) {
    if (typeof value === "string" || typeof value === "number") haystack.push(String(value))
  }
  const text = haystack.join("\n").toLowerCase()
  return words.every((word) => text.includes(word))
}

/**
 * The customer routes and the `customer` search scope.
 *
 * @since 0.2.0
 * @category resources
 */
export const resource: Routes.Resource = {
  routes: [
    Routes.route("GET", "/customers", list),
    Routes.route("POST", "/customers", createCustomer),
    Routes.route("GET", "/customers/:id", (context) => Effect.map(named(context), (c) => renderIn(context, c))),
    Routes.route("PATCH", "/customers/:id", update),
    Routes.route("PUT", "/customers/:id", update),
    Routes.route("DELETE", "/customers/:id", destroy),
    Routes.route("GET", "/customers/:id/cards", cards),
    Routes.route("GET", "/customers/:id/cards/:cardId", (context) =>
      withCard(context, (_, card) => Effect.succeed(Card.render(context.version, card)))
    ),
    Routes.route("PATCH", "/customers/:id/cards/:cardId", updateCard),
    Routes.route("DELETE", "/customers/:id/cards/:cardId", (context) =>
      withCard(context, (customer, card) =>
        Effect.sync(() => {
          removeCard(context.state, customer, card)
          return Card.renderDeleted(context.version, card)
        })
      )
    )
  ],
  searchScopes: [
    Routes.searchScope({
      name: "customer",
      filter: Search.createdFilter,
      items: (context) => context.state.get(customers).ordered,
      matches,
      render: renderIn
    })
  ]
}
