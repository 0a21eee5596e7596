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
import * as Schema from "effect/Schema"
import { Card, CardId, DeletedCard, TokenId, UpdateCardParams } from "./Card.js"
import { Id } from "./internal/arguments.js"
import { compiled } from "./internal/compiled.js"
import { Metadata, MetadataInput, nullable, nullableString, Timestamp } from "./internal/fields.js"
import * as Operation from "./internal/operation.js"
import type * as Paging from "./internal/paging.js"
import { path } from "./internal/path.js"
import { versionTolerant, withDefault } from "./internal/versioned.js"
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
compiled(Customer)

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
compiled(DeletedCustomer)

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

const customerAt = (id: CustomerId) => path("customers", id)
const cardAt = (id: CustomerId, cardId: CardId) => path("customers", id, "cards", cardId)
const customerId = Operation.arg("id", CustomerId)
const cardId = Operation.arg("cardId", CardId)
const listParams = Operation.optional("params", OmiseList.ListParams)
/** The request for one page of a list that belongs to a customer (`/customers/:id/<what>`). */
const listOfCustomer =
  (what: string) =>
  (id: CustomerId, params: typeof OmiseList.ListParams.Type): Operation.RequestOf => ({
    method: "GET",
    path: path("customers", id, what),
    objectId: id,
    query: OmiseList.toQuery(params)
  })

/** The operations as declarations: validation, span, metrics and signature follow from each. */
const operations = Operation.table("Customer", {
  create: Operation.declare({
    args: [Operation.optional("params", CreateParams)],
    success: Customer,
    request: (params) => ({ method: "POST", path: "/customers", body: params })
  }),
  retrieve: Operation.declare({
    args: [customerId],
    success: Customer,
    request: (id) => ({ method: "GET", path: customerAt(id), objectId: id })
  }),
  update: Operation.declare({
    args: [customerId, Operation.arg("params", UpdateParams)],
    success: Customer,
    // A card token is spent by the first attempt that reaches Omise: never replayed.
    request: (id, params) => ({
      method: "PATCH",
      path: customerAt(id),
      objectId: id,
      body: params,
      replayable: params.card === undefined
    })
  }),
  destroy: Operation.declare({
    args: [customerId],
    success: DeletedCustomer,
    request: (id) => ({ method: "DELETE", path: customerAt(id), objectId: id }),
    recover: Operation.goneAfterUncertainDelete(
      (id: CustomerId) =>
        new DeletedCustomer({ object: "customer", id, livemode: !id.includes("_test_"), deleted: true })
    )
  }),
  list: Operation.declare({
    args: [listParams],
    success: CustomerList,
    request: (params) => ({ method: "GET", path: "/customers", query: OmiseList.toQuery(params) })
  }),
  listCards: Operation.declare({
    args: [customerId, listParams],
    success: cardList,
    request: listOfCustomer("cards")
  }),
  listSchedules: Operation.declare({
    args: [customerId, listParams],
    success: ScheduleList,
    request: listOfCustomer("schedules")
  }),
  search: Operation.declare({
    args: [Operation.optional("params", Search.SearchParams)],
    success: CustomerSearch,
    request: (params) => ({ method: "GET", path: "/search", query: Search.toQuery("customer", params) })
  }),
  retrieveCard: Operation.declare({
    args: [customerId, cardId],
    success: Card,
    request: (id, cardId) => ({ method: "GET", path: cardAt(id, cardId), objectId: cardId })
  }),
  updateCard: Operation.declare({
    args: [customerId, cardId, Operation.arg("params", UpdateCardParams)],
    success: Card,
    request: (id, cardId, params) => ({ method: "PATCH", path: cardAt(id, cardId), objectId: cardId, body: params })
  }),
  destroyCard: Operation.declare({
    args: [customerId, cardId],
    success: DeletedCard,
    request: (id, cardId) => ({ method: "DELETE", path: cardAt(id, cardId), objectId: cardId }),
    recover: Operation.goneAfterUncertainDelete(
      (_id: CustomerId, cardId: CardId) =>
        new DeletedCard({ object: "card", id: cardId, livemode: !cardId.includes("_test_"), deleted: true })
    )
  })
})

