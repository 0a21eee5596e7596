/**
 * Streams over every page of an offset-paged list or a page-numbered search.
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type { OmiseError } from "../OmiseError.js"
import type * as OmiseList from "../OmiseList.js"
import type * as Search from "../Search.js"
import { validate } from "./arguments.js"

/**
 * The page size streams use unless told otherwise: the API's maximum.
 *
 * @since 0.1.0
 */
export const defaultPageSize = 100

/**
 * Stream options: how many pages may be fetched at once (1..10; Omise asks for no more than 10
 * parallel workers). Items are emitted in order whatever the concurrency.
 *
 * @since 0.1.0
 */
export const StreamOptions = Schema.Struct({
  concurrency: Schema.optional(Schema.Int.pipe(Schema.between(1, 10)))
})

/**
 * @since 0.1.0
 */
export interface StreamOptions {
  readonly concurrency?: number | undefined
}

/**
 * Validates stream arguments inside the stream, so a bad argument fails it before any request.
 *
 * @since 0.1.0
 */
export const validated = <A, I, B, R>(
  operation: string,
  schema: Schema.Schema<A, I>,
  input: unknown,
  options: unknown,
  f: (params: A, concurrency: number) => Stream.Stream<B, OmiseError, R>
): Stream.Stream<B, OmiseError, R> =>
  Stream.unwrap(
    Effect.zipWith(
      validate(operation, "params", schema)(input),
      validate(operation, "options", StreamOptions)(options),
      (params, { concurrency }) => f(params, concurrency ?? 1)
    )
  )

/**
 * Drops items whose id was on the previous page: when records shift between two requests, a
 * page can repeat the tail of the one before. Only one page of ids is kept, so memory stays flat.
 */
const dropRepeats = <A extends { readonly id: string }, R>(
  pages: Stream.Stream<ReadonlyArray<A>, OmiseError, R>
): Stream.Stream<A, OmiseError, R> =>
  Stream.mapAccum(pages, new Set<string>(), (previous, page) => {
    const fresh = previous.size === 0 ? page : page.filter((item) => !previous.has(item.id))
    return [new Set(page.map((item) => item.id)), Chunk.unsafeFromArray(fresh)] as const
  }).pipe(Stream.flattenChunks)

/**
 * Every item of an offset-paged list, in order, once. The window (`from`, `to`) is pinned from
 * the first page's echo, so records created during the walk are not part of it.
 *
 * @since 0.1.0
 */
export const offsetStream = <A extends { readonly id: string }, R>(
  params: typeof OmiseList.ListParams.Type,
  concurrency: number,
  fetch: (params: typeof OmiseList.ListParams.Type) => Effect.Effect<OmiseList.OmiseList<A>, OmiseError, R>
): Stream.Stream<A, OmiseError, R> => {
  const limit = params.limit ?? defaultPageSize
  const start = params.offset ?? 0
  return Stream.unwrap(
    Effect.map(fetch({ ...params, limit, offset: start }), (first) => {
      const pinned = { ...params, limit, from: first.from, to: first.to }
      const firstEnd = start + first.data.length
      const done = first.data.length === 0 || firstEnd >= first.total
      const rest: Stream.Stream<ReadonlyArray<A>, OmiseError, R> = done
        ? Stream.empty
        : concurrency === 1
          ? Stream.paginateEffect(firstEnd, (offset) =>
              Effect.map(fetch({ ...pinned, offset }), (page) => {
                const next = offset + page.data.length
                return [
                  page.data,
                  page.data.length === 0 || next >= page.total ? Option.none() : Option.some(next)
                ] as const
              })
            )
          : Stream.range(0, Math.ceil((first.total - firstEnd) / limit) - 1).pipe(
              Stream.mapEffect(
                (k) => Effect.map(fetch({ ...pinned, offset: firstEnd + k * limit }), (page) => page.data),
                {
                  concurrency
                }
              ),
              // As in the sequential walk, an empty page ends it: `total` is only what the first
              // page claimed, and walking a wrong one (records deleted meanwhile, or a broken
              // server claiming 10^9) would request every page up to it.
              Stream.takeWhile((data) => data.length > 0)
            )
      return dropRepeats(Stream.concat(Stream.succeed(first.data), rest))
    })
  )
}

/**
 * Every item of a search, page by page up to `total_pages`, in order, once.
 *
 * @since 0.1.0
 */
export const searchStream = <A extends { readonly id: string }, R>(
  params: typeof Search.SearchParams.Type,
  concurrency: number,
  fetch: (params: typeof Search.SearchParams.Type) => Effect.Effect<Search.SearchResult<A>, OmiseError, R>
): Stream.Stream<A, OmiseError, R> => {
  const perPage = params.per_page ?? defaultPageSize
  const start = params.page ?? 1
  const base = { ...params, per_page: perPage, order: params.order ?? ("chronological" as const) }
  return Stream.unwrap(
    Effect.map(fetch({ ...base, page: start }), (first) => {
      const rest: Stream.Stream<ReadonlyArray<A>, OmiseError, R> = first.data.length === 0 || start >= first.total_pages
        ? Stream.empty
        : concurrency === 1
          ? Stream.paginateEffect(start + 1, (page) =>
              Effect.map(
                fetch({ ...base, page }),
                (result) =>
                  [
                    result.data,
                    result.data.length === 0 || page >= result.total_pages ? Option.none() : Option.some(page + 1)
                  ] as const
              )
            )
          : Stream.range(start + 1, first.total_pages).pipe(
              Stream.mapEffect((page) => Effect.map(fetch({ ...base, page }), (result) => result.data), {
                concurrency
              }),
              // An empty page ends the walk, whatever `total_pages` the first page claimed.
              Stream.takeWhile((data) => data.length > 0)
            )
      return dropRepeats(Stream.concat(Stream.succeed(first.data), rest))
    })
  )
}
