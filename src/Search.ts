/**
 * The search envelope (`GET /search`) and its parameters.
 *
 * Search pages by `page` (from 1) and `per_page`, not by offset. The API documents no maximum
 * for `per_page`; this client enforces 1..100, the same bound as lists, and always sends `order`
 * (the API's documentation contradicts itself about the default).
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { compiled } from "./internal/compiled.js"
import { Count, Order, ParsedObject } from "./internal/fields.js"
import * as Operation from "./internal/operation.js"
import * as Paging from "./internal/paging.js"
import { versionTolerant, withDefault } from "./internal/versioned.js"

/**
 * One page of search results.
 *
 * @since 0.1.0
 * @category models
 */
export interface SearchResult<A> {
  readonly object: "search"
  readonly scope: string
  readonly query: string
  readonly filters: { readonly [key: string]: unknown }
  readonly order: string
  readonly page: number
  readonly per_page: number
  readonly total: number
  readonly total_pages: number
  readonly location?: string | undefined
  readonly data: ReadonlyArray<A>
  readonly export?: string | null | undefined
  readonly aggregate_level?: number | null | undefined
}

/**
 * @since 0.1.0
 */
export declare namespace SearchResult {
  /**
   * The wire form of a search page, in 2019-05-29 names (older bodies decode too).
   *
   * @since 0.1.0
   * @category models
   */
  export interface Encoded<I> {
    readonly object: "search"
    readonly scope: string
    readonly query: string
    readonly filters: { readonly [key: string]: unknown }
    readonly order: string
    readonly page: number
    readonly per_page: number
    readonly total: number
    readonly total_pages: number
    readonly location?: string | undefined
    readonly data: ReadonlyArray<I>
    readonly export?: string | null | undefined
    readonly aggregate_level?: number | null | undefined
  }
}

/**
 * The schema of a search page whose items decode with `item`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SearchResult = <A, I>(item: Schema.Codec<A, I>): Schema.Codec<SearchResult<A>, SearchResult.Encoded<I>> =>
  compiled(
    versionTolerant({
      object: Schema.Literal("search"),
      scope: Schema.String,
      query: withDefault(Schema.String, () => "", { whenNull: true }),
      filters: withDefault(ParsedObject, () => ({}), { whenNull: true }),
      order: Schema.String,
      page: Count,
      per_page: withDefault(Count, () => 30),
      total: Count,
      total_pages: Count,
      location: Schema.optional(Schema.String),
      data: Schema.Array(item),
      export: Schema.optional(Schema.NullOr(Schema.String)),
      aggregate_level: Schema.optional(Schema.NullOr(Schema.Number))
    })
  )

/**
 * A search filter value; `created` takes a date (`2024-01-31`) or a range (`2024-01-01..2024-01-31`).
 *
 * @since 0.1.0
 * @category models
 */
export const FilterValue = Schema.Union([Schema.String, Schema.Finite, Schema.Boolean])

/**
 * Search parameters, validated before sending.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SearchParams = Schema.Struct({
  /** Free text, matched against the scope's searchable attributes. */
  query: Schema.optional(Schema.String),
  /** Filters, sent as `filters[key]=value`. */
  filters: Schema.optional(
    Schema.Record(
      Schema.String.check(
        Schema.isPattern(/^[a-z0-9_]{1,64}$/, {
          message: "a filter name is 1 to 64 lower-case letters, digits or underscores"
        }),
        // Such a key would vanish from the query (a copy built key by key sets the prototype instead).
        Schema.makeFilter((name: string) => name !== "__proto__", { message: "a filter cannot be named __proto__" })
      ),
      FilterValue
    )
  ),
  order: Schema.optional(Order),
  /** Page number, from 1. */
  page: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }))),
  /** Results per page, 1..100 (a bound of this client; the API documents none). */
  per_page: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 100 })))
})

/**
 * What a caller passes to a search operation.
 *
 * @since 0.1.0
 * @category models
 */
export type SearchParams = typeof SearchParams.Encoded

/**
 * The query string of a search in `scope` (`filters` as bracket keys, which the official Node
 * client loses).
 *
 * @since 0.1.0
 * @category encoding
 */
export const toQuery = (scope: string, params: typeof SearchParams.Type): Array<readonly [string, string]> => {
  const query: Array<readonly [string, string]> = [["scope", scope]]
  if (params.query !== undefined) query.push(["query", params.query])
  if (params.filters !== undefined) {
    for (const [key, value] of Object.entries(params.filters)) query.push([`filters[${key}]`, String(value)])
  }
  query.push(["order", params.order ?? "chronological"])
  if (params.page !== undefined) query.push(["page", String(params.page)])
  if (params.per_page !== undefined) query.push(["per_page", String(params.per_page)])
  return query
}

/**
 * A stream of every result of a search operation, page by page up to the last, in order, once,
 * named `name` in its errors; its last argument is the search parameters plus `concurrency`
 * (1..10, default 1). `per_page` is the page size (default 100). Records deleted during the walk
 * are compensated for as in lists (a page that does not start where the walk is is asked for
 * again from the page that does); a page that cannot be part of the walk is asked for once
 * more, then fails the stream with `OmiseDecodeError`. Search has no window to pin: a record
 * matching the search created during the walk may be emitted (once). Every argument is
 * validated before any request.
 *
 * Internal: its signature is in terms of `Operation` declarations; users stream through the
 * resource modules (`Customer.stream`, `Customer.streamSearch`).
 *
 * @since 0.2.0
 * @category streaming
 * @internal
 */
export const stream = <
  Args extends ReadonlyArray<Operation.Arg>,
  P extends Operation.Decoded<Args>,
  A extends { readonly id: string }
>(
  name: string,
  search: Operation.Paged<Args, P, SearchResult<A>, typeof SearchParams.Type>
) =>
  Operation.stream(name, search, (params, concurrency, pageAt, requestAt) => {
    const size = params.per_page ?? Paging.defaultPageSize
    const base = { ...params, per_page: size, order: params.order ?? "chronological" }
    const at = (offset: number) => ({ ...base, page: offset / size + 1 })
    // A page as the walk sees it: the position of its first result, from its echoed page number.
    const toPage = ({ answer, value }: Paging.Answered<SearchResult<A>>): Paging.Page<A> => ({
      offset: value.per_page === size ? (value.page - 1) * size : -1,
      total: value.total,
      data: value.data,
      answer
    })
    const start = ((params.page ?? 1) - 1) * size
    return Paging.fromFirst(pageAt(at(start)), (first) =>
      Paging.walk(start, toPage(first), {
        size,
        concurrency,
        align: (offset) => offset - (offset % size),
        load: (offset) => Effect.map(pageAt(at(offset)), toPage),
        check: () => undefined,
        requestAt: (offset) => requestAt(at(offset))
      })
    )
  })
