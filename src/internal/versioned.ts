/**
 * Decoding that accepts both API versions (2019-05-29 and 2017-11-02) and yields one model.
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"

type Json = Record<string, unknown>

const DefaultWhenAbsent = Symbol.for("effect-omise/DefaultWhenAbsent")

interface DefaultAnnotation {
  readonly value: () => unknown
  readonly whenNull: boolean
}

/**
 * Marks a field that older API versions leave out: when the key is absent (or `null`, with
 * `whenNull`) the value from `value()` stands in, and then decodes like any other.
 *
 * This replaces `Schema.optionalWith(..., { default })`, whose per-field transformation costs
 * several times a plain field on every decode; the defaults are applied in the one pass that
 * also renames the 2017 keys.
 *
 * @since 0.1.0
 */
export const withDefault = <A, I, R>(
  schema: Schema.Schema<A, I, R>,
  value: () => I,
  options: { readonly whenNull?: boolean } = {}
): Schema.Schema<A, I, R> =>
  schema.annotations({
    [DefaultWhenAbsent]: { value, whenNull: options.whenNull ?? false } satisfies DefaultAnnotation
  })

const defaultOf = (schema: unknown): DefaultAnnotation | undefined => {
  if (!Schema.isSchema(schema)) return undefined
  const found = SchemaAST.getAnnotation<DefaultAnnotation>(DefaultWhenAbsent)(schema.ast)
  return Option.getOrUndefined(found)
}

/**
 * How a 2017-11-02 (or older) object becomes a 2019-05-29 one.
 *
 * @since 0.1.0
 */
export interface Upgrade {
  /** Old key → new key; moved only when the new key is absent. */
  readonly renames?: Readonly<Record<string, string>>
  /** Anything else, after renames and defaults. */
  readonly upgrade?: (input: Json) => Json
}

/**
 * Builds the encoded side of a model so that bodies of either API version decode into it: one
 * pass renames 2017-11-02 keys to their 2019-05-29 names and fills fields marked
 * {@link withDefault}, then every field is checked by its schema.
 *
 * `Schema.Class` accepts any schema that carries `fields` as its encoded side; declaring it as the
 * plain `Struct` keeps the class's own types (fields, constructor) exactly those of the model.
 *
 * @since 0.1.0
 */
export const versionTolerant = <Fields extends Schema.Struct.Fields>(
  fields: Fields,
  options: Upgrade = {}
): Schema.Struct<Fields> => {
  const renames = Object.entries(options.renames ?? {})
  const defaults = Object.entries(fields).flatMap(([key, schema]) => {
    const annotation = defaultOf(schema)
    return annotation === undefined ? [] : [[key, annotation] as const]
  })
  const extra = options.upgrade
  const upgrade = (input: Json): Json => {
    let output: Json | undefined
    for (const [from, to] of renames) {
      if (from in input && !(to in input)) {
        output ??= { ...input }
        output[to] = output[from]
        delete output[from]
      }
    }
    for (const [key, { value, whenNull }] of defaults) {
      const current = (output ?? input)[key]
      if (current === undefined || (whenNull && current === null)) {
        output ??= { ...input }
        output[key] = value()
      }
    }
    const upgraded = output ?? input
    return extra === undefined ? upgraded : extra(upgraded)
  }
  // One layer, not a transformation: it upgrades a JSON object and hands it to the fields'
  // parser, which reports every issue with its path as usual. Every layer costs on each of the
  // thousands of objects a stream decodes. On the type side (a decoded model) the fields are
  // already in their 2019-05-29 form, so the upgrade changes nothing there.
  const wire = Schema.declare(
    [Schema.Struct(fields)],
    {
      decode: (struct) => {
        const decode = ParseResult.decodeUnknown(struct)
        return (input, options, ast) =>
          Predicate.isRecord(input)
            ? decode(upgrade(input), options)
            : ParseResult.fail(new ParseResult.Type(ast, input))
      },
      encode: (struct) => ParseResult.encodeUnknown(struct)
    },
    {
      description: "a JSON object of either API version",
      arbitrary: (struct) => struct,
      pretty: (struct) => struct,
      equivalence: (struct) => struct
    }
  )
  return Object.assign(wire, { fields }) as unknown as Schema.Struct<Fields>
}
