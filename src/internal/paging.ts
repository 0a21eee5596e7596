/**
 * The walk behind every stream: every record once, in order, while the account changes, or a typed
 * error. Four pieces: the ids emitted last ({@link Recent}), the consistency of a page with the
 * walk ({@link judge}, pure), asking for a page again until it fits (`settle`) and the pages
 * requested ahead (`ahead`). Envelope-specific paging (offset or page number) lives with its
 * envelope in `OmiseList` and `Search`.
 *
 * @since 0.1.0
 * @internal
 */
import * as Arr from "effect/Array"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Result from "effect/Result"
import type * as Scope from "effect/Scope"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { OmiseDecodeError, type OmiseError, type OmiseInvalidArgumentError } from "../OmiseError.js"
import { validate } from "./arguments.js"
import type { Answer } from "./execute.js"

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
 * A page's envelope as it came, and how the request that got it went (when the transport said).
 *
 * @since 0.2.0
 * @internal
 */
export interface Answered<P> {
  readonly value: P
  readonly answer: Answer | undefined
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
  /** How the request that got it went, when known. */
  readonly answer?: Answer | undefined
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
  readonly load: (offset: number) => Effect.Effect<Page<A>, OmiseError, R>
  /** Why the page cannot belong to the walk (an item outside the pinned window), when it cannot. */
  readonly check: (page: Page<A>) => string | undefined
  /** The request (method and path) of the page at `offset`, for the errors the walk reports. */
  readonly requestAt: (offset: number) => { readonly method: string; readonly path: string }
}

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

/**
 * The last `capacity` ids added, the oldest forgotten first: a set to look them up, a ring to
 * know which is oldest.
 *
 * @since 0.2.0
 * @internal
 */
export class Recent {
  private readonly ids = new Set<string>()
  private readonly ring: Array<string> = []
  private oldest = 0
  constructor(readonly capacity: number) {}

  has(id: string): boolean {
    return this.ids.has(id)
  }

  get size(): number {
    return this.ids.size
  }

  add(id: string): void {
    if (this.ring.length < this.capacity) this.ring.push(id)
    else {
      this.ids.delete(this.ring[this.oldest]!)
      this.ring[this.oldest] = id
      this.oldest = (this.oldest + 1) % this.capacity
    }
    this.ids.add(id)
  }
}

/**
 * Where the walk is, as the last page it accepted showed the records: its position (the first
 * record not yet emitted) is somewhere in `lo`..`hi` (one place once a page held new records),
 * and `total` records were there.
 *
 * @since 0.2.0
 * @internal
 */
export interface View {
  readonly lo: number
  readonly hi: number
  readonly total: number
}

/**
 * What a page means for the walk: `accept` its `fresh` records (those not emitted yet), after
 * which the walk is at `view`; ask `again` from `offset`, where the page cannot leave a gap; or
 * the page is `inconsistent` with the walk.
 *
 * @since 0.2.0
 * @internal
 */
export type Verdict<A> =
  | { readonly _tag: "accept"; readonly fresh: ReadonlyArray<A>; readonly view: View }
  | { readonly _tag: "again"; readonly offset: number }
  | { readonly _tag: "inconsistent"; readonly detail: string }

const again = (offset: number): Verdict<never> => ({ _tag: "again", offset })
const inconsistent = (detail: string): Verdict<never> => ({ _tag: "inconsistent", detail })

/**
 * The verdict on `page`, asked for at `offset`, for a walk at `view` that emitted the ids in
 * `seen` last. `sequential`: requested after the last accepted page came back (one requested
 * earlier may show an older view).
 *
 * Positions shift while the walk runs: a record deleted before the walk's position moves every
 * later one back by one, an insert forward. Each page echoes `total`, counted in the same view
 * as its items, so a later page's view can have moved the position by at most the difference:
 * `D` records fewer, back by at most `D`; `I` more, forward by at most `I`. The records already
 * emitted come first in any later view, so a page is gap-free when it starts with one of them,
 * or when it starts where the deletes cannot have pulled the position before it; otherwise it
 * is asked for again from further back. Its prefix of emitted records (recognised by id) is
 * dropped, and the rest must be exactly the new records such a page holds.
 *
 * @since 0.2.0
 * @internal
 */
export const judge = <A extends { readonly id: string }>(
  pager: Pick<Pager<A, never>, "size" | "align" | "check">,
  view: View,
  seen: Pick<Recent, "has">,
  offset: number,
  page: Page<A>,
  sequential: boolean
): Verdict<A> => {
  const malformed = shapeError(pager, offset, page)
  if (malformed !== undefined) return inconsistent(malformed)
  const shrunk = view.total - page.total
  if (shrunk < 0 && !sequential) return again(pager.align(view.lo))
  // Where the position can be in the page's view.
  const low = Math.max(view.lo - Math.max(shrunk, 0), 0)
  const high = view.hi + Math.max(-shrunk, 0)
  if (high - offset > remembered) {
    return inconsistent(`more than ${remembered} records were deleted while the walk was under way`)
  }
  const fresh = freshOf(seen, page.data)
  if (typeof fresh === "string") return inconsistent(fresh)
  if (offset > low && fresh.length === page.data.length) {
    // From before where the deletes can have pulled the position, by as much again, so that
    // more deletes meanwhile still leave it inside the page.
    return again(pager.align(Math.max(low - Math.max(shrunk, 0), 0)))
  }
  return placed(offset, page, fresh, low, high)
}

