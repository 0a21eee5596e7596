/**
 * The fake's state: customers in creation order (so pages and windows are binary searches),
 * cards, tokens and charge schedules, and the Omise rules that change it.
 *
 * @since 0.1.0
 */
import * as Result from "effect/Result"
import * as CardNumber from "./cardNumber.js"
import * as Dates from "./dates.js"
import * as Failure from "./failure.js"
import * as Rng from "./rng.js"

/**
 * What a card token carries: the card as entered, before it is attached to a customer.
 *
 * @since 0.1.0
 * @category state
 */
export interface CardInput {
  readonly number?: string | undefined
  readonly name?: string | undefined
  readonly expiration_month?: number | undefined
  readonly expiration_year?: number | undefined
  readonly postal_code?: string | undefined
  readonly city?: string | undefined
  readonly security_code?: string | undefined
}

/**
 * A card: born on the vault with its token, later attached to a customer.
 *
 * @since 0.1.0
 * @category state
 */
export interface StoredCard {
  readonly id: string
  readonly seq: number
  readonly created: number
  customer: string | undefined
  readonly brand: string
  readonly last_digits: string
  readonly fingerprint: string
  name: string
  expiration_month: number
  expiration_year: number
  postal_code: string | null
  city: string | null
  readonly security_code_check: boolean
}

/**
 * A single-use card token.
 *
 * @since 0.1.0
 * @category state
 */
export interface StoredToken {
  readonly id: string
  readonly created: number
  readonly card: StoredCard
  used: boolean
}

/**
 * A customer and what belongs to it.
 *
 * @since 0.1.0
 * @category state
 */
export interface StoredCustomer {
  readonly id: string
  readonly seq: number
  readonly created: number
  email: string | null
  description: string | null
  metadata: Readonly<Record<string, unknown>>
  /** In creation order. */
  readonly cards: Array<StoredCard>
  default_card: string | null
  /** In creation order. */
  readonly schedules: Array<StoredSchedule>
}

/**
 * One run of a charge schedule.
 *
 * @since 0.1.0
 * @category state
 */
export interface StoredOccurrence {
  readonly id: string
  readonly seq: number
  readonly created: number
  readonly day: number
  readonly result: string
}

/**
 * A charge schedule of a customer.
 *
 * @since 0.1.0
 * @category state
 */
export interface StoredSchedule {
  readonly id: string
  readonly seq: number
  readonly created: number
  readonly every: number
  readonly rule: Dates.ScheduleRule
  readonly on: Readonly<Record<string, unknown>>
  readonly startDay: number
  readonly endDay: number
  deleted: boolean
  endedAt: number | null
  readonly charge: {
    readonly id: string
    readonly amount: number
    readonly currency: string
    readonly description: string | null
    readonly customer: string
    readonly card: string | null
    readonly metadata: Readonly<Record<string, unknown>>
  }
  /** Materialised lazily, up to "today" on the clock, so TestClock moves them too. */
  readonly occurrences: Array<StoredOccurrence>
}

interface Created {
  readonly created: number
  readonly seq: number
}

const before = (a: Created, b: Created): boolean => a.created < b.created || (a.created === b.created && a.seq < b.seq)

/**
 * First index whose creation time is >= `at` (or > `at` when `after`), by binary search.
 *
 * @since 0.1.0
 * @category state
 */
export const bound = (items: ReadonlyArray<Created>, at: number, after: boolean): number => {
  let lo = 0
  let hi = items.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const created = items[mid]!.created
    if (created < at || (after && created === at)) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Inserts keeping (created, seq) order; appending is the common case and O(1). */
const insertOrdered = <T extends Created>(items: Array<T>, item: T): void => {
  const last = items[items.length - 1]
  if (last === undefined || before(last, item)) {
    items.push(item)
    return
  }
  let lo = 0
  let hi = items.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (before(items[mid]!, item)) lo = mid + 1
    else hi = mid
  }
  items.splice(lo, 0, item)
}

const indexOfOrdered = <T extends Created>(items: ReadonlyArray<T>, item: T): number => {
  for (let i = bound(items, item.created, false); i < items.length && items[i]!.created === item.created; i++) {
    if (items[i] === item) return i
  }
  return -1
}

/**
 * The effective paging of a list request.
 *
 * @since 0.1.0
 * @category state
 */
