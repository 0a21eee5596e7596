/**
 * What every resource's JSON shares: the two API versions the fake speaks and the list and
 * search envelopes. 2019-05-29 is the model; 2017-11-02 differs as the Omise upgrade guide lists
 * (`created`, delete stubs, lower-case currency, `active` status, `*_date` names, null order on
 * embedded lists, fewer fields). Each resource renders its own objects.
 *
 * @since 0.1.0
 */
import * as Result from "effect/Result"
import * as Dates from "./dates.js"
import * as Failure from "./failure.js"
import type * as State from "./state.js"

/**
 * The two response shapes the fake speaks.
 *
 * @since 0.1.0
 * @category rendering
 */
export type Version = "2019-05-29" | "2017-11-02"

/**
 * The versions an account may be on (`apiVersion`, the bin's `--api-version`), the default first.
 *
 * @since 0.2.0
 * @category rendering
 */
export const versions: ReadonlyArray<Version> = ["2019-05-29", "2017-11-02"]

/**
 * Whether `value` is one of {@link versions}.
 *
 * @since 0.2.0
 * @category rendering
 */
export const isVersion = (value: string): value is Version => (versions as ReadonlyArray<string>).includes(value)

/**
 * A JSON object.
 *
 * @since 0.2.0
 * @category rendering
 */
export type Json = Record<string, unknown>

/**
 * Whether the 2017-11-02 shapes apply.
 *
 * @since 0.1.0
 * @category rendering
 */
export const isLegacy = (version: Version): boolean => version === "2017-11-02"

const legacyVersions = new Set(["2017-11-02", "2015-11-17", "2014-07-27"])

/**
 * The version a request gets: its `Omise-Version`, or the account's when it sends none. Older
 * versions get the 2017-11-02 shapes; an unknown one is a 400.
 *
 * @since 0.2.0
 * @category rendering
 */
export const version = (header: string | undefined, fallback: Version): Result.Result<Version, Failure.ApiFailure> => {
  const requested = header?.trim()
  if (requested === undefined || requested === "") return Result.succeed(fallback)
  if (requested === "2019-05-29") return Result.succeed("2019-05-29")
  if (legacyVersions.has(requested)) return Result.succeed("2017-11-02")
  return Result.fail(Failure.badRequest(`API version ${requested} is not supported`))
}

/**
 * `created` (2017-11-02) or `created_at`.
 *
 * @since 0.2.0
 * @category rendering
 */
export const createdField = (version: Version, ms: number): Json =>
  isLegacy(version) ? { created: Dates.iso(ms) } : { created_at: Dates.iso(ms) }

/**
 * A list envelope. Embedded lists had `order: null` before 2019-05-29.
 *
 * @since 0.1.0
 * @category rendering
 */
export const list = (
  version: Version,
  options: {
    readonly data: ReadonlyArray<unknown>
    readonly window: State.Window
    readonly total: number
    readonly location: string | undefined
    readonly embedded: boolean
  }
): Json => {
  const { data, total, window } = options
  if (isLegacy(version)) {
    return {
      object: "list",
      from: Dates.iso(window.from),
      to: Dates.iso(window.to),
      offset: window.offset,
      limit: window.limit,
      total,
      order: options.embedded ? null : window.order,
      ...(options.location === undefined ? {} : { location: options.location }),
      data
    }
  }
  return {
    object: "list",
    data,
    limit: window.limit,
    offset: window.offset,
    total,
    ...(options.location === undefined ? {} : { location: options.location }),
    order: window.order,
    from: Dates.iso(window.from),
    to: Dates.iso(window.to)
  }
}

/**
 * The first page Omise embeds in a parent object.
 *
 * @since 0.1.0
 * @category rendering
 */
export const firstPage = (now: number): State.Window => ({
  offset: 0,
  limit: 20,
  from: 0,
  to: now,
  order: "chronological"
})

/**
 * A search result envelope.
 *
 * @since 0.1.0
 * @category rendering
 */
export const search = (
  version: Version,
  options: {
    readonly scope: string
    readonly query: string
    readonly filters: Readonly<Record<string, string>>
    readonly order: string
    readonly page: number
    readonly perPage: number
    readonly total: number
    readonly data: ReadonlyArray<unknown>
  }
): Json => ({
  object: "search",
  ...(isLegacy(version) ? {} : { export: null }),
  order: options.order,
  scope: options.scope,
  query: options.query,
  filters: options.filters,
  page: options.page,
  per_page: options.perPage,
  location: "/search",
  total_pages: Math.ceil(options.total / options.perPage),
  total: options.total,
  data: options.data,
  ...(isLegacy(version) ? {} : { aggregate_level: null })
})
