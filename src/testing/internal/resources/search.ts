/**
 * `GET /search`: the scopes the registered resources declare, paged by `page`/`per_page`.
 * Documented scopes the fake holds nothing for answer an empty result.
 *
 * @since 0.2.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Dates from "../dates.js"
import * as Failure from "../failure.js"
import * as Params from "../params.js"
import * as Render from "../render.js"
import * as Routes from "../routes.js"

const decodeSearch = Params.decode(
  Schema.Struct({
    scope: Schema.optional(Params.Text),
    query: Schema.optional(Params.Text),
    filters: Schema.optional(Schema.Record(Schema.String, Params.Text)),
    order: Schema.optional(Params.Order)
  })
)

const decodePaging = Params.decode(
  Schema.Struct({
    page: Schema.optional(Params.Int.check(Schema.isGreaterThanOrEqualTo(1))),
    per_page: Schema.optional(Params.Int.check(Schema.isGreaterThanOrEqualTo(1)))
  }),
  "invalid_page"
)

const emptyScopes = new Set([
  "charge",
  "charge_schedule",
  "dispute",
  "event",
  "fund_account",
  "link",
  "log_entry",
  "receipt",
  "recipient",
  "refund",
  "sub_merchant",
  "transfer",
  "transfer_schedule",
  "transaction"
])

/**
 * The `created` filter every scope takes (a date, a date-time, `A..B`, or `today`, `yesterday`,
 * `this_week`, `last_week`, `this_month`, `last_month`); any other filter is refused.
 *
 * @since 0.2.0
 * @category search
 */
export const createdFilter: Routes.SearchScope["filter"] = (name, value, now) =>
  name === "created" ? Dates.parseCreatedFilter(value, now) : undefined

const search = (context: Routes.Context) =>
  Effect.gen(function* () {
    const params = yield* decodeSearch(context.params)
    const paging = yield* decodePaging(context.params)
    const name = params.scope
    if (name === undefined) return yield* Effect.fail(Failure.badRequest("scope is required", "invalid_scope"))
    const scope = context.scopes.get(name)
    if (scope === undefined && !emptyScopes.has(name)) {
      return yield* Effect.fail(Failure.badRequest(`scope ${name} is not supported`, "invalid_scope"))
    }
    const filters = params.filters ?? {}
    let window = { from: 0, to: Number.MAX_SAFE_INTEGER }
    for (const [filter, value] of Object.entries(filters)) {
      const narrowed = (scope?.filter ?? createdFilter)(filter, value, context.now)
      if (narrowed === undefined) {
        return yield* Effect.fail(Failure.badRequest(`filters[${filter}] is invalid`, "invalid_filter"))
      }
      window = narrowed
    }
    const order = params.order ?? "chronological"
    const page = paging.page ?? 1
    const perPage = Math.min(paging.per_page ?? 30, 100)
    const query = params.query ?? ""
    const words = query
      .toLowerCase()
      .split(/\s+/)
      .filter((word) => word.length > 0)
    const found =
      scope === undefined
        ? { total: 0, data: [] }
        : scope.search(context, { ...window, order, offset: (page - 1) * perPage, limit: perPage }, words)
    return Render.search(context.version, {
      scope: name,
      query,
      filters,
      order,
      page,
      perPage,
      total: found.total,
      data: found.data
    })
  })

/**
 * `GET /search`.
 *
 * @since 0.2.0
 * @category resources
 */
export const resource: Routes.Resource = { routes: [Routes.route("GET", "/search", search)] }
