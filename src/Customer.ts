/**
 * Customers: the model, the eleven operations of the Elixir `Omise.Customer` module, and streams
 * over every page of its lists and searches.
 *
 * Every operation validates its arguments before sending anything (failing with
 * `OmiseInvalidArgumentError`), runs as a span named after it (`Customer.retrieve`), and fails
 * only with the `OmiseError` union.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { Card, CardId, DeletedCard, TokenId, UpdateCardParams } from "./Card.js"
import { Id, validate } from "./internal/arguments.js"
import { Metadata, MetadataInput, nullable, nullableString, Timestamp } from "./internal/fields.js"
import { offsetStream, searchStream, type StreamOptions, validated } from "./internal/paging.js"
import { path } from "./internal/path.js"
import { versionTolerant, withDefault } from "./internal/versioned.js"
import { OmiseClient } from "./OmiseClient.js"
import type { OmiseError } from "./OmiseError.js"
import * as OmiseList from "./OmiseList.js"
import { Schedule } from "./Schedule.js"
import * as Search from "./Search.js"

/**
 * A customer id (`cust_...`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CustomerId = Id("cust", "CustomerId", "a customer id such as cust_test_5xyz")

/**
 * @since 0.1.0
 * @category models
 */
export type CustomerId = typeof CustomerId.Type

const cardList = OmiseList.OmiseList(Card)

/**
 * A customer. Decodes both API versions (`created` and `created_at`).
 *
 * @since 0.1.0
 * @category models
 */
export class Customer extends Schema.Class<Customer>("Customer")(
  versionTolerant(
    {
      object: Schema.Literal("customer"),
      id: CustomerId,
      livemode: Schema.Boolean,
      location: Schema.optional(Schema.String),
      deleted: withDefault(Schema.Boolean, () => false),
      /** The card charged when none is named; `null` when the customer has no card. */
      default_card: nullable(CardId),
      email: nullableString,
      description: nullableString,
      metadata: withDefault(Metadata, () => ({}), { whenNull: true }),
      /** The first page (up to 20) of the customer's cards; use `listCards` or `streamCards` for all. */
      cards: cardList,
      linked_accounts: Schema.optional(OmiseList.OmiseList(Schema.Unknown)),
      created_at: Timestamp
    },
    { renames: { created: "created_at" } }
  )
) {}

/**
 * A deleted customer: the 2019-05-29 full object and the 2017-11-02 stub both decode to this.
 *
 * @since 0.1.0
 * @category models
 */
export class DeletedCustomer extends Schema.Class<DeletedCustomer>("DeletedCustomer")({
  object: Schema.Literal("customer"),
  id: CustomerId,
  livemode: Schema.Boolean,
  deleted: Schema.Literal(true)
}) {}

/**
 * Parameters of {@link create}.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateParams = Schema.Struct({
  email: Schema.optional(Schema.String),
  description: Schema.optional(Schema.String),
  /** An unused card token (`tokn_...`): the card is saved and becomes the default. */
  card: Schema.optional(TokenId),
  /** A JSON object. */
  metadata: Schema.optional(MetadataInput),
  linked_account: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type CreateParams = typeof CreateParams.Encoded

/**
 * Parameters of {@link update}.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UpdateParams = Schema.Struct({
  ...CreateParams.fields,
  /** An unused card token: the card is added (existing cards stay). */
  card: Schema.optional(TokenId),
  /** One of the customer's card ids. */
  default_card: Schema.optional(CardId)
})

/**
 * @since 0.1.0
 * @category models
 */
export type UpdateParams = typeof UpdateParams.Encoded

const CustomerList = OmiseList.OmiseList(Customer)
const ScheduleList = OmiseList.OmiseList(Schedule)
const CustomerSearch = Search.SearchResult(Customer)

const customerPath = (id: CustomerId) => path("customers", id)
const cardPath = (id: CustomerId, cardId: CardId) => path("customers", id, "cards", cardId)

const args = <A, I>(operation: string, argument: string, schema: Schema.Schema<A, I>) =>
  validate(operation, argument, schema)