export interface ListWindow {
  readonly offset: number
  readonly limit: number
  readonly from: number
  readonly to: number
  readonly order: "chronological" | "reverse_chronological"
}

/**
 * One page of a creation-ordered collection: O(log n + limit).
 *
 * @since 0.1.0
 * @category state
 */
export const page = <T extends Created>(
  items: ReadonlyArray<T>,
  window: ListWindow
): { readonly total: number; readonly data: ReadonlyArray<T> } => {
  const lo = bound(items, window.from, false)
  const hi = bound(items, window.to, true)
  const total = Math.max(0, hi - lo)
  const data: Array<T> = []
  for (let i = window.offset; i < total && data.length < window.limit; i++) {
    data.push(items[window.order === "chronological" ? lo + i : hi - 1 - i]!)
  }
  return { total, data }
}

const invalidCard = (message: string) => Failure.badRequest(message, "invalid_card")

/**
 * The card used when seeding leaves a field out: a Visa test number that never expires.
 *
 * @since 0.1.0
 * @category state
 */
export const defaultCard: { readonly [K in keyof CardInput]-?: NonNullable<CardInput[K]> } = {
  number: "4242424242424242",
  name: "Somchai Prasert",
  expiration_month: 12,
  expiration_year: 2099,
  postal_code: "10320",
  city: "Bangkok",
  security_code: "123"
}

/**
 * All state of one fake Omise. Mutated only inside the emulator's lock.
 *
 * @since 0.1.0
 * @category state
 */
export class Store {
  readonly customers: Array<StoredCustomer> = []
  readonly customersById = new Map<string, StoredCustomer>()
  readonly cardsById = new Map<string, StoredCard>()
  readonly tokens = new Map<string, StoredToken>()
  readonly schedulesById = new Map<string, StoredSchedule>()
  private seq = 0
  private readonly rng: Rng.Rng

  constructor(seed: number) {
    this.rng = Rng.make(seed)
  }

  private nextId(prefix: string): { readonly id: string; readonly seq: number } {
    const seq = ++this.seq
    return { id: Rng.objectId(this.rng, prefix, seq), seq }
  }

  /** Validates a card the way the vault does and builds it (not yet attached to anyone). */
  makeCard(input: CardInput, now: number): Result.Result<StoredCard, Failure.ApiFailure> {
    const number = input.number === undefined ? undefined : CardNumber.normalise(input.number)
    if (number === undefined || !CardNumber.luhn(number)) return Result.fail(invalidCard("number is invalid"))
    const brand = CardNumber.brand(number)
    if (brand === undefined) return Result.fail(invalidCard("number is invalid and brand not supported (unknown)"))
    if (input.name === undefined || input.name.trim() === "") return Result.fail(invalidCard("name can't be blank"))
    const month = input.expiration_month
    const year = input.expiration_year
    if (month === undefined || !Number.isInteger(month) || month < 1 || month > 12) {
      return Result.fail(invalidCard("expiration month is not between 1 and 12"))
    }
    if (year === undefined || !Number.isInteger(year) || year < 1000 || year > 9999) {
      return Result.fail(invalidCard("expiration year is invalid"))
    }
    const today = new Date(now)
    if (year < today.getUTCFullYear() || (year === today.getUTCFullYear() && month < today.getUTCMonth() + 1)) {
      return Result.fail(invalidCard("expiration date cannot be in the past"))
    }
    if (input.security_code !== undefined && !/^\d{3,4}$/.test(input.security_code)) {
      return Result.fail(invalidCard("security code is invalid"))
    }
    const { id, seq } = this.nextId("card")
    return Result.succeed({
      id,
      seq,
      created: now,
      customer: undefined,
      brand,
      last_digits: number.slice(-4),
      fingerprint: CardNumber.fingerprint(number),
      name: input.name,
      expiration_month: month,
      expiration_year: year,
      postal_code: input.postal_code ?? null,
      city: input.city ?? null,
      security_code_check: input.security_code !== undefined
    })
  }

  createToken(input: CardInput, now: number): Result.Result<StoredToken, Failure.ApiFailure> {
    return Result.map(this.makeCard(input, now), (card) => {
      const token: StoredToken = { id: this.nextId("tokn").id, created: now, card, used: false }
      this.tokens.set(token.id, token)
      return token
    })
  }

