/**
 * Validation of operation arguments before anything is sent.
 *
 * @since 0.1.0
 */
import type * as Brand from "effect/Brand"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as SchemaAST from "effect/SchemaAST"
import type { ParseOptions } from "effect/SchemaAST"
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

/**
 * The schema of a branded id `<prefix>_...` (see {@link idPattern}), as one predicate: ids are
 * checked on every item of every page, and a pattern refinement plus a brand on a string are
 * three schema layers where one does the same check.
 *
 * @since 0.1.0
 */
export const Id = <B extends string>(
  prefix: string,
  brand: B,
  example: string
): Schema.Schema<string & Brand.Brand<B>, string> => {
  const pattern = idPattern(prefix)
  const isId = (u: unknown): u is string & Brand.Brand<B> => typeof u === "string" && pattern.test(u)
  const check = () => (u: unknown, _: ParseOptions, ast: SchemaAST.AST) =>
    isId(u) ? ParseResult.succeed(u) : ParseResult.fail(new ParseResult.Type(ast, u))
  // On the wire an id is any string; only the decoded value carries the brand.
  return Schema.declare<string & Brand.Brand<B>, string, readonly []>(
    [],
    { decode: check, encode: check },
    {
      identifier: brand,
      description: `${example} (${prefix}_ then letters, digits, _)`,
      message: () => `Expected ${example} (letters, digits, _)`,
      arbitrary: () => (fc) => fc.stringMatching(pattern).map((id) => id as string & Brand.Brand<B>),
      pretty: () => (id) => JSON.stringify(id),
      jsonSchema: { type: "string", pattern: pattern.source }
    }
  )
}
