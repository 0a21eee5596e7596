/**
 * Validation of operation arguments before anything is sent.
 *
 * @since 0.1.0
 * @internal
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

// An optional field's schema is a union with `undefined`: its issue says "Expected string |
// undefined" (or, beside the real issue, "Expected undefined"). Leaving a field out is always
// allowed, so that clause tells the caller nothing: each field's issues are said once, without it.
const withoutOptional = (message: string): string =>
  message.replace(/ \| undefined\b/g, "").replace(/\bundefined \| /g, "")

const describeIssue = (issue: SchemaIssue.Issue): string => {
  const byPath = new Map<string, Array<string>>()
  for (const { message, path } of formatter(issue).issues) {
    const where = path === undefined ? "" : path.map((key) => String(typeof key === "object" ? key.key : key)).join(".")
    const said = byPath.get(where) ?? []
    const text = withoutOptional(message)
    if (!said.includes(text)) said.push(text)
    byPath.set(where, said)
  }
  const text = [...byPath]
    .flatMap(([where, messages]) => {
      const informative = messages.length > 1 ? messages.filter((m) => !m.startsWith("Expected undefined")) : messages
      return informative.map((message) => (where === "" ? message : `${where}: ${message}`))
    })
    .join("; ")
  return text.length > maxDetail ? `${text.slice(0, maxDetail)}…` : text
}

// What a throwing getter or Proxy trap threw, said briefly: its message is the caller's text,
// reading anything more of it could throw again.
const unreadable = (thrown: unknown): string => {
  const message = Result.try(() =>
    thrown instanceof Error && typeof thrown.message === "string" ? thrown.message : undefined
  )
  const text = Result.isSuccess(message) && message.success !== undefined ? `: ${message.success.slice(0, 200)}` : ""
  return `the value could not be read (reading it threw${text})`
}

/**
 * Decodes an argument with `schema`, failing with `OmiseInvalidArgumentError` (and nothing else)
 * when it does not fit. Unknown keys are rejected: a misspelt parameter must not be dropped silently.
 * A cyclic or absurdly deep argument is rejected before the schema sees it, because decoding it
 * would overflow the stack (see `nesting.ts`).
 *
 * @since 0.1.0
 * @internal
 */
export const validate = <A>(operation: string, argument: string, schema: Schema.Decoder<A>) => {
  const decode = Schema.decodeUnknownResult(schema)
  const options = { errors: "all", onExcessProperty: "error" } as const
  const check = (input: unknown): Result.Result<A, string> => {
    // Read first, so that an object whose prototype cannot be read (a Proxy whose trap throws)
    // is refused as such, whichever schema comes next.
    if (typeof input === "object" && input !== null) Object.getPrototypeOf(input)
    const problem = nestingProblem(input)
    if (problem !== undefined) {
      return Result.fail(
        problem === "cyclic"
          ? "a cyclic value cannot be sent as JSON"
          : `nested deeper than ${maxDepth} levels of arrays and objects`
      )
    }
    const result = decode(input, options)
    return Result.isSuccess(result) ? Result.succeed(result.success) : Result.fail(describeIssue(result.failure.issue))
  }
  return (input: unknown): Effect.Effect<A, OmiseInvalidArgumentError> => {
    // Reading an argument runs the caller's code when it has getters or is a Proxy; what that
    // code throws is a bad argument, not a defect of the library.
    const checked = Result.try({ try: () => check(input), catch: unreadable })
    const result: Result.Result<A, string> = Result.isSuccess(checked) ? checked.success : Result.fail(checked.failure)
    return Result.isSuccess(result)
      ? Effect.succeed(result.success)
      : Effect.fail(new OmiseInvalidArgumentError({ operation, argument, detail: result.failure }))
  }
}

/**
 * A string id of the form `<prefix>_...` made of ASCII letters, digits and underscores only, so
 * that it can never change the path it is placed in (no `/`, `?`, `#`, `..`, `%`, whitespace or
 * control characters).
 *
 * @since 0.1.0
 * @internal
 */
export const idPattern = (prefix: string): RegExp => new RegExp(`^${prefix}_[A-Za-z0-9_]{1,128}$`)

/**
 * The schema of a branded id `<prefix>_...` (see {@link idPattern}): a string with one pattern
 * check, branded. Ids are checked on every item of every page, so the check is a single regular
 * expression; the pattern also gives JSON Schema and generated ids for free. Whatever is wrong
 * (not a string, or not such an id), the message names the id expected.
 *
 * @since 0.1.0
 * @internal
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