  /** Spends a token: unknown ⇒ 404, already spent ⇒ 400 `used_token`. */
  useToken(tokenId: string): Result.Result<StoredCard, Failure.ApiFailure> {
    const token = this.tokens.get(tokenId)
    if (token === undefined) return Result.fail(Failure.notFound("token", tokenId))
    if (token.used) return Result.fail(Failure.badRequest("token was already used", "used_token"))
    token.used = true
    return Result.succeed(token.card)
  }

  attachCard(customer: StoredCustomer, card: StoredCard): void {
    card.customer = customer.id
    insertOrdered(customer.cards, card)
    this.cardsById.set(card.id, card)
    if (customer.default_card === null) customer.default_card = card.id
  }

  createCustomer(
    fields: {
      readonly email?: string | undefined
      readonly description?: string | undefined
      readonly metadata?: Readonly<Record<string, unknown>> | undefined
    },
    now: number
  ): StoredCustomer {
    const { id, seq } = this.nextId("cust")
    const customer: StoredCustomer = {
      id,
      seq,
      created: now,
      email: fields.email ?? null,
      description: fields.description ?? null,
      metadata: fields.metadata ?? {},
      cards: [],
      default_card: null,
      schedules: []
    }
    insertOrdered(this.customers, customer)
    this.customersById.set(id, customer)
    return customer
  }

  customer(id: string): Result.Result<StoredCustomer, Failure.ApiFailure> {
    const customer = this.customersById.get(id)
    return customer === undefined ? Result.fail(Failure.notFound("customer", id)) : Result.succeed(customer)
  }

  card(customer: StoredCustomer, cardId: string): Result.Result<StoredCard, Failure.ApiFailure> {
    const card = this.cardsById.get(cardId)
    return card === undefined || card.customer !== customer.id
      ? Result.fail(Failure.notFound("card", cardId))
      : Result.succeed(card)
  }

  deleteCustomer(customer: StoredCustomer): void {
    const index = indexOfOrdered(this.customers, customer)
    if (index >= 0) this.customers.splice(index, 1)
    this.customersById.delete(customer.id)
    for (const card of customer.cards) this.cardsById.delete(card.id)
    customer.cards.length = 0
    customer.default_card = null
  }

  /** Deleting the default card promotes the latest card left, or null. */
  deleteCard(customer: StoredCustomer, card: StoredCard): void {
    const index = indexOfOrdered(customer.cards, card)
    if (index >= 0) customer.cards.splice(index, 1)
    this.cardsById.delete(card.id)
    if (customer.default_card === card.id) {
      customer.default_card = customer.cards[customer.cards.length - 1]?.id ?? null
    }
  }

  createSchedule(
    fields: Omit<StoredSchedule, "id" | "seq" | "created" | "deleted" | "endedAt" | "occurrences" | "charge"> & {
      readonly charge: Omit<StoredSchedule["charge"], "id">
    },
    customer: StoredCustomer,
    now: number
  ): StoredSchedule {
    const { id, seq } = this.nextId("schd")
    const schedule: StoredSchedule = {
      ...fields,
      id,
      seq,
      created: now,
      deleted: false,
      endedAt: null,
      charge: { ...fields.charge, id: this.nextId("rchg").id },
      occurrences: []
    }
    this.schedulesById.set(id, schedule)
    insertOrdered(customer.schedules, schedule)
    return schedule
  }

  /** Runs the schedule up to today: one occurrence per date already reached. */
  catchUp(schedule: StoredSchedule, now: number): void {
    if (schedule.deleted) return
    const today = Dates.dayOf(now)
    const last = schedule.occurrences[schedule.occurrences.length - 1]
    const to = Math.min(today, schedule.endDay)
    // Recomputed from the start date so `every` keeps its phase.
    for (const day of Dates.occurrences(schedule.rule, schedule.every, schedule.startDay, to, 100_000)) {
      if (last !== undefined && day <= last.day) continue
      const { id, seq } = this.nextId("occu")
      schedule.occurrences.push({
        id,
        seq,
        created: Math.max(schedule.created, Dates.startOfDay(day)),
        day,
        result: this.nextId("chrg").id
      })
    }
    if (today > schedule.endDay && schedule.endedAt === null) {
      schedule.endedAt = Math.max(schedule.created, Dates.startOfDay(schedule.endDay + 1))
    }
  }
}
