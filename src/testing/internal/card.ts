/**
 * Cards: born on the vault with a token, validated as the vault validates them, later attached
 * to a customer; and their JSON in each version.
 *
 * @since 0.2.0
 */
import * as Result from "effect/Result"
import * as CardNumber from "./cardNumber.js"
import * as Dates from "./dates.js"
import * as Failure from "./failure.js"
import * as Render from "./render.js"
import type * as State from "./state.js"

/**
 * A card as entered on the vault.
 *
 * @since 0.2.0
 * @category models
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
 * A card as stored.
 *
 * @since 0.2.0
 * @category models
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
 * The card used when seeding leaves a field out: a Visa test number that never expires.
 *
 * @since 0.2.0
 * @category models
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
 * `input` over {@link defaultCard}, fields given as `undefined` taking the default.
 *
 * @since 0.2.0
 * @category models
 */
export const withDefaults = (input: CardInput): CardInput => {
  const out: Record<string, unknown> = { ...defaultCard }
  for (const [key, value] of Object.entries(input)) if (value !== undefined) out[key] = value
  return out as CardInput
}

// Seeding gives every card the default number: its fingerprint, a public test number's, once.
const defaultFingerprint = CardNumber.fingerprint(defaultCard.number)

const invalid = (message: string) => Failure.badRequest(message, "invalid_card")

/**
 * Validates a card the way the vault does and builds it, attached to no one.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (ids: State.Ids, input: CardInput, now: number): Result.Result<StoredCard, Failure.ApiFailure> => {
  const number = input.number === undefined ? undefined : CardNumber.normalise(input.number)
  if (number === undefined || !CardNumber.luhn(number)) return Result.fail(invalid("number is invalid"))
  const brand = CardNumber.brand(number)
  if (brand === undefined) return Result.fail(invalid("number is invalid and brand not supported (unknown)"))
  if (input.name === undefined || input.name.trim() === "") return Result.fail(invalid("name can't be blank"))
  const month = input.expiration_month
  const year = input.expiration_year
  if (month === undefined || !Number.isInteger(month) || month < 1 || month > 12) {
    return Result.fail(invalid("expiration month is not between 1 and 12"))
  }
  if (year === undefined || !Number.isInteger(year) || year < 1000 || year > 9999) {
    return Result.fail(invalid("expiration year is invalid"))
  }
  const today = new Date(now)
  if (year < today.getUTCFullYear() || (year === today.getUTCFullYear() && month < today.getUTCMonth() + 1)) {
    return Result.fail(invalid("expiration date cannot be in the past"))
  }
  if (input.security_code !== undefined && !/^\d{3,4}$/.test(input.security_code)) {
    return Result.fail(invalid("security code is invalid"))
  }
  const { id, seq } = ids.next("card")
  return Result.succeed({
    id,
    seq,
    created: now,
    customer: undefined,
    brand,
    last_digits: number.slice(-4),
    fingerprint: number === defaultCard.number ? defaultFingerprint : CardNumber.fingerprint(number),
    name: input.name,
    expiration_month: month,
    expiration_year: year,
    postal_code: input.postal_code ?? null,
    city: input.city ?? null,
    security_code_check: input.security_code !== undefined
  })
}

/**
 * A card in the version's shape (`deleted` marks the 2019 answer to DELETE).
 *
 * @since 0.2.0
 * @category rendering
 */
export const render = (version: Render.Version, card: StoredCard, deleted: boolean = false): Render.Json => {
  const location = card.customer === undefined ? undefined : `/customers/${card.customer}/cards/${card.id}`
  if (Render.isLegacy(version)) {
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
 * 2017-11-02 answers a delete with a stub; 2019-05-29 with the whole card marked deleted.
 *
 * @since 0.2.0
 * @category rendering
 */
export const renderDeleted = (version: Render.Version, card: StoredCard): Render.Json =>
  Render.isLegacy(version)
    ? { object: "card", id: card.id, livemode: false, deleted: true }
    : render(version, card, true)
