/**
 * The Customer API scenario every path runs (in memory, over HTTP with
 * FetchHttpClient, and the official client in its own test), reduced to a
 * summary without ids or times so the paths can be compared.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Customer from "../../src/Customer.js"
import * as OmiseClient from "../../src/OmiseClient.js"

/** The steps of the scenario, in order; the official client's test runs the same ones. */
export const stepNames: ReadonlyArray<string> = [
  "tokens.create (Visa)",
  "customers.create with card",
  "customers.create (second)",
  "customers.create (third)",
  "customers.retrieve",
  "customers.update email and description",
  "tokens.create (MasterCard)",
  "customers.update attach second card",
  "customers.update default_card",
  "customers.list limit 2 reverse",
  "customers.list offset 1",
  "customers.listCards",
  "customers.retrieveCard",
  "customers.updateCard",
  "customers.destroyCard",
  "customers.retrieve after destroyCard",
  "schedules.create",
  "customers.schedules",
  "search by email",
  "customers.destroy",
  "customers.retrieve after destroy"
]

export interface Scenario {
  /** Each step that ran, in order. */
  readonly steps: ReadonlyArray<string>
  /** What the steps saw, without ids or times. */
  readonly summary: ReadonlyArray<unknown>
}

/** `mintToken` tokenises a card number, the way the vault is reached on that path. */
export const run = <R>(mintToken: (number: string) => Effect.Effect<string, unknown, R>) =>
  Effect.gen(function* () {
    const steps: Array<string> = []
    const summary: Array<unknown> = []
    const step = <A, E, R>(name: string, effect: Effect.Effect<A, E, R>, see: (a: A) => unknown) =>
      Effect.tap(effect, (a) =>
        Effect.sync(() => {
          steps.push(name)
          summary.push([name, see(a)])
        })
      )

    const visa = yield* step("tokens.create (Visa)", mintToken("4242424242424242"), () => "token")
    const customer = yield* step(
      "customers.create with card",
      Customer.create({ email: "somchai@example.com", description: "Somchai", card: visa, metadata: { plan: "pro" } }),
      (c) => [
        c.email,
        c.description,
        c.metadata,
        c.cards.total,
        c.cards.data[0]?.brand,
        c.default_card === c.cards.data[0]?.id
      ]
    )
    const firstCard = customer.cards.data[0]!.id
    yield* step("customers.create (second)", Customer.create({ email: "malee@example.com" }), (c) => [
      c.email,
      c.default_card
    ])
    yield* step("customers.create (third)", Customer.create({ email: "niran@example.com" }), (c) => [
      c.email,
      c.cards.total
    ])
    yield* step("customers.retrieve", Customer.retrieve(customer.id), (c) => [c.email, c.cards.total])
    yield* step(
      "customers.update email and description",
      Customer.update(customer.id, { email: "somchai.p@example.com", description: "Somchai P." }),
      (c) => [c.email, c.description, c.metadata]
    )
    const master = yield* step("tokens.create (MasterCard)", mintToken("5555555555554444"), () => "token")
    const withSecond = yield* step(
      "customers.update attach second card",
      Customer.update(customer.id, { card: master }),
      (c) => [c.cards.total, c.cards.data.map((card) => card.brand), c.default_card === firstCard]
    )
    const secondCard = withSecond.cards.data[1]!.id
    yield* step(
      "customers.update default_card",
      Customer.update(customer.id, { default_card: secondCard }),
      (c) => c.default_card === secondCard
    )
    yield* step(
      "customers.list limit 2 reverse",
      Customer.list({ limit: 2, order: "reverse_chronological" }),
      (page) => [page.total, page.limit, page.offset, page.order, page.data.map((c) => c.email)]
    )
    yield* step("customers.list offset 1", Customer.list({ limit: 2, offset: 1 }), (page) => [
      page.total,
      page.offset,
      page.data.map((c) => c.email)
    ])
    yield* step("customers.listCards", Customer.listCards(customer.id, { order: "reverse_chronological" }), (page) => [
      page.total,
      page.data.map((card) => card.brand)
    ])
    yield* step("customers.retrieveCard", Customer.retrieveCard(customer.id, firstCard), (card) => [
      card.brand,
      card.last_digits,
      card.name
    ])
    yield* step(
      "customers.updateCard",
      Customer.updateCard(customer.id, firstCard, { name: "SOMCHAI P", expiration_month: 1, expiration_year: 2040 }),
      (card) => [card.name, card.expiration_month, card.expiration_year]
    )
    yield* step("customers.destroyCard", Customer.destroyCard(customer.id, firstCard), (card) => card.deleted)
    yield* step("customers.retrieve after destroyCard", Customer.retrieve(customer.id), (c) => [
      c.cards.total,
      c.default_card === secondCard
    ])
    const client = yield* OmiseClient.OmiseClient
    yield* step(
      "schedules.create",
      client.execute(
        {
          method: "POST",
          path: "/schedules",
          body: {
            every: 1,
            period: "month",
            on: { days_of_month: [1] },
            end_date: "2099-12-01",
            charge: { customer: customer.id, amount: 100000, description: "Membership fee" }
          }
        },
        Schema.Unknown
      ),
      () => "schedule"
    )
    yield* step("customers.schedules", Customer.listSchedules(customer.id), (page) => [
      page.total,
      page.data.map((s) => [s.status, s.every, s.period, s.charge?.amount])
    ])
    yield* step("search by email", Customer.search({ query: "somchai.p@example.com" }), (result) => [
      result.total,
      result.data.map((c) => c.email)
    ])
    yield* step("customers.destroy", Customer.destroy(customer.id), (deleted) => deleted.deleted)
    yield* step("customers.retrieve after destroy", Effect.flip(Customer.retrieve(customer.id)), (error) => error._tag)
    return { steps, summary } satisfies Scenario
  })