/**
 * Creates a customer, optionally with a card token. Never replayed after an unknown outcome.
 *
 * @example
 * ```ts
 * import { Customer } from "effect-omise"
 *
 * const created = Customer.create({ email: "somchai@example.com", card: "tokn_test_5xyz" })
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const create = operations.create.call

/**
 * Retrieves a customer.
 *
 * @example
 * ```ts
 * import { Customer } from "effect-omise"
 *
 * const customer = Customer.retrieve("cust_test_5xyz")
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const retrieve = operations.retrieve.call

/**
 * Updates a customer: email, description, metadata, a new card (token) or the default card.
 * An update that attaches a card token is never replayed after an unknown outcome.
 *
 * @example
 * ```ts
 * import { Customer } from "effect-omise"
 *
 * const updated = Customer.update("cust_test_5xyz", { description: "Gold plan" })
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const update = operations.update.call

/**
 * Deletes a customer. If an earlier attempt may have deleted it and a retry finds it gone, that
 * is reported as the deletion, not as an error.
 *
 * @example
 * ```ts
 * import { Customer } from "effect-omise"
 *
 * const deleted = Customer.destroy("cust_test_5xyz")
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const destroy = operations.destroy.call

/**
 * Lists one page of customers.
 *
 * @example
 * ```ts
 * import { Customer } from "effect-omise"
 *
 * const newest = Customer.list({ limit: 10, order: "reverse_chronological" })
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const list = operations.list.call

/**
 * Lists one page of a customer's cards.
 *
 * @example
 * ```ts
 * import { Customer } from "effect-omise"
 *
 * const cards = Customer.listCards("cust_test_5xyz", { limit: 100 })
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const listCards = operations.listCards.call

/**
 * Lists one page of a customer's charge schedules (including ended and deleted ones).
 *
 * @example
 * ```ts
 * import { Customer } from "effect-omise"
 *
 * const schedules = Customer.listSchedules("cust_test_5xyz")
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const listSchedules = operations.listSchedules.call

/**
 * Searches customers (scope `customer`): free text over their attributes, `filters` such as
 * `created` (`2024-01-31` or `2024-01-01..2024-01-31`), paged by `page`/`per_page`.
 *
 * @example
 * ```ts
 * import { Customer } from "effect-omise"
 *
 * const found = Customer.search({ query: "somchai", filters: { created: "2024-01-01..2024-03-31" } })
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const search = operations.search.call

/**
 * Retrieves one of a customer's cards.
 *
 * @example
 * ```ts
 * import { Customer } from "effect-omise"
 *
 * const card = Customer.retrieveCard("cust_test_5xyz", "card_test_5xyz")
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const retrieveCard = operations.retrieveCard.call

/**
 * Updates one of a customer's cards: name, expiration month and year, postal code, city.
 *
 * @example
 * ```ts
 * import { Customer } from "effect-omise"
 *
 * const card = Customer.updateCard("cust_test_5xyz", "card_test_5xyz", { expiration_year: 2031 })
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const updateCard = operations.updateCard.call

/**
 * Deletes one of a customer's cards. If it was the default card, the latest remaining card
 * becomes the default.
 *
 * @example
 * ```ts
 * import { Customer } from "effect-omise"
 *
 * const deleted = Customer.destroyCard("cust_test_5xyz", "card_test_5xyz")
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const destroyCard = operations.destroyCard.call

/**
 * Options of the streams: list or search parameters plus `concurrency`, the number of pages
 * fetched at once (1..10, default 1). `limit`/`per_page` is the page size (default 100). Items are
 * emitted in order whatever the concurrency, and a failing page fails the stream only once every
 * page before it has been emitted.
 *
 * @since 0.1.0
 * @category models
 */
export type StreamParams<P> = Paging.StreamParams<P>

/**
 * Every customer, page after page, in order, once. The creation-time window is pinned by the
 * first page, so customers created during the walk are not part of it. Stops requesting as soon
 * as the consumer stops pulling.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { Customer } from "effect-omise"
 *
 * const emails = Customer.stream({ concurrency: 4 }).pipe(Stream.map((customer) => customer.email))
 * ```
 *
 * @since 0.1.0
 * @category streams
 */
export const stream = OmiseList.stream("Customer.stream", operations.list)

/**
 * Every card of a customer, in order, once (see {@link stream}).
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { Customer } from "effect-omise"
 *
 * const expiring = Customer.streamCards("cust_test_5xyz").pipe(
 *   Stream.filter((card) => card.expiration_year <= 2026),
 *   Stream.runCollect
 * )
 * ```
 *
 * @since 0.1.0
 * @category streams
 */
export const streamCards = OmiseList.stream("Customer.streamCards", operations.listCards)

/**
 * Every charge schedule of a customer, in order, once (see {@link stream}).
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { Customer } from "effect-omise"
 *
 * const latest = Customer.streamSchedules("cust_test_5xyz", { order: "reverse_chronological" }).pipe(
 *   Stream.take(10),
 *   Stream.runCollect
 * )
 * ```
 *
 * @since 0.1.0
 * @category streams
 */
export const streamSchedules = OmiseList.stream("Customer.streamSchedules", operations.listSchedules)

/**
 * Every customer matching a search, page by page up to the last, in order, once.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { Customer } from "effect-omise"
 *
 * const shops = Customer.streamSearch({ query: "shop", filters: { created: "2024-01-01..2024-06-30" } }).pipe(
 *   Stream.runCollect
 * )
 * ```
 *
 * @since 0.1.0
 * @category streams
 */
export const streamSearch = Search.stream("Customer.streamSearch", operations.search)
