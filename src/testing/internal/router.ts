/**
 * The Omise Customer API, vault tokens and charge schedules as the fake
 * implements them: params in, JSON out, state in the {@link Store}.
 *
 * Choices where Omise's behaviour is undocumented (see omise-api.md):
 * - `limit` above 100 is clamped to 100 and echoed as 100; `limit` below 1,
 *   a negative `offset` or a non-integer is a 400 `bad_request`.
 * - Search `per_page` above 100 is clamped to 100; `page` or `per_page` below
 *   1 is a 400 `invalid_page`. Free text matches case-insensitively: every
 *   word of `query` must occur in the id, email, description or a metadata
 *   value. The customer scope takes only the `created` filter; any other
 *   filter is a 400 `invalid_filter`. Other documented scopes answer an empty
 *   result; unknown scopes are a 400 `invalid_scope`.
 * - `metadata` given on update replaces the whole object.
 * - Updating a customer with `card` adds the card; the default card changes
 *   only when there was none or `default_card` says so (it may name the new
 *   card, whose id is the token's card id).
 * - A deleted customer is gone: later requests for it are 404.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import * as SchemaTransformation from "effect/SchemaTransformation"
import * as Dates from "./dates.js"
import * as Failure from "./failure.js"
import * as Params from "./params.js"
import * as Render from "./render.js"
import type { ListWindow, Store, StoredCustomer, StoredSchedule } from "./store.js"
import { bound, page } from "./store.js"

/**
 * Everything one request needs: state, version, clock, path and params.
 *
 * @since 0.1.0
 * @category routing
 */
export interface RouteContext {
  readonly store: Store
  readonly version: Render.Version
  readonly now: number
  readonly method: string
  readonly segments: ReadonlyArray<string>
  readonly params: Params.Params
}

const fromResult = Effect.fromResult

/** Text read as a number by `parse`; `undefined` from it is a bad value named by `expected`. */
const TextAs = (parse: (text: string) => number | undefined, show: (value: number) => string, expected: string) =>
  Params.Text.pipe(
    Schema.decodeTo(
      Schema.Number,
      SchemaTransformation.transformEffect({
        decode: (text: string) => {
          const value = parse(text)
          return value === undefined
            ? Effect.fail(new SchemaIssue.InvalidValue({ message: expected }, text))
            : Effect.succeed(value)
        },
        encode: (value: number) => Effect.succeed(show(value))
      })
    )
  )

const Instant = TextAs(Dates.parseDateTime, Dates.iso, "not a date-time")

const CalendarDate = TextAs((text) => Dates.parseDate(text.trim()), Dates.isoDate, "not a date")

const Order = Schema.Literals(["chronological", "reverse_chronological"])

const ListParams = Schema.Struct({
  offset: Schema.optional(Params.Int.check(Schema.isGreaterThanOrEqualTo(0))),
  limit: Schema.optional(Params.Int.check(Schema.isGreaterThanOrEqualTo(1))),
  from: Schema.optional(Instant),
  to: Schema.optional(Instant),
  order: Schema.optional(Order)
})
const decodeList = Params.decode(ListParams)

const listWindow = (context: RouteContext): Effect.Effect<ListWindow, Failure.ApiFailure> =>
  Effect.map(decodeList(context.params), (params) => ({
    offset: params.offset ?? 0,
    limit: Math.min(params.limit ?? 20, 100),
    from: params.from ?? 0,
    to: params.to ?? context.now,
    order: params.order ?? "chronological"
  }))

const Email = Params.Text.check(
  Schema.makeFilter((text: string) => /^[^@\s]+@[^@\s]+$/.test(text.trim()), { message: "email is invalid" })
)

const CustomerCreate = Schema.Struct({
  email: Schema.optional(Email),
  description: Schema.optional(Params.Text),
  card: Schema.optional(Params.Text),
  metadata: Schema.optional(Params.Metadata)
})
const decodeCustomerCreate = Params.decode(CustomerCreate)

