/**
 * The window machinery behind every stream: pages requested ahead in order, repeats across a
 * page boundary dropped, the walk ended early at an empty page. Envelope-specific paging (offset
 * or page number) lives with its envelope in `OmiseList` and `Search`.
 *
 * @since 0.1.0
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type { OmiseError, OmiseInvalidArgumentError } from "../OmiseError.js"
import { validate } from "./arguments.js"

/**
 * The page size streams use unless told otherwise: the API's maximum.
 *
 * @since 0.1.0
 * @internal
 */
export const defaultPageSize = 100

/**
 * Stream options: how many pages may be fetched at once (1..10; Omise asks for no more than 10
 * parallel workers). Items are emitted in order whatever the concurrency.
 *
 * @since 0.1.0
 * @internal
 */
export const StreamOptions = Schema.Struct({
  concurrency: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 10 })))
})

/**
 * What a caller adds to list or search parameters to stream them.
 *
 * @since 0.1.0
 * @category models
 */
export interface StreamOptions {
  /** Pages fetched at once, 1..10 (default 1). */
  readonly concurrency?: number | undefined
}

/**
 * List or search parameters plus {@link StreamOptions}.
 *
 * @since 0.1.0
 * @category models
 */
export type StreamParams<P> = P & StreamOptions

/**
 * Splits a stream's last argument into the parameters of its operation and the stream's own
 * options (`concurrency`), so that an unknown key in the parameters is still refused and a bad
 * concurrency is reported as the argument `options`; the options are validated by the returned
 * function, built once per stream.
 *
 * @since 0.2.0
 * @internal
 */
export const streamOptions = (operation: string) => {
  const check = validate(operation, "options", StreamOptions)
  return {
    split: (params: unknown): readonly [params: unknown, options: unknown] => {
      if (typeof params !== "object" || params === null || !("concurrency" in params)) return [params, {}]
      const { concurrency, ...rest } = params
      return [rest, { concurrency }]
    },
    concurrency: (options: unknown): Effect.Effect<number, OmiseInvalidArgumentError> =>
      Effect.map(check(options), ({ concurrency }) => concurrency ?? 1)
  }
}

/**
 * Drops items whose id was on the previous page: when records shift between two requests, a
 * page can repeat the tail of the one before. Only one page of ids is kept, so memory stays flat.
 *
 * @since 0.1.0
 * @internal
 */
export const dropRepeats = <A extends { readonly id: string }, R>(
  pages: Stream.Stream<ReadonlyArray<A>, OmiseError, R>
): Stream.Stream<A, OmiseError, R> =>
  Stream.mapAccum(
    pages,
    () => new Set<string>(),
    (previous, page) => {
      const fresh = previous.size === 0 ? page : page.filter((item) => !previous.has(item.id))
      return [new Set(page.map((item) => item.id)), fresh] as const
    }
  )

/**
 * `pageAt(1)` to `pageAt(count)`, in order, with up to `concurrency` of them requested ahead: each
 * time the consumer takes the oldest, the next page is requested, so at most `concurrency` pages
 * are in flight or waiting to be taken. The requests run in the stream's scope, so a consumer that
 * stops, or a page that fails, interrupts those still in flight.
 *
 * What `Stream.mapEffect(pageAt, { concurrency })` does, for a third of its cost per page (~40
 * against ~115 µs, measured on pages already in memory in 0.1.0): that one races every element
 * against a shared error signal, which a list of forked requests joined in order does not need.
 *
 * @since 0.1.0
 * @internal
 */
export const inOrder = <A, R>(
  count: number,
  concurrency: number,
  pageAt: (index: number) => Effect.Effect<A, OmiseError, R>
): Stream.Stream<A, OmiseError, R> =>
  concurrency === 1
    ? Stream.mapEffect(Stream.range(1, count), pageAt)
    : Stream.unwrap(
        Effect.map(Effect.scope, (scope) => {
          const inFlight: Array<Fiber.Fiber<A, OmiseError>> = []
          let next = 1
          const request: Effect.Effect<void, never, R> = Effect.suspend(() =>
            inFlight.length >= concurrency || next > count
              ? Effect.void
              : Effect.flatMap(Effect.forkIn(pageAt(next++), scope), (fiber) => {
                  inFlight.push(fiber)
                  return request
                })
          )
          const oldest = Effect.suspend((): Effect.Effect<A, OmiseError | Cause.Done> => {
            const fiber = inFlight.shift()
            return fiber === undefined ? Cause.done() : Fiber.join(fiber)
          })
          return Stream.fromEffectRepeat(Effect.andThen(request, oldest))
        })
      )

/**
 * The pages after the first, in order, ending early at an empty page (`total` is only what the
 * first page claimed: records deleted meanwhile, or a broken server claiming 10^9, must not mean
 * a request per missing page); every item once.
 *
 * @since 0.1.0
 * @internal
 */
export const walk = <A extends { readonly id: string }, R>(
  first: ReadonlyArray<A>,
  count: number,
  concurrency: number,
  pageAt: (index: number) => Effect.Effect<ReadonlyArray<A>, OmiseError, R>
): Stream.Stream<A, OmiseError, R> => {
  const rest: Stream.Stream<ReadonlyArray<A>, OmiseError, R> = first.length === 0 || count <= 0
    ? Stream.empty
    : inOrder(count, concurrency, pageAt).pipe(Stream.takeWhile((page) => page.length > 0))
  return dropRepeats(Stream.concat(Stream.succeed(first), rest))
}

/**
 * The stream that `rest` makes of the first page, once it has come.
 *
 * @since 0.2.0
 * @internal
 */
export const fromFirst = <Page, A, R>(
  first: Effect.Effect<Page, OmiseError, R>,
  rest: (first: Page) => Stream.Stream<A, OmiseError, R>
): Stream.Stream<A, OmiseError, R> => Stream.unwrap(Effect.map(first, rest))

/**
 * The items of a page once fetched.
 *
 * @since 0.2.0
 * @internal
 */
export const dataOf = <A, R>(
  page: Effect.Effect<{ readonly data: ReadonlyArray<A> }, OmiseError, R>
): Effect.Effect<ReadonlyArray<A>, OmiseError, R> => Effect.map(page, (p) => p.data)
