/**
 * A card saved on a customer, and the parameters to update one.
 *
 * Cards are created by tokenising a card on the vault (`POST /tokens` with the public key) and
 * passing the token as `card` to `Customer.create` or `Customer.update`.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Id } from "./internal/arguments.js"
import { compiled } from "./internal/compiled.js"
import { nullableString, Timestamp } from "./internal/fields.js"
import { versionTolerant, withDefault } from "./internal/versioned.js"

/**
 * A card id (`card_...`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CardId = Id("card", "CardId", "a card id such as card_test_5xyz")

/**
 * @since 0.1.0
 * @category models
 */
export type CardId = typeof CardId.Type

/**
 * A card token id (`tokn_...`), single use.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TokenId = Id("tokn", "TokenId", "a card token such as tokn_test_5xyz")

/**
 * @since 0.1.0
 * @category models
 */
export type TokenId = typeof TokenId.Type

const fields = {
  object: Schema.Literal("card"),
  id: CardId,
  livemode: Schema.Boolean,
  /** `/customers/{customer}/cards/{card}`; absent on cards not attached to a customer. */
  location: Schema.optional(Schema.String),
  deleted: withDefault(Schema.Boolean, () => false),
  /** Card brand: `Visa`, `MasterCard`, `JCB`, ... */
  brand: Schema.String,
  /** Identical card numbers share a fingerprint. */
  fingerprint: Schema.String,
  first_digits: nullableString,
  last_digits: Schema.String,
  name: nullableString,
  expiration_month: Schema.Int,
  expiration_year: Schema.Int,
  /** Two-letter country code (lower-case) or `""`. */
  country: withDefault(Schema.String, () => "", { whenNull: true }),
  city: nullableString,
  postal_code: nullableString,
  state: nullableString,
  street1: nullableString,
  street2: nullableString,
  phone_number: nullableString,
  bank: nullableString,
  /** `credit`, `debit`, `prepaid` or `""`. */
  financing: withDefault(Schema.String, () => "", { whenNull: true }),
  security_code_check: withDefault(Schema.Boolean, () => false),
  /** `applepay`, `googlepay`, ... or `null` for a plain card. */
  tokenization_method: nullableString,
  email: Schema.optional(Schema.NullOr(Schema.String)),
  created_at: Timestamp
}

/**
 * A card. Decodes both API versions (`created` and `created_at`).
 *
 * @since 0.1.0
 * @category models
 */
export class Card extends Schema.Class<Card>("Card")(versionTolerant(fields, { renames: { created: "created_at" } })) {}
compiled(Card)

/**
 * A deleted card: the 2019-05-29 full object and the 2017-11-02 stub both decode to this.
 *
 * @since 0.1.0
 * @category models
 */
export class DeletedCard extends Schema.Class<DeletedCard>("DeletedCard")({
  object: Schema.Literal("card"),
  id: CardId,
  livemode: Schema.Boolean,
  deleted: Schema.Literal(true)
}) {}
compiled(DeletedCard)

/**
 * Parameters of `Customer.updateCard`; everything else about a card is fixed by its number.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UpdateCardParams = Schema.Struct({
  name: Schema.optional(Schema.String),
  /** 1..12. */
  expiration_month: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 12 }))),
  /** Four digits. */
  expiration_year: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 1000, maximum: 9999 }))),
  postal_code: Schema.optional(Schema.String),
  city: Schema.optional(Schema.String)
})

/**
 * What a caller passes to `Customer.updateCard`.
 *
 * @since 0.1.0
 * @category models
 */
export type UpdateCardParams = typeof UpdateCardParams.Encoded