const CustomerUpdate = Schema.Struct({
  ...CustomerCreate.fields,
  default_card: Schema.optional(Params.Text)
})
const decodeCustomerUpdate = Params.decode(CustomerUpdate)

const CardUpdate = Schema.Struct({
  name: Schema.optional(Params.Text),
  expiration_month: Schema.optional(Params.Int.check(Schema.isBetween({ minimum: 1, maximum: 12 }))),
  expiration_year: Schema.optional(Params.Int.check(Schema.isBetween({ minimum: 1000, maximum: 9999 }))),
  postal_code: Schema.optional(Params.Text),
  city: Schema.optional(Params.Text)
})
const decodeCardUpdate = Params.decode(CardUpdate, "invalid_card")

const TokenCreate = Schema.Struct({
  card: Schema.Struct({
    number: Schema.optional(Params.Text),
    name: Schema.optional(Params.Text),
    expiration_month: Schema.optional(Params.Int),
    expiration_year: Schema.optional(Params.Int),
    postal_code: Schema.optional(Params.Text),
    city: Schema.optional(Params.Text),
    security_code: Schema.optional(Params.Text)
  })
})
const decodeTokenCreate = Params.decode(TokenCreate, "invalid_card")

const OneOrMany = <S extends Schema.Top>(item: S) =>
  Schema.Union([
    Schema.Array(item),
    item.pipe(
      Schema.decodeTo(
        Schema.Array(Schema.toType(item)),
        SchemaTransformation.transform<ReadonlyArray<S["Type"]>, S["Type"]>({
          decode: (one) => [one],
          encode: (many) => many[0]
        })
      )
    )
  ])

const ScheduleOn = Schema.Struct({
  weekdays: Schema.optional(OneOrMany(Params.Text.pipe(Schema.refine(Dates.isWeekday)))),
  days_of_month: Schema.optional(OneOrMany(Params.Int.check(Schema.isBetween({ minimum: 1, maximum: 31 })))),
  weekday_of_month: Schema.optional(
    Params.Text.check(Schema.makeFilter((text: string) => Dates.parseWeekdayOfMonth(text) !== undefined))
  )
})

const ScheduleCreate = Schema.Struct({
  every: Params.Int.check(Schema.isGreaterThanOrEqualTo(1)),
  period: Schema.Literals(["day", "week", "month"]),
  on: Schema.optional(ScheduleOn),
  start_date: Schema.optional(CalendarDate),
  end_date: CalendarDate,
  charge: Schema.Struct({
    customer: Params.Text,
    amount: Params.Int.check(Schema.isGreaterThanOrEqualTo(1)),
    currency: Schema.optional(Params.Text.check(Schema.isPattern(/^[A-Za-z]{3}$/))),
    card: Schema.optional(Params.Text),
    description: Schema.optional(Params.Text),
    metadata: Schema.optional(Params.Metadata)
  })
})
const decodeScheduleCreate = Params.decode(ScheduleCreate)

const SearchParams = Schema.Struct({
  scope: Schema.optional(Params.Text),
  query: Schema.optional(Params.Text),
  filters: Schema.optional(Schema.Record(Schema.String, Params.Text)),
  order: Schema.optional(Order)
})
const decodeSearch = Params.decode(SearchParams)
const SearchPaging = Schema.Struct({
  page: Schema.optional(Params.Int.check(Schema.isGreaterThanOrEqualTo(1))),
  per_page: Schema.optional(Params.Int.check(Schema.isGreaterThanOrEqualTo(1)))
})
const decodeSearchPaging = Params.decode(SearchPaging, "invalid_page")

const otherScopes = new Set([
  "charge",
  "charge_schedule",
  "dispute",
  "event",
  "fund_account",
  "link",
  "log_entry",
  "receipt",
  "recipient",
  "refund",
  "sub_merchant",
  "transfer",
  "transfer_schedule",
  "transaction"
])

const notRouted = (context: RouteContext) => Effect.fail(Failure.notFound("path", `/${context.segments.join("/")}`))

