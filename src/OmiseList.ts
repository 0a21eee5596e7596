/**
 * The list envelope of every Omise list endpoint, and its paging parameters.
 *
 * Lists page by `offset`/`limit` (1..100, default 20) inside a creation-time window `from`..`to`
 * (default: the epoch until now), in `chronological` (default) or `reverse_chronological` order.
 * `total` counts every record in the window, not just the page.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { compiled } from "./internal/compiled.js"
import { Count, Order as OrderSchema, Timestamp, TimestampInput } from "./internal/fields.js"
import * as Operation from "./internal/operation.js"
import * as Paging from "./internal/paging.js"
import { versionTolerant, withDefault } from "./internal/versioned.js"

/**
 * The sort order of a list.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Order = OrderSchema

/**
 * @since 0.1.0
 * @category models
 */
export type Order = typeof Order.Type

/**
 * One page of a list.
 *
 * @since 0.1.0
 * @category models
 */
export interface OmiseList<A> {
  readonly object: "list"
  readonly data: ReadonlyArray<A>
  readonly offset: number
  readonly limit: number
  /** How many records the whole window holds. */
  readonly total: number
  /** `null` on lists embedded in another object by 2017-11-02. */
  readonly order: Order | null
  readonly from: DateTime.Utc
  readonly to: DateTime.Utc
  readonly location?: string | undefined
}

/**
 * @since 0.1.0
 */
export declare namespace OmiseList {
  /**
   * The wire form of a list page, in 2019-05-29 names (2017-11-02 bodies decode too).
   *
   * @since 0.1.0
   * @category models
   */
  export interface Encoded<I> {
    readonly object: "list"
    readonly data: ReadonlyArray<I>
    readonly offset: number
    readonly limit: number
    readonly total: number
    readonly order: Order | null
    readonly from: string
    readonly to: string
    readonly location?: string | undefined
  }
}

/**
 * The schema of a list page whose items decode with `item`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OmiseList = <A, I>(item: Schema.Codec<A, I>): Schema.Codec<OmiseList<A>, OmiseList.Encoded<I>> =>
  compiled(
    versionTolerant({
      object: Schema.Literal("list"),
      data: Schema.Array(item),
      offset: Count,
      limit: Count,
      total: Count,
      order: withDefault(Schema.NullOr(Order), () => null),
      from: Timestamp,
      to: Timestamp,
      location: Schema.optional(Schema.String)
    })
  )

/**
 * Paging parameters of every list operation, validated before sending.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListParams = Schema.Struct({
  /** Records to skip (≥ 0). */
  offset: Schema.optional(Count),
  /** Page size, 1..100 (the API's maximum). */
  limit: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 100 }))),
  /** Inclusive lower bound on creation time: a `DateTime`, a `Date` or an ISO 8601 string. */
  from: Schema.optional(TimestampInput),
  /** Upper bound on creation time. */
  to: Schema.optional(TimestampInput),
  order: Schema.optional(Order)
}).check(
  Schema.makeFilter(
    (p) =>
      p.from === undefined ||
      p.to === undefined ||
      DateTime.isLessThanOrEqualTo(p.from, p.to) ||
      "`from` must not be after `to`"
  )
)

/**
 * What a caller passes to a list operation.
 *
 * @since 0.1.0
 * @category models
 */
export type ListParams = typeof ListParams.Encoded

/**
 * The query string of validated list parameters (timestamps in ISO 8601 UTC).
 *
 * @since 0.1.0
 * @category encoding
 */
export const toQuery = (params: typeof ListParams.Type): Array<readonly [string, string]> => {
  const query: Array<readonly [string, string]> = []
  if (params.offset !== undefined) query.push(["offset", String(params.offset)])
  if (params.limit !== undefined) query.push(["limit", String(params.limit)])
  if (params.from !== undefined) query.push(["from", DateTime.formatIso(params.from)])
  if (params.to !== undefined) query.push(["to", DateTime.formatIso(params.to)])
  if (params.order !== undefined) query.push(["order", params.order])
  return query
}

/**
 * A stream of every item of a list operation, page after page, in order, once, named `name` in
 * its errors; its last argument is the list parameters plus `concurrency`, the number of pages
 * fetched at once (1..10, default 1). `limit` is the page size (default 100). The window (`from`,
 * `to`) is pinned from the first page's echo, so records created during the walk are not part of
 * it. Records deleted during the walk shift the offsets of those after them: the walk notices
 * from each page's `total` and asks again from where they moved, so every record that exists for
 * the whole walk is emitted exactly once; a page that cannot be part of the walk (short or empty
 * before `total`, repeating records where new ones were due, an item outside the pinned window,
 * an offset other than the one asked for) is asked for once more, then fails the stream with
 * `OmiseDecodeError`. Every argument is validated before any request; a failing page fails the
 * stream once every page before it has been emitted; the stream stops requesting as soon as the
 * consumer stops.
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
  A extends { readonly id: string; readonly created_at: DateTime.Utc }
>(
  name: string,
  list: Operation.Paged<Args, P, OmiseList<A>, typeof ListParams.Type>
) =>
  Operation.stream(name, list, (params, concurrency, pageAt, requestAt) => {
    const limit = params.limit ?? Paging.defaultPageSize
    const start = params.offset ?? 0
    return Paging.fromFirst(pageAt({ ...params, limit, offset: start }), (first) => {
      const pinned = { ...params, limit, from: first.value.from, to: first.value.to }
      const from = first.value.from.epochMilliseconds
      const to = first.value.to.epochMilliseconds
      return Paging.walk(start, toPage(first), {
        size: limit,
        concurrency,
        align: (offset) => offset,
        load: (offset) => Effect.map(pageAt({ ...pinned, offset }), toPage),
        check: (page) => outsideWindow(page.data, from, to),
        requestAt: (offset) => requestAt({ ...pinned, offset })
      })
    })
  })

// A list as the walk sees it.
const toPage = <A>({ answer, value }: Paging.Answered<OmiseList<A>>): Paging.Page<A> => ({
  offset: value.offset,
  total: value.total,
  data: value.data,
  answer
})

// Why the first item of `data` outside the pinned window is, if one is (the window is inclusive).
const outsideWindow = (
  data: ReadonlyArray<{ readonly id: string; readonly created_at: DateTime.Utc }>,
  from: number,
  to: number
): string | undefined => {
  for (const item of data) {
    const at = item.created_at.epochMilliseconds
    if (at < from || at > to) {
      return `${item.id} was created at ${DateTime.formatIso(item.created_at)}, outside the pinned window`
    }
  }
  return undefined
}