const createArgs = args("Customer.create", "params", CreateParams)
const listArgs = (operation: string) => args(operation, "params", OmiseList.ListParams)
const idArg = (operation: string) => args(operation, "id", CustomerId)
const cardIdArg = (operation: string) => args(operation, "cardId", CardId)

/**
 * Creates a customer, optionally with a card token. Never replayed after an unknown outcome.
 *
 * @since 0.1.0
 * @category operations
 */
export const create: (params?: CreateParams) => Effect.Effect<Customer, OmiseError, OmiseClient> = Effect.fn(
  "Customer.create"
)(function* (params: CreateParams = {}) {
  const body = yield* createArgs(params)
  const client = yield* OmiseClient
  return yield* client.execute({ operation: "Customer.create", method: "POST", path: "/customers", body }, Customer)
})

const retrieveId = idArg("Customer.retrieve")

/**
 * Retrieves a customer.
 *
 * @since 0.1.0
 * @category operations
 */
export const retrieve: (id: string) => Effect.Effect<Customer, OmiseError, OmiseClient> = Effect.fn(
  "Customer.retrieve"
)(function* (id: string) {
  const customerId = yield* retrieveId(id)
  const client = yield* OmiseClient
  return yield* client.execute(
    { operation: "Customer.retrieve", objectId: customerId, method: "GET", path: customerPath(customerId) },
    Customer
  )
})

const updateId = idArg("Customer.update")
const updateArgs = args("Customer.update", "params", UpdateParams)

/**
 * Updates a customer: email, description, metadata, a new card (token) or the default card.
 * An update that attaches a card token is never replayed after an unknown outcome.
 *
 * @since 0.1.0
 * @category operations
 */
export const update: (id: string, params: UpdateParams) => Effect.Effect<Customer, OmiseError, OmiseClient> = Effect.fn(
  "Customer.update"
)(function* (id: string, params: UpdateParams) {
  const customerId = yield* updateId(id)
  const body = yield* updateArgs(params)
  const client = yield* OmiseClient
  return yield* client.execute(
    {
      operation: "Customer.update",
      objectId: customerId,
      method: "PATCH",
      path: customerPath(customerId),
      body,
      replayable: body.card === undefined
    },
    Customer
  )
})

const destroyId = idArg("Customer.destroy")

/**
 * Deletes a customer. If an earlier attempt may have deleted it and a retry finds it gone, that
 * is reported as the deletion, not as an error.
 *
 * @since 0.1.0
 * @category operations
 */
export const destroy: (id: string) => Effect.Effect<DeletedCustomer, OmiseError, OmiseClient> = Effect.fn(
  "Customer.destroy"
)(function* (id: string) {
  const customerId = yield* destroyId(id)
  const client = yield* OmiseClient
  return yield* client
    .execute(
      { operation: "Customer.destroy", objectId: customerId, method: "DELETE", path: customerPath(customerId) },
      DeletedCustomer
    )
    .pipe(
      Effect.catchTag("OmiseNotFoundError", (error) =>
        error.mayHaveTakenEffect
          ? Effect.succeed(
              new DeletedCustomer({
                object: "customer",
                id: customerId,
                livemode: !id.includes("_test_"),
                deleted: true
              })
            )
          : Effect.fail(error)
      )
    )
})

const listParams = listArgs("Customer.list")

/**
 * Lists one page of customers.
 *
 * @since 0.1.0
 * @category operations
 */
export const list: (
  params?: OmiseList.ListParams
) => Effect.Effect<OmiseList.OmiseList<Customer>, OmiseError, OmiseClient> = Effect.fn("Customer.list")(function* (
  params: OmiseList.ListParams = {}
) {
  const query = OmiseList.toQuery(yield* listParams(params))
  const client = yield* OmiseClient
  return yield* client.execute({ operation: "Customer.list", method: "GET", path: "/customers", query }, CustomerList)
})

const listCardsId = idArg("Customer.listCards")
const listCardsParams = listArgs("Customer.listCards")

/**
 * Lists one page of a customer's cards.
 *
 * @since 0.1.0
 * @category operations
 */