const renderCustomer = (context: RouteContext, customer: StoredCustomer) =>
  Render.customer(context.version, customer, context.now)

const renderSchedule = (context: RouteContext, schedule: StoredSchedule) => {
  context.store.catchUp(schedule, context.now)
  return Render.schedule(context.version, schedule, context.now)
}

const listCustomers = (context: RouteContext) =>
  Effect.map(listWindow(context), (window) => {
    const result = page(context.store.customers, window)
    return Render.list(context.version, {
      data: result.data.map((customer) => renderCustomer(context, customer)),
      window,
      total: result.total,
      location: "/customers",
      embedded: false
    })
  })

const createCustomer = (context: RouteContext) =>
  Effect.gen(function* () {
    const params = yield* decodeCustomerCreate(context.params)
    const card = params.card === undefined ? undefined : yield* fromResult(context.store.useToken(params.card))
    const customer = context.store.createCustomer(params, context.now)
    if (card !== undefined) context.store.attachCard(customer, card)
    return renderCustomer(context, customer)
  })

const updateCustomer = (context: RouteContext, customer: StoredCustomer) =>
  Effect.gen(function* () {
    const params = yield* decodeCustomerUpdate(context.params)
    const { store } = context
    // Everything is checked before anything changes, so a failed update leaves no trace.
    const token = params.card === undefined ? undefined : store.tokens.get(params.card)
    if (params.card !== undefined) {
      if (token === undefined) return yield* Effect.fail(Failure.notFound("token", params.card))
      if (token.used) return yield* Effect.fail(Failure.badRequest("token was already used", "used_token"))
    }
    const defaultCard = params.default_card
    if (defaultCard !== undefined && token?.card.id !== defaultCard) {
      yield* fromResult(store.card(customer, defaultCard))
    }
    if (params.card !== undefined) store.attachCard(customer, yield* fromResult(store.useToken(params.card)))
    if (defaultCard !== undefined) customer.default_card = defaultCard
    if (params.email !== undefined) customer.email = params.email
    if (params.description !== undefined) customer.description = params.description
    if (params.metadata !== undefined) customer.metadata = params.metadata
    return renderCustomer(context, customer)
  })

const customerCards = (context: RouteContext, customer: StoredCustomer, cardId: string | undefined) =>
  Effect.gen(function* () {
    const { store, version } = context
    if (cardId === undefined) {
      if (context.method !== "GET") return yield* notRouted(context)
      const window = yield* listWindow(context)
      const result = page(customer.cards, window)
      return Render.list(version, {
        data: result.data.map((card) => Render.card(version, card)),
        window,
        total: result.total,
        // The 2017-11-02 capture of this list has no location.
        location: Render.isLegacy(version) ? undefined : `/customers/${customer.id}/cards`,
        embedded: false
      })
    }
    const card = yield* fromResult(store.card(customer, cardId))
    switch (context.method) {
      case "GET":
        return Render.card(version, card)
      case "PATCH": {
        const params = yield* decodeCardUpdate(context.params)
        if (params.name !== undefined) card.name = params.name
        if (params.expiration_month !== undefined) card.expiration_month = params.expiration_month
        if (params.expiration_year !== undefined) card.expiration_year = params.expiration_year
        if (params.postal_code !== undefined) card.postal_code = params.postal_code
        if (params.city !== undefined) card.city = params.city
        return Render.card(version, card)
      }
      case "DELETE":
        store.deleteCard(customer, card)
        return Render.deletedCard(version, card)
      default:
        return yield* notRouted(context)
    }
  })

