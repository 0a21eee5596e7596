/**
 * Field schemas shared by the models and parameters.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import { identity } from "effect/Function"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import * as SchemaTransformation from "effect/SchemaTransformation"
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
  // The strict check first: `DateTime.make` (`Date.parse`) would take "1" for 2001-01-01 and roll
  // 2024-02-30 over to March 1st. Only a miss pays for it.
  if (!isIsoTimestamp(text) && !isExpandedYear(text)) return undefined
  const made = DateTime.make(text.toUpperCase())
  if (Option.isNone(made)) return undefined
  const utc = DateTime.toUtc(made.value)
  if (instants.size >= instantsKept) instants.clear()
  instants.set(text, utc)
  return utc
}

// ISO 8601's expanded years (`+010000-01-01T00:00:00Z`, `-000001-...`), which `DateTime.formatIso`
// writes outside 0000–9999, so that every model encodes and decodes back: the rest is checked as
// the same date in a year of the same kind (leap or not).
const isExpandedYear = (text: string): boolean => {
  const match = /^[+-]\d{6}(?=-)/.exec(text)
  if (match === null) return false
  const year = Number(match[0])
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return isIsoTimestamp((leap ? "2000" : "2001") + text.slice(7))
}

/**
 * An ISO 8601 timestamp on the wire, a `DateTime.Utc` in the model. Accepts `Z` and `+00:00`.
 *
 * @since 0.1.0
 */
export const Timestamp: Schema.Codec<DateTime.Utc, string> = Schema.String.pipe(
  Schema.decodeTo(
    Schema.DateTimeUtc,
    SchemaTransformation.transformEffect({
      decode: (text: string) => {
        const utc = instantOf(text)
        return utc === undefined
          ? Effect.fail(
              // Quoted short: a timestamp is ~25 characters, a broken body may put megabytes here.
              new SchemaIssue.InvalidValue(
                { message: `Expected an ISO 8601 date and time, got ${JSON.stringify(text.slice(0, 40))}` },
                text
              )
            )
          : Effect.succeed(utc)
      },
      encode: (utc: DateTime.Utc) => Effect.succeed(DateTime.formatIso(utc))
    })
  ),
  Schema.annotate({ identifier: "Timestamp", description: "an ISO 8601 date and time" })
)

/**
 * A date without time (`YYYY-MM-DD`), kept as such: it names a calendar day, not an instant.
 *
 * @since 0.1.0
 */
export const IsoDate = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { expected: "a date such as 2024-01-31" })
  ),
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

// The shape only (the record after it checks the values), hence typed by what comes next.
const plainObject = <A>() =>
  Schema.declare(
    (u: unknown): u is { readonly [key: string]: A } =>
      isPlainObject(u) && !Object.prototype.hasOwnProperty.call(u, "__proto__"),
    {
      expected: "a plain JSON object (without a key named __proto__)"
    }
  )

/**
 * A JSON object whose values decode with `value`. Only plain objects qualify: a `Date`, `Map`,
 * `Set`, typed array or class instance is an object too, but what it holds is not (or not only)
 * its own enumerable fields, so it would reach Omise as `{}` or mangled instead of being refused.
 *
 * @since 0.1.0
 */
export const JsonObject = <A>(value: Schema.Codec<A>): Schema.Codec<{ readonly [key: string]: A }> =>
  // The shape is checked first, then the record checks every value. A key named `__proto__`
  // would set a copy's prototype instead of being sent (or, kept, surprise whoever reads the
  // object back): such an object is refused.
  plainObject<A>().pipe(Schema.decodeTo(Schema.Record(Schema.String, value)))

/**
 * @since 0.1.0
 */
export const JsonValue: Schema.Codec<JsonValue> = Schema.Union([
  Schema.String,
  Schema.Finite,
  Schema.Boolean,
  Schema.Null,
  Schema.Array(Schema.suspend((): Schema.Codec<JsonValue> => JsonValue)),
  JsonObject(Schema.suspend((): Schema.Codec<JsonValue> => JsonValue))
])

/**
 * A JSON object from a response, any values: kept as parsed, not copied. A copy built key by key
 * could turn a key named `__proto__` into the copy's prototype, losing the key and exposing its
 * value as inherited properties.
 *
 * @since 0.1.0
 */
