/**
 * The window machinery behind every stream: pages requested ahead in order, repeats across a
 * page boundary dropped, the walk ended early at an empty page. Envelope-specific paging (offset
 * or page number) lives with its envelope in `OmiseList` and `Search`.
 *
 * @since 0.1.0
 * @internal
 */
import * as Arr from "effect/Array"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { OmiseDecodeError, type OmiseError, type OmiseInvalidArgumentError } from "../OmiseError.js"
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
    split: (params: unknown): readonly [params: unknown, options: unknown] =>
      // A Proxy or a getter can throw while the keys are read; the parameters then go on whole,
      // for `validate` to refuse with an OmiseInvalidArgumentError.
      Result.getOrElse(
        Result.try(() => {
          if (typeof params !== "object" || params === null || !("concurrency" in params)) return [params, {}] as const
          const { concurrency, ...rest } = params
          return [rest, { concurrency }] as const
        }),
        () => [params, {}] as const
      ),
    concurrency: (options: unknown): Effect.Effect<number, OmiseInvalidArgumentError> =>
      Effect.map(check(options), ({ concurrency }) => concurrency ?? 1)
  }
}

/**
 * One page as the walk sees it, whatever its envelope: where it says it starts (its position in
 * the ordered records), how many records it says the whole walk holds now, and its items.
 *
 * @since 0.2.0
 * @internal
 */
export interface Page<A> {
  readonly offset: number
  readonly total: number
  readonly data: ReadonlyArray<A>
}

/**
 * What {@link walk} needs from an envelope.
 *
 * @since 0.2.0
 * @internal
 */
export interface Pager<A, R> {
  /** The page size asked for. */
  readonly size: number
  /** Pages requested at once, 1..10. */
  readonly concurrency: number
  /** The nearest offset at or before `offset` that a page can start at (search: page boundaries). */
  readonly align: (offset: number) => number
  /** The page starting at `offset` (an offset `align` returned). */
  readonly fetch: (offset: number) => Effect.Effect<Page<A>, OmiseError, R>
  /** Why the page cannot belong to the walk (an item outside the pinned window), when it cannot. */
  readonly check: (page: Page<A>) => string | undefined
  /** The typed error for the page at `offset` that stayed inconsistent. */
  readonly fail: (offset: number, detail: string, body: string) => OmiseDecodeError
}

/**
 * The error of a page that stayed inconsistent with the walk after being asked for twice: the
 * request (`method`, `path`) that got it, answered 200 with a body that decoded but was not a
 * page of this walk.
 *
 * @since 0.2.0
 * @internal
 */
export const inconsistent = (
  request: { readonly method: string; readonly path: string },
  detail: string,
  body: string
): OmiseDecodeError =>
  new OmiseDecodeError({
    method: request.method,
    path: request.path,
    status: 200,
    detail: `inconsistent page: ${detail}`,
    body
  })

/**
 * How many of the ids emitted last the walk remembers: a page that starts before the walk's
 * position (after deletes, or a page repeating earlier ones) must have its already-emitted
 * prefix recognised, and that prefix is at most as long as the records deleted between two pages
 * (plus a search page's alignment). 10,000 ids keep memory flat (well under a megabyte); a walk
 * that would need more fails typed instead of emitting a record twice.
 *
 * @since 0.2.0
 * @internal
 */
export const remembered = 10_000

// How often one page may be asked for again because records were deleted meanwhile, before the
// walk gives up: each time the total must have shrunk again, so only deletes racing the walk
// (or a server lying about `total`) get there.
const maxCompensations = 8

type Verdict<A> =
  | { readonly _tag: "accept"; readonly fresh: ReadonlyArray<A> }
  | { readonly _tag: "again"; readonly offset: number }
  | { readonly _tag: "inconsistent"; readonly detail: string }

interface Slot<A, R> {
  readonly offset: number
  /** How many pages had been accepted when it was requested: older ones may show an older view. */
  readonly epoch: number
  readonly page: Effect.Effect<Page<A>, OmiseError, R>
}

const summary = <A extends { readonly id: string }>(page: Page<A>): string =>
  JSON.stringify({
    offset: page.offset,
    total: page.total,
    items: page.data.length,
    ids: page.data.slice(0, 5).map((item) => item.id)
  }).slice(0, 500)

