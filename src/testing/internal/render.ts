/**
 * JSON shapes of the two API versions the fake speaks. 2019-05-29 is the
 * model; 2017-11-02 differs as the Omise upgrade guide lists (`created`,
 * delete stubs, lower-case currency, `active` status, `*_date` names, null
 * order on embedded lists, fewer fields).
 *
 * @since 0.1.0
 */
import * as Dates from "./dates.js"
import type { ListWindow, StoredCard, StoredCustomer, StoredOccurrence, StoredSchedule, StoredToken } from "./store.js"
import { page } from "./store.js"

/**
 * The two response shapes the fake speaks.
 *
 * @since 0.1.0
 * @category rendering
 */
export type Version = "2019-05-29" | "2017-11-02"

/**
 * Whether the 2017-11-02 shapes apply.
 *
 * @since 0.1.0
 * @category rendering
 */
export const isLegacy = (version: Version): boolean => version === "2017-11-02"

type Json = Record<string, unknown>

const createdField = (version: Version, ms: number): Json =>
  isLegacy(version) ? { created: Dates.iso(ms) } : { created_at: Dates.iso(ms) }

/**
 * A list envelope. Embedded lists had `order: null` before 2019-05-29.
 *
 * @since 0.1.0
 * @category rendering
 */
export const list = (
  version: Version,
  options: {
    readonly data: ReadonlyArray<unknown>
    readonly window: ListWindow
    readonly total: number
    readonly location: string | undefined
    readonly embedded: boolean
  }
): Json => {
  const { data, total, window } = options
  if (isLegacy(version)) {
    return {
      object: "list",
      from: Dates.iso(window.from),
      to: Dates.iso(window.to),
      offset: window.offset,
      limit: window.limit,
      total,
      order: options.embedded ? null : window.order,
      ...(options.location === undefined ? {} : { location: options.location }),
      data
    }
  }
  return {
    object: "list",
    data,
    limit: window.limit,
    offset: window.offset,
    total,
    ...(options.location === undefined ? {} : { location: options.location }),
    order: window.order,
    from: Dates.iso(window.from),
    to: Dates.iso(window.to)
  }
}

/**
 * The first page Omise embeds in a parent object.
 *
 * @since 0.1.0
 * @category rendering
 */
export const firstPage = (now: number): ListWindow => ({
  offset: 0,
  limit: 20,
  from: 0,
  to: now,
  order: "chronological"
})

/**
 * A card's location, absent until it belongs to a customer.
 *
 * @since 0.1.0
 * @category rendering
 */
export const cardLocation = (card: StoredCard): string | undefined =>
  card.customer === undefined ? undefined : `/customers/${card.customer}/cards/${card.id}`

/**
 * A card in the version's shape (`deleted` marks the 2019 answer to DELETE).
 *
 * @since 0.1.0
 * @category rendering
 */
export const card = (version: Version, card: StoredCard, deleted: boolean = false): Json => {
  const location = cardLocation(card)
  if (isLegacy(version)) {
    return {
      object: "card",
      id: card.id,
      livemode: false,
      ...(location === undefined ? {} : { location }),
      ...(deleted ? { deleted: true } : {}),
      country: "",
      city: card.city,
      postal_code: card.postal_code,
      financing: "",
      bank: "",
      last_digits: card.last_digits,
      brand: card.brand,
      expiration_month: card.expiration_month,
      expiration_year: card.expiration_year,
      fingerprint: card.fingerprint,
      name: card.name,
      security_code_check: card.security_code_check,
      created: Dates.iso(card.created)
    }
  }
  return {
    object: "card",
    id: card.id,
    livemode: false,
    ...(location === undefined ? {} : { location }),
    deleted,
    street1: null,
    street2: null,
    city: card.city,
    state: null,
    phone_number: null,
    postal_code: card.postal_code,
    country: "",
    financing: "",
    bank: "",
    brand: card.brand,
    fingerprint: card.fingerprint,
    first_digits: null,
    last_digits: card.last_digits,
    name: card.name,
    expiration_month: card.expiration_month,
    expiration_year: card.expiration_year,
    security_code_check: card.security_code_check,
    tokenization_method: null,
    created_at: Dates.iso(card.created)
  }
}

/**
 * 2017-11-02 answers a delete with a stub; 2019-05-29 with the whole object marked deleted.
 *
 * @since 0.1.0
 * @category rendering
 */
export const deletedCard = (version: Version, stored: StoredCard): Json =>
  isLegacy(version) ? { object: "card", id: stored.id, livemode: false, deleted: true } : card(version, stored, true)

/**
 * A vault token with its card.
 *
 * @since 0.1.0
 * @category rendering
 */
export const token = (version: Version, token: StoredToken): Json => ({
  object: "token",
  id: token.id,
  livemode: false,
  location: `https://vault.omise.co/tokens/${token.id}`,
  used: token.used,
  ...(isLegacy(version) ? {} : { charge_status: "unknown" }),
  card: card(version, token.card),
  ...createdField(version, token.created)
})

/**
 * A customer with its first page of cards embedded.
 *
 * @since 0.1.0
 * @category rendering
 */