// Why the page is not a page at `offset` of the walk's records, if it is not.
const shapeError = <A>(
  pager: Pick<Pager<A, never>, "size" | "check">,
  offset: number,
  page: Page<A>
): string | undefined => {
  if (page.offset !== offset) return `asked for offset ${offset}, the page says ${page.offset}`
  const expected = Math.max(0, Math.min(pager.size, page.total - offset))
  if (page.data.length !== expected) {
    return `${page.data.length} items at offset ${offset} of a total of ${page.total} (${expected} expected)`
  }
  return pager.check(page)
}

// The items not emitted yet, which must all come after those emitted, each once; or why not.
const freshOf = <A extends { readonly id: string }>(
  seen: Pick<Recent, "has">,
  data: ReadonlyArray<A>
): Array<A> | string => {
  const fresh: Array<A> = []
  const ids = new Set<string>()
  for (const item of data) {
    const id = item.id
    if (seen.has(id)) {
      if (fresh.length > 0) return `${id} repeated among new records`
    } else if (ids.has(id)) return `${id} repeated among new records`
    else {
      ids.add(id)
      fresh.push(item)
    }
  }
  return fresh
}

// The verdict on a gap-free page holding `fresh` after its emitted prefix, the position being in
// `low`..`high` of its view: as many new records as that leaves room for, or inconsistent.
const placed = <A>(offset: number, page: Page<A>, fresh: ReadonlyArray<A>, low: number, high: number): Verdict<A> => {
  const end = offset + page.data.length
  const least = end - Math.min(Math.max(high, offset), end)
  const most = end - Math.min(Math.max(low, offset), end)
  if (fresh.length < least) {
    return inconsistent(
      `the page repeats records already emitted where ${least} new ones were due (${fresh.length} new)`
    )
  }
  if (fresh.length > most) return inconsistent(`${fresh.length} new records where at most ${most} could be`)
  const view =
    fresh.length > 0 ? { lo: end, hi: end, total: page.total } : { lo: Math.max(low, end), hi: high, total: page.total }
  return { _tag: "accept", fresh, view }
}

/** What the walk has done: the ids it emitted last, where it is, how many pages it accepted. */
interface Progress {
  readonly seen: Recent
  view: View
  accepted: number
}

/** The one place where the walk's position and memory change: a page accepted, its new records about to be emitted. */
const commit = (progress: Progress, fresh: ReadonlyArray<{ readonly id: string }>, view: View): void => {
  for (const item of fresh) progress.seen.add(item.id)
  progress.view = view
  progress.accepted += 1
}

/** A page as the walk waits for it: where it was asked for, when, and the page to come. */
interface Slot<A, R> {
  readonly offset: number
  /** How many pages had been accepted when it was requested: older ones may show an older view. */
  readonly epoch: number
  readonly page: Effect.Effect<Page<A>, OmiseError, R>
}

interface Requested<A> {
  readonly offset: number
  readonly epoch: number
  readonly fiber: Fiber.Fiber<Page<A>, OmiseError>
}

/**
 * The pages requested ahead of the walk, at the offsets it expects, forked in the stream's scope
 * and taken in order. Without concurrency, each page is asked for when it is due.
 */
const ahead = <A, R>(pager: Pager<A, R>, progress: Progress, scope: Scope.Scope) => {
  const { align, concurrency, load, size } = pager
  const requested: Array<Requested<A>> = []
  // Where the next page requested ahead starts: just after those already requested.
  let cursor = 0
  const fill: Effect.Effect<void, never, R> = Effect.suspend(() => {
    if (requested.length >= concurrency || cursor >= progress.view.total) return Effect.void
    const offset = align(cursor)
    cursor = offset + size
    return Effect.flatMap(Effect.forkIn(load(offset), scope), (fiber) => {
      requested.push({ offset, epoch: progress.accepted, fiber })
      return fill
    })
  })
  const oldest = Effect.sync((): Slot<A, R> => {
    const first = requested.shift()
    if (first !== undefined) return { offset: first.offset, epoch: first.epoch, page: Fiber.join(first.fiber) }
    const offset = align(progress.view.lo)
    return { offset, epoch: progress.accepted, page: load(offset) }
  })
  return {
    /** The page due next. */
    next: concurrency === 1 ? oldest : Effect.andThen(fill, oldest),
    /**
     * After a page was accepted: pages requested ahead that start past the position could only
     * be asked for again one after the other (deletes moved the records back); they are dropped,
     * and the window is requested again from the position, together.
     */
    moved: Effect.suspend((): Effect.Effect<void> => {
      const { lo } = progress.view
      if (requested.length > 0 && requested[0]!.offset > align(lo)) {
        cursor = lo
        return Fiber.interruptAll(requested.splice(0).map((slot) => slot.fiber))
      }
      cursor = lo + requested.length * size
      return Effect.void
    })
  }
}