export const listCards: (
  id: string,
  params?: OmiseList.ListParams
) => Effect.Effect<OmiseList.OmiseList<Card>, OmiseError, OmiseClient> = Effect.fn("Customer.listCards")(function* (
  id: string,
  params: OmiseList.ListParams = {}
) {
  const customerId = yield* listCardsId(id)
  const query = OmiseList.toQuery(yield* listCardsParams(params))
  const client = yield* OmiseClient
  return yield* client.execute(
    {
      operation: "Customer.listCards",
      objectId: customerId,
      method: "GET",
      path: path("customers", customerId, "cards"),
      query
    },
    cardList
  )
})

const listSchedulesId = idArg("Customer.listSchedules")
const listSchedulesParams = listArgs("Customer.listSchedules")

/**
 * Lists one page of a customer's charge schedules (including ended and deleted ones).
 *
 * @since 0.1.0
 * @category operations
 */
export const listSchedules: (
  id: string,
  params?: OmiseList.ListParams
) => Effect.Effect<OmiseList.OmiseList<Schedule>, OmiseError, OmiseClient> = Effect.fn("Customer.listSchedules")(
  function* (id: string, params: OmiseList.ListParams = {}) {
    const customerId = yield* listSchedulesId(id)
    const query = OmiseList.toQuery(yield* listSchedulesParams(params))
    const client = yield* OmiseClient
    return yield* client.execute(
      {
        operation: "Customer.listSchedules",
        objectId: customerId,
        method: "GET",
        path: path("customers", customerId, "schedules"),
        query
      },
      ScheduleList
    )
  }
)

const searchParams = args("Customer.search", "params", Search.SearchParams)

/**
 * Searches customers (scope `customer`): free text over their attributes, `filters` such as
 * `created` (`2024-01-31` or `2024-01-01..2024-01-31`), paged by `page`/`per_page`.
 *
 * @since 0.1.0
 * @category operations
 */
export const search: (
  params?: Search.SearchParams
) => Effect.Effect<Search.SearchResult<Customer>, OmiseError, OmiseClient> = Effect.fn("Customer.search")(function* (
  params: Search.SearchParams = {}
) {
  const query = Search.toQuery("customer", yield* searchParams(params))
  const client = yield* OmiseClient
  return yield* client.execute({ operation: "Customer.search", method: "GET", path: "/search", query }, CustomerSearch)
})

const retrieveCardId = idArg("Customer.retrieveCard")
const retrieveCardCardId = cardIdArg("Customer.retrieveCard")

/**
 * Retrieves one of a customer's cards.
 *
 * @since 0.1.0
 * @category operations
 */
export const retrieveCard: (id: string, cardId: string) => Effect.Effect<Card, OmiseError, OmiseClient> = Effect.fn(
  "Customer.retrieveCard"
)(function* (id: string, cardId: string) {
  const customerId = yield* retrieveCardId(id)
  const card = yield* retrieveCardCardId(cardId)
  const client = yield* OmiseClient
  return yield* client.execute(
    { operation: "Customer.retrieveCard", objectId: card, method: "GET", path: cardPath(customerId, card) },
    Card
  )
})

const updateCardId = idArg("Customer.updateCard")
const updateCardCardId = cardIdArg("Customer.updateCard")
const updateCardParams = args("Customer.updateCard", "params", UpdateCardParams)

/**
 * Updates one of a customer's cards: name, expiration month and year, postal code, city.
 *
 * @since 0.1.0
 * @category operations
 */
export const updateCard: (
  id: string,
  cardId: string,
  params: UpdateCardParams
) => Effect.Effect<Card, OmiseError, OmiseClient> = Effect.fn("Customer.updateCard")(function* (
  id: string,
  cardId: string,
  params: UpdateCardParams
) {
  const customerId = yield* updateCardId(id)
  const card = yield* updateCardCardId(cardId)
  const body = yield* updateCardParams(params)
  const client = yield* OmiseClient
  return yield* client.execute(
    { operation: "Customer.updateCard", objectId: card, method: "PATCH", path: cardPath(customerId, card), body },
    Card
  )
})

const destroyCardId = idArg("Customer.destroyCard")
const destroyCardCardId = cardIdArg("Customer.destroyCard")

/**
 * Deletes one of a customer's cards. If it was the default card, the latest remaining card
 * becomes the default.
 *
 * @since 0.1.0
 * @category operations
 */
