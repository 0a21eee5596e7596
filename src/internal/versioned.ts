/**
 * Decoding that accepts both API versions (2019-05-29 and 2017-11-02) and yields one model.
 *
 * @since 0.1.0
 */
import { identity } from "effect/Function"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"
import * as SchemaTransformation from "effect/SchemaTransformation"

type Json = Record<string, unknown>

const DefaultWhenAbsent = "effect-omise/defaultWhenAbsent"

interface DefaultAnnotation {
  readonly value: () => unknown
  readonly whenNull: boolean
}

const isDefaultAnnotation = (u: unknown): u is DefaultAnnotation =>
  Predicate.hasProperty(u, "value") && typeof u.value === "function"

/**
 * Marks a field that older API versions leave out: when the key is absent (or `null`, with
 * `whenNull`) the value from `value()` stands in, and then decodes like any other.
 *
 * Only a mark (an annotation): the defaults are applied by {@link versionTolerant} in the one pass
 * over the object that also renames the 2017 keys, instead of one transformation per field
 * (`Schema.withDecodingDefaultKey`), which costs on every field of every item of every page.
 *
 * @since 0.1.0
 */
export const withDefault = <S extends Schema.Top>(
  schema: S,
  value: () => S["Encoded"],
  options: { readonly whenNull?: boolean } = {}
): S["Rebuild"] =>
  schema.annotate({
    [DefaultWhenAbsent]: { value, whenNull: options.whenNull ?? false } satisfies DefaultAnnotation
  })

const defaultOf = (schema: { readonly ast: SchemaAST.AST }): DefaultAnnotation | undefined => {
  const found = schema.ast.annotations?.[DefaultWhenAbsent]
  return isDefaultAnnotation(found) ? found : undefined
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
 * The struct of `fields` (2019-05-29 names), whose decoding first upgrades its input: one pass
 * renames 2017-11-02 keys to their 2019-05-29 names and fills the fields marked
 * {@link withDefault}, then the struct checks every field as usual, reporting each issue with
 * its path.
 *
 * The upgrade is an encoding link in front of the struct (from any value, which the struct then
 * checks), so the result is still the `Struct` of `fields`: `Schema.Class` takes it as is, its
 * type side (constructor, `Schema.is`, arbitraries) is exactly the model's, and encoding gives
 * the 2019-05-29 form. One link rather than `Schema.encodeKeys` plus per-field defaults because
 * either name of a renamed key must be accepted, and every layer costs on each of the thousands
 * of objects a stream decodes.
 *
 * @since 0.1.0
 */
export const versionTolerant = <const Fields extends Schema.Struct.Fields>(
  fields: Fields,
  options: Upgrade = {}
): Schema.Struct<Fields> => {
  const struct = Schema.Struct(fields)
  const renames = Object.entries(options.renames ?? {})
  const defaults = Object.entries(fields).flatMap(([key, schema]) => {
    const annotation = defaultOf(schema)
    return annotation === undefined ? [] : [[key, annotation] as const]
  })
  const extra = options.upgrade
  const upgrade = (input: Json): Json => {
    let output: Json | undefined
    for (const [from, to] of renames) {
      if (Object.hasOwn(input, from) && !Object.hasOwn(input, to)) {
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
  // Anything but a plain record passes through untouched for the struct to reject with its usual
  // message. Encoding needs nothing: the model is already in 2019-05-29 form.
  const ast = SchemaAST.decodeTo(
    Schema.Unknown.ast,
    struct.ast,
    SchemaTransformation.transform<unknown, unknown>({
      decode: (input) => (Predicate.isObject(input) ? upgrade(input) : input),
      encode: identity
    })
  )
  return struct.rebuild(ast)
}