const summary = <A extends { readonly id: string }>(page: Page<A>): string =>
  JSON.stringify({
    offset: page.offset,
    total: page.total,
    items: page.data.length,
    ids: page.data.slice(0, 5).map((item) => item.id)
  }).slice(0, 500)

/**
 * The error of a page that stayed inconsistent with the walk: the request that got it (`method`,
 * `path`), answered 200 with a body that decoded but was not a page of this walk; the attempts of
 * every request made for the page, the request id of the last answer.
 */
const inconsistentPage = <A extends { readonly id: string }>(
  request: { readonly method: string; readonly path: string },
  detail: string,
  page: Page<A>,
  attempts: number
): OmiseDecodeError => {
  const requestId = page.answer?.requestId
  return new OmiseDecodeError({
    method: request.method,
    path: request.path,
    status: 200,
    attempts,
    detail: `inconsistent page: ${detail}`,
    body: summary(page),
    ...(requestId !== undefined ? { requestId } : {})
  })
}

/** The requests made for one page so far, and the HTTP attempts they took. */
interface Tries {
  readonly compensations: number
  readonly retried: boolean
  readonly attempts: number
}

const attemptsOf = (page: Page<unknown>): number => page.answer?.attempts ?? 1

/**
 * Judges a page and asks for it again as the verdict says until it is accepted (`accept` then
 * runs); a page still inconsistent when asked for again, or deletes racing the walk for
 * {@link maxCompensations} requests, fail the stream with an `OmiseDecodeError` quoting the last
 * request made for it.
 */
const settler = <A extends { readonly id: string }, R>(
  pager: Pager<A, R>,
  progress: Progress,
  accept: Effect.Effect<void>
) => {
  const fail = (offset: number, detail: string, page: Page<A>, tries: Tries) =>
    Effect.fail(inconsistentPage(pager.requestAt(offset), detail, page, tries.attempts))
  const settle = (
    offset: number,
    page: Page<A>,
    sequential: boolean,
    tries: Tries
  ): Effect.Effect<ReadonlyArray<A>, OmiseError, R> => {
    const verdict = judge(pager, progress.view, progress.seen, offset, page, sequential)
    switch (verdict._tag) {
      case "accept":
        commit(progress, verdict.fresh, verdict.view)
        return Effect.as(accept, verdict.fresh)
      case "again": {
        if (tries.compensations >= maxCompensations) {
          const detail = `records kept being deleted: ${tries.compensations} requests for the page (total ${progress.view.total}, then ${page.total})`
          return fail(offset, detail, page, tries)
        }
        return Effect.flatMap(pager.load(verdict.offset), (next) =>
          settle(verdict.offset, next, true, {
            ...tries,
            compensations: tries.compensations + 1,
            attempts: tries.attempts + attemptsOf(next)
          })
        )
      }
      case "inconsistent": {
        if (tries.retried) return fail(offset, verdict.detail, page, tries)
        const retry = pager.align(progress.view.lo)
        return Effect.flatMap(pager.load(retry), (next) =>
          settle(retry, next, true, { ...tries, retried: true, attempts: tries.attempts + attemptsOf(next) })
        )
      }
    }
  }
  return (offset: number, page: Page<A>, sequential: boolean) =>
    settle(offset, page, sequential, { compensations: 0, retried: false, attempts: attemptsOf(page) })
}

/**
 * Every record of the walk once, in order, from the first page (already fetched, at `start`) on;
 * or a typed error. Never a silent gap, never an endless walk.
 *
 * Each page is judged against the walk ({@link judge}): a page that could leave a gap is asked
 * for again from further back; a page shorter or longer than its `total` says, repeating records
 * where new ones were due, or with new ones among repeated ones, is inconsistent, asked for once
 * more, then an `OmiseDecodeError`. The walk ends when its position reaches the total, so work is
 * bounded by the records plus those deleted meanwhile.
 *
 * With `concurrency` > 1 the next pages are requested ahead at the offsets the walk expects; a
 * page requested before the one last accepted came back may show an older view, and is asked for
 * again if it does not fit. Only the last {@link remembered} ids are kept.
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
      const progress: Progress = {
        seen: new Recent(remembered),
        view: { lo: start, hi: start, total: first.total },
        accepted: 0
      }
      const window = ahead(pager, progress, scope)
      const settle = settler(pager, progress, window.moved)
      const take = Effect.flatMap(window.next, (slot) =>
        Effect.flatMap(slot.page, (page) => settle(slot.offset, page, slot.epoch === progress.accepted))
      )
      // A page whose records were all emitted already is skipped, not emitted empty.
      const pull: Effect.Effect<Arr.NonEmptyReadonlyArray<A>, OmiseError | Cause.Done, R> = Effect.suspend(() =>
        progress.view.lo >= progress.view.total
          ? Cause.done()
          : Effect.flatMap(take, (fresh) => (Arr.isReadonlyArrayNonEmpty(fresh) ? Effect.succeed(fresh) : pull))
      )
      return Stream.concat(Stream.fromArrayEffect(settle(start, first, true)), Stream.fromPull(Effect.succeed(pull)))
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