/**
 * Every record of the walk once, in order, from the first page (already fetched, at the walk's
 * start) on; or a typed error. Never a silent gap, never an endless walk.
 *
 * Positions shift while the walk runs: a record deleted before the walk's position moves every
 * later one back by one, an insert forward. Each page echoes `total`, counted in the same view
 * as its items, so the walk knows where its position (the first record not yet emitted) can be
 * in the view of the last page it accepted, `lo`..`hi` (one place once a page held new records),
 * and how far a later page's view can have moved it: `D` records fewer, back by at most `D`; `I`
 * more, forward by at most `I`. The records already emitted come first in any later view, so a
 * page is gap-free when it starts with one of them, or when it starts where the deletes cannot
 * have pulled the position before it; otherwise it is asked for again from further back. Its
 * prefix of emitted records (recognised by id) is dropped, and the rest must be exactly the new
 * records such a page holds: a page shorter or longer than its `total` says, repeating records
 * where new ones were due, or with new ones among repeated ones, is inconsistent, asked for once
 * more, then an `OmiseDecodeError`. The walk ends when its position reaches the total, so work is
 * bounded by the records plus those deleted meanwhile.
 *
 * With `concurrency` > 1 the next pages are requested ahead at the offsets the walk expects
 * (the in-order window of 0.1.0: forked in the stream's scope, joined in order); a page requested
 * before the one last accepted came back may show an older view, and is asked for again if it
 * does not fit. Only the last {@link remembered} ids are kept.
 *
 * @since 0.2.0
 * @internal
 */
