/**
 * Request parameters from every encoding official clients use: query string, form body with
 * bracket keys, JSON body (also on GET and DELETE), merged and with empty values dropped; and
 * the schemas routes decode them with.
 *
 * Nesting is bounded ({@link maxDepth}) before anything recursive sees the parameters: a JSON
 * body or a bracket key nested hundreds of thousands of levels deep would otherwise exhaust the
 * stack, leaving the request unanswered.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import * as SchemaTransformation from "effect/SchemaTransformation"
import * as Dates from "./dates.js"
import * as Failure from "./failure.js"
import type * as State from "./state.js"

/**
 * The deepest parameters accepted, in levels of objects and arrays, whatever the encoding. Deep
 * enough for any metadata, and shallow enough that an object echoed inside a list (three more
 * levels) stays well within what the client decodes.
 *
 * @since 0.2.0
 * @category parsing
 */
export const maxDepth = 64

const tooDeep = Failure.badRequest(`parameters are nested more than ${maxDepth} levels deep`)

/**
 * Request parameters after merging query string and body: nested records, arrays and scalars.
 *
 * @since 0.1.0
 * @category parsing
 */
export type Params = { readonly [key: string]: unknown }

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

// Keys come from the request. `object[key] = value` with the key `__proto__` sets the object's
// prototype, and reading `object[key]` finds inherited members: a form key such as
// `metadata[__proto__][x]=1` walked into Object.prototype and wrote to every object of the
// process. Keys are read as own properties and written as own properties, whatever their name.
const own = (record: Record<string, unknown>, key: string): unknown =>
  Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined

const setOwn = (record: Record<string, unknown>, key: string, value: unknown): void => {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true })
}

/**
 * The path of a bracket key: `card[number]` ⇒ `["card", "number"]`, `on[days_of_month][]` ⇒
 * `["on", "days_of_month", ""]`.
 *
 * @since 0.2.0
 * @category parsing
 */
export const keyPath = (key: string): ReadonlyArray<string> => {
  const open = key.indexOf("[")
  if (open <= 0 || !key.endsWith("]")) return [key]
  return [key.slice(0, open), ...key.slice(open + 1, -1).split("][")]
}

const assign = (target: Record<string, unknown>, path: ReadonlyArray<string>, value: string): void => {
  let node: Record<string, unknown> = target
  for (let i = 0; i < path.length - 1; i++) {
    const segment = path[i]!
    const next = path[i + 1]!
    const existing = own(node, segment)
    if (next === "") {
      const list = Array.isArray(existing) ? existing : existing === undefined ? [] : [existing]
      list.push(value)
      setOwn(node, segment, list)
      return
    }
    if (isRecord(existing)) {
      node = existing
    } else {
      const child: Record<string, unknown> = {}
      setOwn(node, segment, child)
      node = child
    }
  }
  const last = path[path.length - 1]!
  const existing = own(node, last)
  // Repeated plain keys are how `bodyUrlParams` and `querystring` encode arrays.
  setOwn(
    node,
    last,
    existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value]
  )
}

/** PHP sends `key[0]=a&key[1]=b`: a record with only index keys is an array. */
const indexedToArrays = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(indexedToArrays)
  if (!isRecord(value)) return value
  const keys = Object.keys(value)
  if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((key) => indexedToArrays(value[key]))
  }
  const out: Record<string, unknown> = {}
  for (const key of keys) setOwn(out, key, indexedToArrays(value[key]))
  return out
}

/**
 * Bracket-nested params from a query string or a form body.
 *
 * @since 0.1.0
 * @category parsing
 */
export const fromSearchParams = (search: URLSearchParams): Result.Result<Params, Failure.ApiFailure> => {
  const out: Record<string, unknown> = {}
  for (const [key, value] of search) {
    const path = keyPath(key)
    if (path.length > maxDepth) return Result.fail(tooDeep)
    assign(out, path, value)
  }
  return Result.succeed(indexedToArrays(out) as Params)
}

/** Levels of arrays and objects in JSON text, counted without parsing it (strings skipped). */
const jsonDepth = (text: string): number => {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i)
    if (inString) {
      if (char === 92 /* \\ */) i++
      else if (char === 34 /* " */) inString = false
    } else if (char === 34) inString = true
    else if (char === 123 /* { */ || char === 91 /* [ */) deepest = Math.max(deepest, ++depth)
    else if (char === 125 /* } */ || char === 93 /* ] */) depth--
  }
  return deepest
}