const customers = (context: RouteContext) =>
  Effect.gen(function* () {
    const [, id, sub, subId, ...rest] = context.segments
    if (id === undefined) {
      switch (context.method) {
        case "GET":
          return yield* listCustomers(context)
        case "POST":
          return yield* createCustomer(context)
        default:
          return yield* notRouted(context)
      }
    }
    if (rest.length > 0) return yield* notRouted(context)
    const customer = yield* fromResult(context.store.customer(id))
    if (sub === "cards") return yield* customerCards(context, customer, subId)
    if (sub === "schedules" && subId === undefined && context.method === "GET") {
      const window = yield* listWindow(context)
      const result = page(customer.schedules, window)
      return Render.list(context.version, {
        data: result.data.map((schedule) => renderSchedule(context, schedule)),
        window,
        total: result.total,
        location: `/customers/${customer.id}/schedules`,
        embedded: false
      })
    }
    if (sub !== undefined) return yield* notRouted(context)
    switch (context.method) {
      case "GET":
        return renderCustomer(context, customer)
      case "PATCH":
      case "PUT":
        return yield* updateCustomer(context, customer)
      case "DELETE":
        context.store.deleteCustomer(customer)
        return Render.deletedCustomer(context.version, customer, context.now)
      default:
        return yield* notRouted(context)
    }
  })

const scheduleRule = (period: "day" | "week" | "month", on: typeof ScheduleOn.Type | undefined) => {
  switch (period) {
    case "day":
      return Effect.succeed({ rule: { period } as const, on: {} })
    case "week":
      return on?.weekdays !== undefined && on.weekdays.length > 0
        ? Effect.succeed({ rule: { period, weekdays: on.weekdays }, on: { weekdays: on.weekdays } })
        : Effect.fail(Failure.badRequest("on must contain weekdays"))
    case "month":
      if (on?.days_of_month !== undefined && on.days_of_month.length > 0) {
        return Effect.succeed({
          rule: { period, daysOfMonth: on.days_of_month },
          on: { days_of_month: on.days_of_month }
        })
      }
      return on?.weekday_of_month !== undefined
        ? Effect.succeed({
            rule: { period, weekdayOfMonth: on.weekday_of_month },
            on: { weekday_of_month: on.weekday_of_month }
          })
        : Effect.fail(Failure.badRequest("on must contain one of these keys: days_of_month, weekday_of_month"))
  }
}

const createSchedule = (context: RouteContext) =>
  Effect.gen(function* () {
    const params = yield* decodeScheduleCreate(context.params)
    const { store } = context
    const customer = yield* fromResult(store.customer(params.charge.customer))
    if (params.charge.card !== undefined) yield* fromResult(store.card(customer, params.charge.card))
    const { on, rule } = yield* scheduleRule(params.period, params.on)
    const today = Dates.dayOf(context.now)
    const startDay = params.start_date ?? today
    if (startDay < today) return yield* Effect.fail(Failure.badRequest("start_date cannot be in the past"))
    if (params.end_date <= startDay) return yield* Effect.fail(Failure.badRequest("end_date must be after start_date"))
    if (Dates.occurrences(rule, params.every, startDay, params.end_date, 1).length === 0) {
      return yield* Effect.fail(Failure.badRequest("schedule has no occurrence between start_date and end_date"))
    }
    const schedule = store.createSchedule(
      {
        every: params.every,
        rule,
        on,
        startDay,
        endDay: params.end_date,
        charge: {
          amount: params.charge.amount,
          currency: (params.charge.currency ?? "thb").toLowerCase(),
          description: params.charge.description ?? null,
          customer: customer.id,
          card: params.charge.card ?? null,
          metadata: params.charge.metadata ?? {}
        }
      },
      customer,
      context.now
    )
    return renderSchedule(context, schedule)
  })

const schedules = (context: RouteContext) =>
  Effect.gen(function* () {
    const [, id, ...rest] = context.segments
    if (id === undefined) {
      return context.method === "POST" ? yield* createSchedule(context) : yield* notRouted(context)
    }
    if (rest.length > 0) return yield* notRouted(context)
    const schedule = context.store.schedulesById.get(id)
    if (schedule === undefined) return yield* Effect.fail(Failure.notFound("schedule", id))
    switch (context.method) {
      case "GET":
        return renderSchedule(context, schedule)
      case "DELETE":
        context.store.catchUp(schedule, context.now)
        if (!schedule.deleted) {
          schedule.deleted = true
          schedule.endedAt = context.now
        }
        return renderSchedule(context, schedule)
      default:
        return yield* notRouted(context)
    }
  })

