/**
 * Field schemas shared by the models and parameters.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import { withDefault } from "./versioned.js"

// Instants already decoded, by their text. A page repeats a few timestamps many times (each
// embedded list echoes the request's `from` and `to`), and building a `DateTime` costs several
// times a lookup. Sharing one is safe: a `DateTime` is immutable. Emptied when full, so it stays
// small whatever passes through.
const instants = new Map<string, DateTime.Utc>()
const instantsKept = 512

const instantOf = (text: string): DateTime.Utc | undefined => {
  const known = instants.get(text)
  if (known !== undefined) return known
  const made = DateTime.make(text)
  if (Option.isNone(made)) return undefined
  const utc = DateTime.toUtc(made.value)
  if (instants.size >= instantsKept) instants.clear()
  instants.set(text, utc)
  return utc
}

/**
 * An ISO 8601 timestamp on the wire, a `DateTime.Utc` in the model. Accepts `Z` and `+00:00`.
 *
 * @since 0.1.0
 */
export const Timestamp: Schema.Schema<DateTime.Utc, string> = Schema.transformOrFail(
  Schema.String,
  Schema.DateTimeUtcFromSelf,
  {
    strict: true,
    decode: (text, _, ast) => {
      const utc = instantOf(text)
      return utc === undefined
        ? ParseResult.fail(
            // Quoted short: a timestamp is ~25 characters, a broken body may put megabytes here.
            new ParseResult.Type(
              ast,
              text,
              `Expected an ISO 8601 date and time, got ${JSON.stringify(text.slice(0, 40))}`
            )
          )
        : ParseResult.succeed(utc)
    },
    encode: (utc) => ParseResult.succeed(DateTime.formatIso(utc))
  }
).annotations({ identifier: "Timestamp", description: "an ISO 8601 date and time" })

/**
 * A date without time (`YYYY-MM-DD`), kept as such: it names a calendar day, not an instant.
 *
 * @since 0.1.0
 */
export const IsoDate = Schema.String.pipe(
  Schema.pattern(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/),
  Schema.brand("IsoDate")
)

/**
 * @since 0.1.0
 */
export type IsoDate = typeof IsoDate.Type

/**
 * A JSON value, as metadata may hold. Rejects what JSON cannot carry (functions, `undefined`,
 * `NaN`, infinities, bigints, symbols), so that what is sent is what was given.
 *
 * @since 0.1.0
 */
export type JsonValue =
  string | number | boolean | null | ReadonlyArray<JsonValue> | { readonly [key: string]: JsonValue }

const isPlainObject = (u: unknown): boolean => {
  if (typeof u !== "object" || u === null || Array.isArray(u)) return false
  const proto: unknown = Object.getPrototypeOf(u)
  // `{}`, `Object.create(null)`, or a plain object from another realm.
  return proto === null || Object.getPrototypeOf(proto) === null
}

/**
 * A JSON object whose values decode with `value`. Only plain objects qualify: a `Date`, `Map`,
 * `Set`, typed array or class instance is an object too, but what it holds is not (or not only)
 * its own enumerable fields, so it would reach Omise as `{}` or mangled instead of being refused.
 *
 * @since 0.1.0
 */
export const JsonObject = <A>(value: Schema.Schema<A>): Schema.Schema<{ readonly [key: string]: A }> =>
  Schema.compose(
    // Checks the shape only; the record after it checks every value. The record is rebuilt key
    // by key, where a key named `__proto__` would set the copy's prototype instead and vanish
    // from what is sent: such an object is refused.
    Schema.declare(
      (u: unknown): u is { readonly [key: string]: A } =>
        isPlainObject(u) && !Object.prototype.hasOwnProperty.call(u, "__proto__"),
      {
        identifier: "JsonObject",
        description: "a plain JSON object (without a key named __proto__)"
      }
    ),
    Schema.Record({ key: Schema.String, value })
  )

/**
 * @since 0.1.0
 */
export const JsonValue: Schema.Schema<JsonValue> = Schema.Union(
  Schema.String,
  Schema.Finite,
  Schema.Boolean,
  Schema.Null,
  Schema.Array(Schema.suspend(() => JsonValue)),
  JsonObject(Schema.suspend(() => JsonValue))
)

