/**
 * Validation of operation arguments before anything is sent.
 *
 * @since 0.1.0
 */
import type * as Brand from "effect/Brand"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import { OmiseInvalidArgumentError } from "../OmiseError.js"
import { maxDepth, nestingProblem } from "./nesting.js"

// Issues quote the value they reject; a 10 MB argument must not make a 10 MB error message.
const maxDetail = 1000

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

const describeIssue = (issue: SchemaIssue.Issue): string => {
  const text = formatter(issue)
    .issues.map(({ message, path }) =>
      path === undefined || path.length === 0
        ? message
        : `${path.map((key) => String(typeof key === "object" ? key.key : key)).join(".")}: ${message}`
    )
    .join("; ")
  return text.length > maxDetail ? `${text.slice(0, maxDetail)}…` : text
}

/**
 * Decodes an argument with `schema`, failing with `OmiseInvalidArgumentError` (and nothing else)
 * when it does not fit. Unknown keys are rejected: a misspelt parameter must not be dropped silently.
 * A cyclic or absurdly deep argument is rejected before the schema sees it, because decoding it
 * would overflow the stack (see `nesting.ts`).
 *
 * @since 0.1.0
 */
export const validate = <A>(operation: string, argument: string, schema: Schema.Decoder<A>) => {
  const decode = Schema.decodeUnknownResult(schema)
  const options = { errors: "all", onExcessProperty: "error" } as const
  return (input: unknown): Effect.Effect<A, OmiseInvalidArgumentError> => {
    const problem = nestingProblem(input)
    if (problem !== undefined) {
      const detail =
        problem === "cyclic"
          ? "a cyclic value cannot be sent as JSON"
          : `nested deeper than ${maxDepth} levels of arrays and objects`
      return Effect.fail(new OmiseInvalidArgumentError({ operation, argument, detail }))
    }
    const result = decode(input, options)
    return Result.isSuccess(result)
      ? Effect.succeed(result.success)
      : Effect.fail(new OmiseInvalidArgumentError({ operation, argument, detail: describeIssue(result.failure.issue) }))
  }
}

/**
 * A string id of the form `<prefix>_...` made of ASCII letters, digits and underscores only, so
 * that it can never change the path it is placed in (no `/`, `?`, `#`, `..`, `%`, whitespace or
 * control characters).
 *
 * @since 0.1.0
 */
export const idPattern = (prefix: string): RegExp => new RegExp(`^${prefix}_[A-Za-z0-9_]{1,128}$`)

/**
 * The schema of a branded id `<prefix>_...` (see {@link idPattern}): a string with one pattern
 * check, branded. Ids are checked on every item of every page, so the check is a single regular
 * expression; the pattern also gives JSON Schema and generated ids for free. Whatever is wrong
 * (not a string, or not such an id), the message names the id expected.
 *
 * @since 0.1.0
 */
export const Id = <B extends string>(
  prefix: string,
  brand: B,
  example: string
): Schema.Codec<string & Brand.Brand<B>, string> => {
  const message = `Expected ${example} (letters, digits, _)`
  // On the wire an id is any string; only the decoded value carries the brand.
  return Schema.String.annotate({ message }).pipe(
    Schema.check(Schema.isPattern(idPattern(prefix), { message })),
    // A generic `B` cannot be shown to be a single literal; every caller passes one.
    Schema.brand<B>(brand as never),
    Schema.annotate({ identifier: brand, description: `${example} (${prefix}_ then letters, digits, _)` })
  )
}