export const destroyCard: (id: string, cardId: string) => Effect.Effect<DeletedCard, OmiseError, OmiseClient> =
  Effect.fn("Customer.destroyCard")(function* (id: string, cardId: string) {
    const customerId = yield* destroyCardId(id)
    const card = yield* destroyCardCardId(cardId)
    const client = yield* OmiseClient
    return yield* client
      .execute(
        { operation: "Customer.destroyCard", objectId: card, method: "DELETE", path: cardPath(customerId, card) },
        DeletedCard
      )
      .pipe(
        Effect.catchTag("OmiseNotFoundError", (error) =>
          error.mayHaveTakenEffect
            ? Effect.succeed(
                new DeletedCard({ object: "card", id: card, livemode: !cardId.includes("_test_"), deleted: true })
              )
            : Effect.fail(error)
        )
      )
  })

/**
 * Options of the streams: list or search parameters plus `concurrency`, the number of pages
 * fetched at once (1..10, default 1). `limit`/`per_page` is the page size (default 100). Items are
 * emitted in order whatever the concurrency, and a failing page fails the stream only once every
 * page before it has been emitted.
 *
 * @since 0.1.0
 * @category models
 */
export type StreamParams<P> = P & StreamOptions

const splitOptions = <P extends object>(params: StreamParams<P>): [Omit<P, "concurrency">, StreamOptions] => {
  const { concurrency, ...rest } = params as P & { readonly concurrency?: number | undefined }
  return [rest, concurrency === undefined ? {} : { concurrency }]
}

/** Every item of one of a customer's lists, its id and parameters validated before any request. */
const streamOfCustomer = <A extends { readonly id: string }>(
  operation: string,
  id: string,
  params: StreamParams<OmiseList.ListParams>,
  listPage: (id: string, params: OmiseList.ListParams) => Effect.Effect<OmiseList.OmiseList<A>, OmiseError, OmiseClient>
): Stream.Stream<A, OmiseError, OmiseClient> => {
  const [listParams, options] = splitOptions(params)
  return Stream.unwrap(
    Effect.map(idArg(operation)(id), (customerId) =>
      validated(operation, OmiseList.ListParams, listParams, options, (p, concurrency) =>
        offsetStream(p, concurrency, (page) => listPage(customerId, page))
      )
    )
  )
}

/**
 * Every customer, page after page, in order, once. The creation-time window is pinned by the
 * first page, so customers created during the walk are not part of it. Stops requesting as soon
 * as the consumer stops pulling.
 *
 * @since 0.1.0
 * @category streams
 */
export const stream = (
  params: StreamParams<OmiseList.ListParams> = {}
): Stream.Stream<Customer, OmiseError, OmiseClient> => {
  const [listParams, options] = splitOptions(params)
  return validated("Customer.stream", OmiseList.ListParams, listParams, options, (p, concurrency) =>
    offsetStream(p, concurrency, list)
  )
}

/**
 * Every card of a customer, in order, once (see {@link stream}).
 *
 * @since 0.1.0
 * @category streams
 */
export const streamCards = (
  id: string,
  params: StreamParams<OmiseList.ListParams> = {}
): Stream.Stream<Card, OmiseError, OmiseClient> => streamOfCustomer("Customer.streamCards", id, params, listCards)

/**
 * Every charge schedule of a customer, in order, once (see {@link stream}).
 *
 * @since 0.1.0
 * @category streams
 */
export const streamSchedules = (
  id: string,
  params: StreamParams<OmiseList.ListParams> = {}
): Stream.Stream<Schedule, OmiseError, OmiseClient> =>
  streamOfCustomer("Customer.streamSchedules", id, params, listSchedules)

/**
 * Every customer matching a search, page by page up to the last, in order, once.
 *
 * @since 0.1.0
 * @category streams
 */
export const streamSearch = (
  params: StreamParams<Search.SearchParams> = {}
): Stream.Stream<Customer, OmiseError, OmiseClient> => {
  const [searchParams, options] = splitOptions(params)
  return validated("Customer.streamSearch", Search.SearchParams, searchParams, options, (p, concurrency) =>
    searchStream(p, concurrency, search)
  )
}