/**
 * A JSON object from a response, any values: kept as parsed, not copied. A copy built key by key
 * (as `Schema.Record` builds one) would turn a key named `__proto__` into the copy's prototype,
 * losing the key and exposing its value as inherited properties.
 *
 * @since 0.1.0
 */
export const ParsedObject: Schema.Schema<{ readonly [key: string]: unknown }> = Schema.declare(
  (u: unknown): u is { readonly [key: string]: unknown } => Predicate.isRecord(u),
  {
    identifier: "ParsedObject",
    description: "a JSON object",
    arbitrary: () => (fc) => fc.dictionary(fc.string(), fc.jsonValue()),
    pretty: () => (object) => JSON.stringify(object)
  }
)

/**
 * Metadata as the API returns it: a JSON object, `{}` when empty.
 *
 * @since 0.1.0
 */
export const Metadata = ParsedObject

/**
 * Metadata as a caller may send it: a plain JSON object (not an array, not null, not a `Map`).
 *
 * @since 0.1.0
 */
export const MetadataInput = JsonObject(JsonValue)

/**
 * A currency code; 2017-11-02 sends it lower-case, the model holds it upper-case.
 *
 * @since 0.1.0
 */
export const Currency = Schema.transform(Schema.String, Schema.Uppercased, {
  strict: true,
  decode: (s) => s.toUpperCase(),
  encode: (s) => s
})

/**
 * A string or `null`. Declared with one predicate rather than as `NullOr(String)`: decoding runs
 * for every field of every item of every page, and the union costs twice as much.
 *
 * @since 0.1.0
 */
export const NullableString: Schema.Schema<string | null> = Schema.declare(
  (u: unknown): u is string | null => u === null || typeof u === "string",
  {
    identifier: "NullableString",
    description: "a string or null",
    arbitrary: () => (fc) => fc.option(fc.string(), { nil: null }),
    pretty: () => (value) => (value === null ? "null" : JSON.stringify(value))
  }
)

/**
 * A nullable field that older API versions leave out: absent decodes to `null`.
 *
 * @since 0.1.0
 */
export const nullable = <A, I, R>(schema: Schema.Schema<A, I, R>): Schema.Schema<A | null, I | null, R> =>
  withDefault(Schema.NullOr(schema), () => null)

/**
 * A nullable string that older API versions leave out: absent decodes to `null`.
 *
 * @since 0.1.0
 */
export const nullableString: Schema.Schema<string | null> = withDefault(NullableString, () => null)

/**
 * The sort order of lists and searches.
 *
 * @since 0.1.0
 */
export const Order = Schema.Literal("chronological", "reverse_chronological")

/**
 * A point in time a caller gives: a `DateTime`, a `Date` or an ISO 8601 string. Sent as ISO 8601 UTC.
 *
 * @since 0.1.0
 */
export const TimestampInput = Schema.transformOrFail(
  Schema.Union(Schema.DateTimeUtcFromSelf, Schema.DateTimeZonedFromSelf, Schema.DateFromSelf, Schema.String),
  Schema.DateTimeUtcFromSelf,
  {
    strict: true,
    decode: (input, _, ast) =>
      Option.match(DateTime.make(input), {
        onNone: () => ParseResult.fail(new ParseResult.Type(ast, input, "Expected a valid date and time")),
        onSome: (dt) => ParseResult.succeed(DateTime.toUtc(dt))
      }),
    encode: (dt) => ParseResult.succeed(dt)
  }
)

/**
 * A count that the API takes as an integer: a safe, non-negative integer.
 *
 * @since 0.1.0
 */
export const Count: Schema.Schema<number> = Schema.declare(
  // One predicate, not an Int refinement under two bounds: counts are on every page and list.
  (u: unknown): u is number => Number.isSafeInteger(u) && (u as number) >= 0,
  {
    identifier: "Count",
    description: "a non-negative safe integer",
    message: () => "Expected a non-negative safe integer",
    arbitrary: () => (fc) => fc.nat(),
    pretty: () => (n) => String(n),
    jsonSchema: { type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER }
  }
)