export const customer = (version: Version, customer: StoredCustomer, now: number, deleted: boolean = false): Json => {
  const window = firstPage(now)
  const cards = page(customer.cards, window)
  const cardList = list(version, {
    data: cards.data.map((item) => card(version, item)),
    window,
    total: cards.total,
    location: `/customers/${customer.id}/cards`,
    embedded: true
  })
  if (isLegacy(version)) {
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
    linked_accounts: list(version, {
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

/**
 * The answer to DELETE: a stub in 2017-11-02, the whole customer in 2019-05-29.
 *
 * @since 0.1.0
 * @category rendering
 */
export const deletedCustomer = (version: Version, stored: StoredCustomer, now: number): Json =>
  isLegacy(version)
    ? { object: "customer", id: stored.id, livemode: false, deleted: true }
    : customer(version, stored, now, true)

const occurrence = (version: Version, schedule: StoredSchedule, item: StoredOccurrence): Json => {
  const base = {
    object: "occurrence",
    id: item.id,
    livemode: false,
    location: `/occurrences/${item.id}`,
    schedule: schedule.id
  }
  if (isLegacy(version)) {
    return {
      ...base,
      schedule_date: Dates.isoDate(item.day),
      retry_date: null,
      processed_at: Dates.iso(item.created),
      status: "successful",
      message: null,
      result: item.result,
      created: Dates.iso(item.created)
    }
  }
  return {
    ...base,
    result: item.result,
    message: null,
    status: "successful",
    processed_at: Dates.iso(item.created),
    created_at: Dates.iso(item.created),
    scheduled_on: Dates.isoDate(item.day),
    retry_on: null,
    execute_time: null,
    split_metadata: null,
    transfer_amount: 0
  }
}

/** The next 30 dates after today, counted from the start date so `every` keeps its phase. */
const upcomingDays = (schedule: StoredSchedule, today: number): ReadonlyArray<number> => {
  const passed =
    today < schedule.startDay
      ? 0
      : Dates.occurrences(schedule.rule, schedule.every, schedule.startDay, today, 100_000).length
  return Dates.occurrences(schedule.rule, schedule.every, schedule.startDay, schedule.endDay, passed + 30).slice(passed)
}

/** `deleted`, `expired` once past the end date, else running (`active` before 2019-05-29). */
const scheduleStatus = (version: Version, schedule: StoredSchedule, now: number): string => {
  if (schedule.deleted) return "deleted"
  if (Dates.dayOf(now) > schedule.endDay) return "expired"
  return isLegacy(version) ? "active" : "running"
}

/**
 * A charge schedule with its first page of occurrences and the next 30 dates.
 *
 * @since 0.1.0
 * @category rendering
 */
export const schedule = (version: Version, schedule: StoredSchedule, now: number): Json => {
  const status = scheduleStatus(version, schedule, now)
  const window = firstPage(now)
  const occurrences = page(schedule.occurrences, window)
  const occurrenceList = list(version, {
    data: occurrences.data.map((item) => occurrence(version, schedule, item)),
    window,
    total: occurrences.total,
    location: `/schedules/${schedule.id}/occurrences`,
    embedded: true
  })
  const upcoming =
    status === "deleted" || status === "expired" ? [] : upcomingDays(schedule, Dates.dayOf(now)).map(Dates.isoDate)
  const base = {
    object: "schedule",
    id: schedule.id,
    livemode: false,
    location: `/schedules/${schedule.id}`
  }
  const charge = schedule.charge
  if (isLegacy(version)) {
    return {
      ...base,
      status,
      every: schedule.every,
      period: schedule.rule.period,
      on: schedule.on,
      in_words: Dates.inWords(schedule.rule, schedule.every),
      start_date: Dates.isoDate(schedule.startDay),
      end_date: Dates.isoDate(schedule.endDay),
      charge: {
        amount: charge.amount,
        currency: charge.currency.toLowerCase(),
        description: charge.description,
        customer: charge.customer,
        card: charge.card
      },
      occurrences: occurrenceList,
      next_occurrence_dates: upcoming,
      created: Dates.iso(schedule.created)
    }
  }
  return {
    ...base,
    deleted: schedule.deleted,
    every: schedule.every,
    occurrences: occurrenceList,
    on: schedule.on,
    in_words: Dates.inWords(schedule.rule, schedule.every),
    period: schedule.rule.period,
    status,
    active: status === "running",
    state: status === "running" ? "Active" : "Inactive",
    charge: {
      object: "scheduled_charge",
      id: charge.id,
      livemode: false,
      currency: charge.currency.toUpperCase(),
      amount: charge.amount,
      default_card: charge.card === null,
      card: charge.card,
      customer: charge.customer,
      linked_account: null,
      description: charge.description,
      metadata: charge.metadata,
      created_at: Dates.iso(schedule.created)
    },
    next_occurrences_on: upcoming,
    ended_at: schedule.endedAt === null ? null : Dates.iso(schedule.endedAt),
    start_on: Dates.isoDate(schedule.startDay),
    end_on: Dates.isoDate(schedule.endDay),
    created_at: Dates.iso(schedule.created),
    execute_time: null,
    deleted_by: null
  }
}

/**
 * A search result envelope.
 *
 * @since 0.1.0
 * @category rendering
 */
export const search = (
  version: Version,
  options: {
    readonly scope: string
    readonly query: string
    readonly filters: Readonly<Record<string, string>>
    readonly order: string
    readonly page: number
    readonly perPage: number
    readonly total: number
    readonly data: ReadonlyArray<unknown>
  }
): Json => ({
  object: "search",
  ...(isLegacy(version) ? {} : { export: null }),
  order: options.order,
  scope: options.scope,
  query: options.query,
  filters: options.filters,
  page: options.page,
  per_page: options.perPage,
  location: "/search",
  total_pages: Math.ceil(options.total / options.perPage),
  total: options.total,
  data: options.data,
  ...(isLegacy(version) ? {} : { aggregate_level: null })
})
