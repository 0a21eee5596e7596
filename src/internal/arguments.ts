/**
 * Validation of operation arguments before anything is sent.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { OmiseInvalidArgumentError } from "../OmiseError.js"
import { maxDepth, nestingProblem } from "./nesting.js"

// Issues quote the value they reject; a 10 MB argument must not make a 10 MB error message.
const maxDetail = 1000

const describeIssues = (error: ParseResult.ParseError): string => {
  const text = ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => (issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`))
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
export const validate = <A, I>(operation: string, argument: string, schema: Schema.Schema<A, I>) => {
  const decode = Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "error" })
  return (input: unknown): Effect.Effect<A, OmiseInvalidArgumentError> => {
    const problem = nestingProblem(input)
    if (problem !== undefined) {
      const detail =
        problem === "cyclic"
          ? "a cyclic value cannot be sent as JSON"
          : `nested deeper than ${maxDepth} levels of arrays and objects`
      return Effect.fail(new OmiseInvalidArgumentError({ operation, argument, detail }))
    }
    const result = decode(input)
    return result._tag === "Right"
      ? Effect.succeed(result.right)
      : Effect.fail(new OmiseInvalidArgumentError({ operation, argument, detail: describeIssues(result.left) }))
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