const matchesQuery = (customer: StoredCustomer, words: ReadonlyArray<string>): boolean => {
  if (words.length === 0) return true
  const haystack = [customer.id, customer.email ?? "", customer.description ?? ""]
  for (const value of Object.values(customer.metadata)) {
    if (typeof value === "string" || typeof value === "number") haystack.push(String(value))
  }
  const text = haystack.join("\n").toLowerCase()
  return words.every((word) => text.includes(word))
}

const search = (context: RouteContext) =>
  Effect.gen(function* () {
    if (context.segments.length > 1 || context.method !== "GET") return yield* notRouted(context)
    const params = yield* decodeSearch(context.params)
    const paging = yield* decodeSearchPaging(context.params)
    const scope = params.scope
    if (scope === undefined) return yield* Effect.fail(Failure.badRequest("scope is required", "invalid_scope"))
    if (scope !== "customer" && !otherScopes.has(scope)) {
      return yield* Effect.fail(Failure.badRequest(`scope ${scope} is not supported`, "invalid_scope"))
    }
    const filters = params.filters ?? {}
    let window = { from: 0, to: Number.MAX_SAFE_INTEGER }
    for (const [name, value] of Object.entries(filters)) {
      const parsed = name === "created" ? Dates.parseCreatedFilter(value, context.now) : undefined
      if (parsed === undefined) {
        return yield* Effect.fail(Failure.badRequest(`filters[${name}] is invalid`, "invalid_filter"))
      }
      window = parsed
    }
    const order = params.order ?? "chronological"
    const pageNumber = paging.page ?? 1
    const perPage = Math.min(paging.per_page ?? 30, 100)
    const query = params.query ?? ""
    const words = query
      .toLowerCase()
      .split(/\s+/)
      .filter((word) => word.length > 0)
    const data: Array<unknown> = []
    let total = 0
    if (scope === "customer") {
      const all = context.store.customers
      const lo = bound(all, window.from, false)
      const hi = bound(all, window.to, true)
      const skip = (pageNumber - 1) * perPage
      for (let i = 0; i < hi - lo; i++) {
        const customer = all[order === "chronological" ? lo + i : hi - 1 - i]!
        if (!matchesQuery(customer, words)) continue
        if (total >= skip && data.length < perPage) data.push(renderCustomer(context, customer))
        total++
      }
    }
    return Render.search(context.version, {
      scope,
      query,
      filters,
      order,
      page: pageNumber,
      perPage,
      total,
      data
    })
  })

const tokens = (context: RouteContext) =>
  Effect.gen(function* () {
    const [, id, ...rest] = context.segments
    if (rest.length > 0) return yield* notRouted(context)
    if (id === undefined) {
      if (context.method !== "POST") return yield* notRouted(context)
      const params = yield* decodeTokenCreate(context.params)
      const token = yield* fromResult(context.store.createToken(params.card, context.now))
      return Render.token(context.version, token)
    }
    if (context.method !== "GET") return yield* notRouted(context)
    const token = context.store.tokens.get(id)
    return token === undefined
      ? yield* Effect.fail(Failure.notFound("token", id))
      : Render.token(context.version, token)
  })

/**
 * Whether a path belongs to the vault, which takes the public key.
 *
 * @since 0.1.0
 * @category routing
 */
export const isVaultPath = (segments: ReadonlyArray<string>): boolean => segments[0] === "tokens"

/**
 * Answers one authenticated request with a JSON body or an Omise error.
 *
 * @since 0.1.0
 * @category routing
 */
export const route = (context: RouteContext): Effect.Effect<unknown, Failure.ApiFailure> => {
  switch (context.segments[0]) {
    case "customers":
      return customers(context)
    case "schedules":
      return schedules(context)
    case "search":
      return search(context)
    case "tokens":
      return tokens(context)
    default:
      return notRouted(context)
  }
}