// Taken as parsed: a record decoded key by key would lose a `__proto__` key to the prototype.
const ParsedObject: Schema.Codec<Params> = Schema.declare((u: unknown): u is Params => isRecord(u), {
  identifier: "JsonObject",
  description: "a JSON object"
})
const decodeJsonObject = Schema.decodeUnknownResult(Schema.fromJsonString(ParsedObject))

/**
 * The body's params, whatever encoding the client chose: JSON (also on GET and
 * DELETE) or form-urlencoded. Without a usable content type, the first
 * character decides, as `curl -d` and hand-written clients often omit it.
 *
 * @since 0.1.0
 * @category parsing
 */
export const fromBody = (
  contentType: string | undefined,
  body: Uint8Array | undefined
): Result.Result<Params, Failure.ApiFailure> => {
  if (body === undefined || body.length === 0) return Result.succeed({})
  const text = new TextDecoder().decode(body)
  if (text.trim() === "") return Result.succeed({})
  const type = (contentType ?? "").toLowerCase()
  const json = type.includes("json") || (!type.includes("x-www-form-urlencoded") && /^\s*[[{"]/.test(text))
  if (type.includes("multipart/form-data")) {
    return Result.fail(
      Failure.badRequest("multipart bodies are not supported; send JSON or form-urlencoded parameters")
    )
  }
  if (json) {
    if (jsonDepth(text) > maxDepth) return Result.fail(tooDeep)
    return decodeJsonObject(text).pipe(
      Result.mapError(() => Failure.badRequest("request body is not a valid JSON object"))
    )
  }
  return fromSearchParams(new URLSearchParams(text))
}

/**
 * A request's params: query and body merged (the body wins), empty values dropped.
 *
 * @since 0.2.0
 * @category parsing
 */
export const fromRequest = (
  query: URLSearchParams,
  contentType: string | undefined,
  body: Uint8Array | undefined
): Result.Result<Params, Failure.ApiFailure> =>
  Result.flatMap(fromSearchParams(query), (fromQuery) =>
    Result.map(fromBody(contentType, body), (fromBody) => prune(merge(fromQuery, fromBody)))
  )

/**
 * Body params win over query params; records merge deeply.
 *
 * @since 0.1.0
 * @category parsing
 */
export const merge = (query: Params, body: Params): Params => {
  const out: Record<string, unknown> = { ...query }
  for (const [key, value] of Object.entries(body)) {
    const existing = own(out, key)
    setOwn(out, key, isRecord(existing) && isRecord(value) ? merge(existing, value) : value)
  }
  return out
}

/**
 * Empty strings and nulls mean "not given" (omise-node sends `order=`, python sends `"from": null`).
 *
 * @since 0.1.0
 * @category parsing
 */
export const prune = (params: Params): Params => {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(params)) {
    const kept = pruneValue(value)
    if (kept !== undefined) setOwn(out, key, kept)
  }
  return out
}

const pruneValue = (value: unknown): unknown => {
  if (value === null || value === "" || value === undefined) return undefined
  if (Array.isArray(value)) return value.map(pruneValue).filter((item) => item !== undefined)
  // An explicit `{}` stays: it is how JSON clients clear metadata.
  if (isRecord(value)) return prune(value)
  return value
}

/** `["charge", "amount"]` ⇒ `charge[amount]`, as the parameter is spelled on the wire. */
const wireName = (path: ReadonlyArray<PropertyKey>): string =>
  path.map((segment, i) => (i === 0 ? String(segment) : `[${String(segment)}]`)).join("")

/** The first problem in an issue tree, with the path to it. */
const firstProblem = (
  issue: SchemaIssue.Issue,
  path: ReadonlyArray<PropertyKey> = []
): { readonly path: ReadonlyArray<PropertyKey>; readonly missing: boolean } => {
  switch (issue._tag) {
    case "Pointer":
      return firstProblem(issue.issue, [...path, ...issue.path])
    case "Filter":
    case "Encoding":
      return firstProblem(issue.issue, path)
    case "Composite":
    case "AnyOf": {
      const inner = issue.issues[0]
      return inner === undefined ? { path, missing: false } : firstProblem(inner, path)
    }
    default:
      return { path, missing: issue._tag === "MissingKey" }
  }
}

/**
 * Decodes params with a schema; the first problem becomes a 400 naming the parameter.
 *
 * @since 0.1.0
 * @category parsing
 */
export const decode = <S extends Schema.Decoder<unknown>>(schema: S, code: string = "bad_request") => {
  const run = Schema.decodeUnknownResult(schema, { errors: "first", onExcessProperty: "ignore" })
  return (params: Params): Effect.Effect<S["Type"], Failure.ApiFailure> =>
    Result.match(run(params), {
      onSuccess: Effect.succeed,
      onFailure: (error) => {
        const problem = firstProblem(error.issue)
        const name = problem.path.length === 0 ? "parameters" : wireName(problem.path)
        return Effect.fail(Failure.badRequest(problem.missing ? `${name} is required` : `${name} is invalid`, code))
      }
    })
}

// As 3.x `NumberFromString` read text: blank text is not a number (plain `Number(" ")` is 0).
const NumberFromText = Schema.String.pipe(
  Schema.decodeTo(
    Schema.Number,
    SchemaTransformation.transformEffect({
      decode: (text: string) => {
        const number = text.trim() === "" ? Number.NaN : Number(text)
        return Number.isNaN(number)
          ? Effect.fail(new SchemaIssue.InvalidValue({ message: "not a number" }, text))
          : Effect.succeed(number)
      },
      encode: (number: number) => Effect.succeed(String(number))
    })
  )
)

/**
 * An integer given as a JSON number or as the text of one.
 *
 * @since 0.1.0
 * @category parsing
 */
export const Int = Schema.Union([Schema.Int, NumberFromText.check(Schema.isInt())])

/**
 * A string; JSON numbers and booleans are taken as their text, as the API's own parsing does.
 *
 * @since 0.1.0
 * @category parsing
 */
export const Text = Schema.Union([
  Schema.String,
  Schema.Union([Schema.Number, Schema.Boolean]).pipe(
    Schema.decodeTo(
      Schema.String,
      // Only ever decoded: the fake reads params, it never writes them.
      SchemaTransformation.transform<string, number | boolean>({ decode: (value) => String(value), encode: Number })
    )
  )
])

/**
 * A JSON object, or absent.
 *
 * @since 0.1.0
 * @category parsing
 */
export const Metadata: Schema.Codec<Params> = ParsedObject

/**
 * Text read as a number by `parse` (a date as epoch days, a date-time as epoch ms); `undefined`
 * from it is a bad value named by `expected`.
 *
 * @since 0.2.0
 * @category parsing
 */
export const textAs = (
  parse: (text: string) => number | undefined,
  show: (value: number) => string,
  expected: string
) =>
  Text.pipe(
    Schema.decodeTo(
      Schema.Number,
      SchemaTransformation.transformEffect({
        decode: (text: string) => {
          const value = parse(text)
          return value === undefined
            ? Effect.fail(new SchemaIssue.InvalidValue({ message: expected }, text))
            : Effect.succeed(value)
        },
        encode: (value: number) => Effect.succeed(show(value))
      })
    )
  )

/**
 * `chronological` or `reverse_chronological`.
 *
 * @since 0.2.0
 * @category parsing
 */
export const Order = Schema.Literals(["chronological", "reverse_chronological"])

const ListParams = Schema.Struct({
  offset: Schema.optional(Int.check(Schema.isGreaterThanOrEqualTo(0))),
  limit: Schema.optional(Int.check(Schema.isGreaterThanOrEqualTo(1))),
  from: Schema.optional(textAs(Dates.parseDateTime, Dates.iso, "not a date-time")),
  to: Schema.optional(textAs(Dates.parseDateTime, Dates.iso, "not a date-time")),
  order: Schema.optional(Order)
})
const decodeList = decode(ListParams)

/**
 * The window a list request asks for: `offset` (default 0), `limit` (default 20, at most 100),
 * `from`..`to` (default: everything up to now), `order` (default chronological).
 *
 * @since 0.2.0
 * @category parsing
 */
export const listWindow = (params: Params, now: number): Effect.Effect<State.Window, Failure.ApiFailure> =>
  Effect.map(decodeList(params), (list) => ({
    offset: list.offset ?? 0,
    limit: Math.min(list.limit ?? 20, 100),
    from: list.from ?? 0,
    to: list.to ?? now,
    order: list.order ?? "chronological"
  }))