export const ParsedObject: Schema.Codec<{ readonly [key: string]: unknown }> = Schema.declare(
  (u: unknown): u is { readonly [key: string]: unknown } => Predicate.isObject(u),
  {
    expected: "a JSON object",
    toCodecArbitrary: () =>
      Schema.link<{ readonly [key: string]: unknown }>()(
        Schema.Record(Schema.String, Schema.Json),
        SchemaTransformation.passthroughSubtype<
          { readonly [key: string]: unknown },
          { readonly [key: string]: Schema.Json }
        >()
      ),
    toFormatter: () => (object) => JSON.stringify(object)
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
export const Currency: Schema.Codec<string> = Schema.String.pipe(
  Schema.decodeTo(
    Schema.String.check(Schema.isUppercased()),
    SchemaTransformation.transform({ decode: (s: string) => s.toUpperCase(), encode: identity })
  )
)

/**
 * A string or `null`. Declared with one predicate rather than as `NullOr(String)`: decoding runs
 * for every field of every item of every page, and a union costs more than one test.
 *
 * @since 0.1.0
 */
export const NullableString: Schema.Codec<string | null> = Schema.declare(
  (u: unknown): u is string | null => u === null || typeof u === "string",
  {
    expected: "a string or null",
    toCodecArbitrary: () =>
      Schema.link<string | null>()(Schema.NullOr(Schema.String), SchemaTransformation.passthrough()),
    toFormatter: () => (value) => (value === null ? "null" : JSON.stringify(value))
  }
)

/**
 * A nullable field that older API versions leave out: absent decodes to `null`.
 *
 * @since 0.1.0
 */
export const nullable = <A, I>(schema: Schema.Codec<A, I>): Schema.Codec<A | null, I | null> =>
  withDefault(Schema.NullOr(schema), () => null)

/**
 * A nullable string that older API versions leave out: absent decodes to `null`.
 *
 * @since 0.1.0
 */
export const nullableString: Schema.Codec<string | null> = withDefault(NullableString, () => null)

/**
 * The sort order of lists and searches.
 *
 * @since 0.1.0
 */
export const Order = Schema.Literals(["chronological", "reverse_chronological"])

/**
 * A point in time a caller gives: a `DateTime`, a valid `Date`, or an ISO 8601 / RFC 3339 string
 * — a date (`2024-03-07`, midnight UTC) or a date and time with its offset
 * (`2024-03-07T10:00:00Z`, `2024-03-07T17:00:00+07:00`, seconds and fractions optional). Nothing
 * else: `Date.parse` reads `"1"` as 2001-01-01 and rolls `2024-02-30` over to March, so a string
 * is checked field by field, calendar included, before it is read. Sent as ISO 8601 UTC.
 *
 * @since 0.1.0
 */
export const TimestampInput: Schema.Codec<DateTime.Utc, DateTime.DateTime | Date | string> = Schema.declare(
  // One test for the three shapes, so that a wrong value gets one message rather than three.
  (u: unknown): u is DateTime.DateTime | Date | string =>
    typeof u === "string" || u instanceof Date || DateTime.isDateTime(u),
  {
    expected: "a DateTime, a Date or an ISO 8601 string",
    toCodecArbitrary: () =>
      Schema.link<DateTime.DateTime | Date | string>()(Schema.DateTimeUtc, SchemaTransformation.passthroughSubtype())
  }
).pipe(
  Schema.decodeTo(
    Schema.DateTimeUtc,
    SchemaTransformation.transformEffect({
      decode: (input: DateTime.DateTime | Date | string) => {
        const made =
          typeof input === "string"
            ? isIsoTimestamp(input)
              ? DateTime.make(input.toUpperCase())
              : Option.none()
            : DateTime.make(input)
        return Option.match(made, {
          onNone: () =>
            Effect.fail(
              new SchemaIssue.InvalidValue(
                {
                  message:
                    typeof input === "string"
                      ? `Expected an ISO 8601 date (2024-03-07) or date and time with offset (2024-03-07T10:00:00Z), got ${JSON.stringify(input.slice(0, 40))}`
                      : "Expected a valid date and time"
                },
                input
              )
            ),
          onSome: (dt) => Effect.succeed(DateTime.toUtc(dt))
        })
      },
      encode: (dt: DateTime.Utc) => Effect.succeed(dt)
    })
  )
)

const isoTimestamp =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:[Zz]|[+-](\d{2}):(\d{2})))?$/

// The fields of an ISO 8601 date or date and time, each within its range: the pattern alone
// lets through February 30th and hour 25.
const isIsoTimestamp = (text: string): boolean => {
  const match = isoTimestamp.exec(text)
  if (match === null) return false
  const [year, month, day, hour = 0, minute = 0, second = 0, offsetHours = 0, offsetMinutes = 0] = match
    .slice(1)
    .map((field) => (field === undefined ? undefined : Number(field)))
  const leap = year! % 4 === 0 && (year! % 100 !== 0 || year! % 400 === 0)
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month! - 1]
  return (
    days !== undefined &&
    day! >= 1 &&
    day! <= days &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59
  )
}

/**
 * A count that the API takes as an integer: a safe, non-negative integer.
 *
 * @since 0.1.0
 */
export const Count: Schema.Codec<number> = Schema.declare(
  // One predicate, not an Int check under two bounds: counts are on every page and list.
  (u: unknown): u is number => Number.isSafeInteger(u) && (u as number) >= 0,
  {
    expected: "a non-negative safe integer",
    toCodecArbitrary: () =>
      Schema.link<number>()(
        Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
        SchemaTransformation.passthrough()
      ),
    toFormatter: () => (n) => String(n)
  }
)