export const walk = <A extends { readonly id: string }, R>(
  start: number,
  first: Page<A>,
  pager: Pager<A, R>
): Stream.Stream<A, OmiseError, R> =>
  Stream.unwrap(
    Effect.map(Effect.scope, (scope) => {
      const { align, check, concurrency, fetch, size } = pager
      // Ids emitted last, oldest first in a circular buffer; `seq` maps each to its emission number.
      const ring: Array<string> = []
      let ringStart = 0
      const seq = new Map<string, number>()
      let emitted = 0
      // Where the first record not yet emitted can be, in the view of the last accepted page.
      let lo = start
      let hi = start
      let total = first.total
      let accepted = 0
      let done = false
      const inFlight: Array<Slot<A, R>> = []
      // Where the next page requested ahead starts: just after those already in flight.
      let cursor = start

      const forget = (fresh: ReadonlyArray<A>) => {
        for (const item of fresh) seq.delete(item.id)
      }

      const judge = (offset: number, page: Page<A>, sequential: boolean): Verdict<A> => {
        if (page.offset !== offset) {
          return { _tag: "inconsistent", detail: `asked for offset ${offset}, the page says ${page.offset}` }
        }
        const length = page.data.length
        const expected = Math.max(0, Math.min(size, page.total - offset))
        if (length !== expected) {
          return {
            _tag: "inconsistent",
            detail: `${length} items at offset ${offset} of a total of ${page.total} (${expected} expected)`
          }
        }
        const outside = check(page)
        if (outside !== undefined) return { _tag: "inconsistent", detail: outside }
        const shrunk = total - page.total
        // Requested before the last accepted page came back, it may show an older view.
        if (shrunk < 0 && !sequential) return { _tag: "again", offset: align(lo) }
        const low = Math.max(lo - Math.max(shrunk, 0), 0)
        const high = hi + Math.max(-shrunk, 0)
        if (high - offset > remembered) {
          return {
            _tag: "inconsistent",
            detail: `more than ${remembered} records were deleted while the walk was under way`
          }
        }
        const fresh: Array<A> = []
        for (const item of page.data) {
          const at = seq.get(item.id)
          if (at === undefined) {
            // Marked as emitted now, so that the same id twice in the page is caught.
            seq.set(item.id, emitted + fresh.length)
            fresh.push(item)
          } else if (fresh.length > 0 || at >= emitted) {
            forget(fresh)
            return { _tag: "inconsistent", detail: `${item.id} repeated among new records` }
          }
        }
        if (offset > low && fresh.length === length) {
          forget(fresh)
          // From before where the deletes can have pulled the position, by as much again, so
          // that more deletes meanwhile still leave it inside the page.
          return { _tag: "again", offset: align(Math.max(low - Math.max(shrunk, 0), 0)) }
        }
        const end = offset + length
        const least = end - Math.min(Math.max(high, offset), end)
        const most = end - Math.min(Math.max(low, offset), end)
        if (fresh.length < least || fresh.length > most) {
          forget(fresh)
          return {
            _tag: "inconsistent",
            detail:
              fresh.length < least
                ? `the page repeats records already emitted where ${least} new ones were due (${fresh.length} new)`
                : `${fresh.length} new records where at most ${most} could be`
          }
        }
        if (fresh.length > 0) {
          lo = end
          hi = end
        } else {
          lo = Math.max(low, end)
          hi = high
        }
        return { _tag: "accept", fresh }
      }

      const accept = (page: Page<A>, fresh: ReadonlyArray<A>) => {
        for (const item of fresh) {
          if (ring.length < remembered) ring.push(item.id)
          else {
            seq.delete(ring[ringStart]!)
            ring[ringStart] = item.id
            ringStart = (ringStart + 1) % remembered
          }
        }
        emitted += fresh.length
        total = page.total
        accepted += 1
        done = lo >= total
        cursor = lo + inFlight.length * size
      }

      // Judges a page, asking for it again as the verdict says, until it is accepted.
      const settle = (
        offset: number,
        page: Page<A>,
        sequential: boolean,
        compensations: number,
        retried: boolean
      ): Effect.Effect<ReadonlyArray<A>, OmiseError, R> => {
        const verdict = judge(offset, page, sequential)
        switch (verdict._tag) {
          case "accept":
            accept(page, verdict.fresh)
            return Effect.succeed(verdict.fresh)
          case "again":
            if (compensations >= maxCompensations) {
              return Effect.fail(
                pager.fail(
                  offset,
                  `records kept being deleted: ${compensations} requests for the page (total ${total}, then ${page.total})`,
                  summary(page)
                )
              )
            }
            return Effect.flatMap(fetch(verdict.offset), (again) =>
              settle(verdict.offset, again, true, compensations + 1, retried)
            )
          case "inconsistent": {
            if (retried) return Effect.fail(pager.fail(offset, verdict.detail, summary(page)))
            const retry = align(lo)
            return Effect.flatMap(fetch(retry), (again) => settle(retry, again, true, compensations, true))
          }
        }
      }

      const request: Effect.Effect<void, never, R> = Effect.suspend(() => {
        if (inFlight.length >= concurrency || cursor >= total) return Effect.void
        const offset = align(cursor)
        cursor = offset + size
        return Effect.flatMap(Effect.forkIn(fetch(offset), scope), (fiber) => {
          inFlight.push({ offset, epoch: accepted, page: Fiber.join(fiber) })
          return request
        })
      })
      const oldest = Effect.sync((): Slot<A, R> => {
        const slot = inFlight.shift()
        if (slot !== undefined) return slot
        const offset = align(lo)
        return { offset, epoch: accepted, page: fetch(offset) }
      })
      const take: Effect.Effect<ReadonlyArray<A>, OmiseError, R> = Effect.flatMap(
        concurrency === 1 ? oldest : Effect.andThen(request, oldest),
        (slot) => Effect.flatMap(slot.page, (page) => settle(slot.offset, page, slot.epoch === accepted, 0, false))
      )
      // A page whose records were all emitted already is skipped, not emitted empty.
      const nonEmpty = (
        fresh: ReadonlyArray<A>
      ): Effect.Effect<Arr.NonEmptyReadonlyArray<A>, OmiseError | Cause.Done, R> =>
        Arr.isReadonlyArrayNonEmpty(fresh) ? Effect.succeed(fresh) : pull
      const pull: Effect.Effect<Arr.NonEmptyReadonlyArray<A>, OmiseError | Cause.Done, R> = Effect.suspend(() =>
        done ? Cause.done() : Effect.flatMap(take, nonEmpty)
      )
      let started = false
      return Stream.fromPull(
        Effect.succeed(
          Effect.suspend(() => {
            if (started) return pull
            started = true
            return Effect.flatMap(settle(start, first, true, 0, false), nonEmpty)
          })
        )
      )
    })
  )

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
