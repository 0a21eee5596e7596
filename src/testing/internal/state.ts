/**
 * The fake's state, cut by resource: each resource declares a {@link Slot} for its own state,
 * made on first use, so registering a resource needs no change here. Collections are kept in
 * creation order, which makes list windows and pages binary searches.
 *
 * @since 0.2.0
 */
import * as Rng from "./rng.js"

/**
 * Ids of new objects: `<prefix>_test_` plus a sequence number and seeded random characters.
 *
 * @since 0.2.0
 * @category state
 */
export class Ids {
  private seq = 0
  private readonly rng: Rng.Rng

  constructor(seed: number) {
    this.rng = Rng.make(seed)
  }

  next(prefix: string): { readonly id: string; readonly seq: number } {
    const seq = ++this.seq
    return { id: Rng.objectId(this.rng, prefix, seq), seq }
  }
}

/**
 * A resource's state and how to make it.
 *
 * @since 0.2.0
 * @category state
 */
export interface Slot<S> {
  readonly name: string
  readonly make: (ids: Ids) => S
}

/**
 * Declares a resource's state.
 *
 * @since 0.2.0
 * @category state
 */
export const slot = <S>(name: string, make: (ids: Ids) => S): Slot<S> => ({ name, make })

/**
 * All state of one fake: ids and the slots made so far. Changed only under the fake's lock.
 *
 * @since 0.2.0
 * @category state
 */
export class State {
  private readonly slots = new Map<Slot<unknown>, unknown>()

  constructor(readonly ids: Ids) {}

  get<S>(slot: Slot<S>): S {
    if (!this.slots.has(slot)) this.slots.set(slot, slot.make(this.ids))
    return this.slots.get(slot) as S
  }
}

/**
 * What orders a collection: creation time in whole seconds, then creation sequence.
 *
 * @since 0.2.0
 * @category state
 */
export interface Created {
  readonly created: number
  readonly seq: number
}

const before = (a: Created, b: Created): boolean => a.created < b.created || (a.created === b.created && a.seq < b.seq)

/** First index whose creation time is >= `at` (or > `at` when `after`). */
const bound = (items: ReadonlyArray<Created>, at: number, after: boolean): number => {
  let lo = 0
  let hi = items.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const created = items[mid]!.created
    if (created < at || (after && created === at)) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Inserts keeping creation order; appending is the common case and O(1).
 *
 * @since 0.2.0
 * @category state
 */
export const insert = <T extends Created>(items: Array<T>, item: T): void => {
  const last = items[items.length - 1]
  if (last === undefined || before(last, item)) {
    items.push(item)
    return
  }
  let lo = 0
  let hi = items.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (before(items[mid]!, item)) lo = mid + 1
    else hi = mid
  }
  items.splice(lo, 0, item)
}

/**
 * Removes `item` (found by binary search on its creation time).
 *
 * @since 0.2.0
 * @category state
 */
export const remove = <T extends Created>(items: Array<T>, item: T): void => {
  for (let i = bound(items, item.created, false); i < items.length && items[i]!.created === item.created; i++) {
    if (items[i] === item) {
      items.splice(i, 1)
      return
    }
  }
}

/**
 * Which part of a collection a request asks for: created within `from`..`to` (inclusive, ms),
 * in `order`, skipping `offset` and taking at most `limit`.
 *
 * @since 0.2.0
 * @category state
 */
export interface Window {
  readonly from: number
  readonly to: number
  readonly order: "chronological" | "reverse_chronological"
  readonly offset: number
  readonly limit: number
}

/**
 * The items in a window, and how many there are in all, for lists and searches alike. Without
 * `keep` this is O(log n + limit); with it, every item of the window is tested.
 *
 * @since 0.2.0
 * @category state
 */
export const select = <T extends Created>(
  items: ReadonlyArray<T>,
  window: Window,
  keep?: (item: T) => boolean
): { readonly total: number; readonly data: ReadonlyArray<T> } => {
  const lo = bound(items, window.from, false)
  const size = Math.max(0, bound(items, window.to, true) - lo)
  const at = (i: number): T => items[window.order === "chronological" ? lo + i : lo + size - 1 - i]!
  const data: Array<T> = []
  if (keep === undefined) {
    for (let i = window.offset; i < size && data.length < window.limit; i++) data.push(at(i))
    return { total: size, data }
  }
  let total = 0
  for (let i = 0; i < size; i++) {
    const item = at(i)
    if (!keep(item)) continue
    if (total >= window.offset && data.length < window.limit) data.push(item)
    total++
  }
  return { total, data }
}
