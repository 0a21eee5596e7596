/**
 * Decoding that accepts both API versions (2019-05-29 and 2017-11-02) and yields one model.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

type Json = Record<string, unknown>

const JsonObject = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/**
 * Builds the encoded side of a model class so that bodies of either API version decode into it:
 * `upgrade` rewrites a 2017-11-02 object into the 2019-05-29 names before the fields are checked.
 *
 * `Schema.Class` accepts any schema that carries `fields` as its encoded side; declaring it as the
 * plain `Struct` keeps the class's own types (fields, constructor) exactly those of the model.
 *
 * @since 0.1.0
 */
export const versionTolerant = <Fields extends Schema.Struct.Fields>(
  fields: Fields,
  upgrade: (input: Json) => Json
): Schema.Struct<Fields> => {
  const upgraded = Schema.transform(JsonObject, JsonObject, { strict: true, decode: upgrade, encode: (a) => a })
  const wire = Schema.compose(upgraded, Schema.Struct(fields), { strict: false })
  return Object.assign(wire, { fields }) as unknown as Schema.Struct<Fields>
}

/**
 * Renames keys whose 2019 name is absent; values under the old name move to the new one.
 *
 * @since 0.1.0
 */
export const renameKeys =
  (renames: Readonly<Record<string, string>>) =>
  (input: Json): Json => {
    let output: Json | undefined
    for (const from in renames) {
      const to = renames[from]!
      if (from in input && !(to in input)) {
        output ??= { ...input }
        output[to] = output[from]
        delete output[from]
      }
    }
    return output ?? input
  }
