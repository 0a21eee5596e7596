/**
 * The fake's route table: each route is a method, a path pattern (`/customers/:id`, matched as
 * fault targets are), the kind of key it takes and a handler from params to a JSON body. A
 * resource is a module exporting its routes (and, when Omise searches it, a search scope); the
 * fake serves the resources listed in `resources.ts`.
 *
 * @since 0.2.0
 */
import type * as Effect from "effect/Effect"
import type * as Failure from "./failure.js"
import type * as Keys from "./keys.js"
import type * as Params from "./params.js"
import * as Path from "./path.js"
import type * as Render from "./render.js"
import * as State from "./state.js"

/**
 * Everything a handler needs: state, version, the time (whole seconds), the request's params
 * and the path's `:name` segments.
 *
 * @since 0.2.0
 * @category routing
 */
export interface Context {
  readonly state: State.State
  readonly version: Render.Version
  readonly now: number
  readonly params: Params.Params
  readonly path: Readonly<Record<string, string>>
  /** The search scopes of every resource served. */
  readonly scopes: ReadonlyMap<string, SearchScope>
}

/**
 * Which key a route takes: the secret key for the API, the public key for the vault.
 *
 * @since 0.2.0
 * @category routing
 */
export type Key = Keys.Kind

/**
 * One route.
 *
 * @since 0.2.0
 * @category routing
 */
export interface Route {
  readonly method: string
  readonly pattern: ReadonlyArray<string>
  readonly key: Key
  readonly handle: (context: Context) => Effect.Effect<unknown, Failure.ApiFailure>
}

/**
 * Declares a route; the secret key unless `key` says otherwise.
 *
 * @since 0.2.0
 * @category routing
 */
export const route = (
  method: string,
  path: string,
  handle: Route["handle"],
  options: { readonly key?: Key } = {}
): Route => ({ method, pattern: Path.segments(path), key: options.key ?? "skey", handle })

/**
 * A resource as `/search` finds it: under a scope name, narrowed by filters, matched by words.
 *
 * @since 0.2.0
 * @category routing
 */
export interface SearchScope {
  readonly name: string
  /** The creation window a filter asks for, or `undefined` for a filter the scope does not take. */
  readonly filter: (
    name: string,
    value: string,
    now: number
  ) => { readonly from: number; readonly to: number } | undefined
  /** One page of the matching objects, rendered, and how many match in all. */
  readonly search: (
    context: Context,
    window: State.Window,
    words: ReadonlyArray<string>
  ) => { readonly total: number; readonly data: ReadonlyArray<unknown> }
}

/**
 * A search scope over a creation-ordered collection: its objects, whether one matches every
 * word of the query, and its JSON. The window and paging rules are `State.select`'s.
 *
 * @since 0.2.0
 * @category routing
 */
export const searchScope = <T extends State.Created>(scope: {
  readonly name: string
  readonly filter: SearchScope["filter"]
  readonly items: (context: Context) => ReadonlyArray<T>
  readonly matches: (item: T, words: ReadonlyArray<string>) => boolean
  readonly render: (context: Context, item: T) => unknown
}): SearchScope => ({
  name: scope.name,
  filter: scope.filter,
  search: (context, window, words) => {
    const found = State.select(
      scope.items(context),
      window,
      words.length === 0 ? undefined : (item) => scope.matches(item, words)
    )
    return { total: found.total, data: found.data.map((item) => scope.render(context, item)) }
  }
})

/**
 * A resource: its routes and the scopes `/search` finds it under.
 *
 * @since 0.2.0
 * @category routing
 */
export interface Resource {
  readonly routes: ReadonlyArray<Route>
  readonly searchScopes?: ReadonlyArray<SearchScope> | undefined
}

/**
 * The route table of a list of resources.
 *
 * @since 0.2.0
 * @category routing
 */
export interface Table {
  readonly routes: ReadonlyArray<Route>
  readonly scopes: ReadonlyMap<string, SearchScope>
}

/**
 * Builds the table.
 *
 * @since 0.2.0
 * @category routing
 */
export const table = (resources: ReadonlyArray<Resource>): Table => ({
  routes: resources.flatMap((resource) => resource.routes),
  scopes: new Map(resources.flatMap((resource) => resource.searchScopes ?? []).map((scope) => [scope.name, scope]))
})

/**
 * The route for a request and its path params, if any.
 *
 * @since 0.2.0
 * @category routing
 */
export const find = (
  table: Table,
  method: string,
  path: ReadonlyArray<string>
): { readonly route: Route; readonly params: Readonly<Record<string, string>> } | undefined => {
  for (const route of table.routes) {
    if (route.method !== method) continue
    const params = Path.match(route.pattern, path)
    if (params !== undefined) return { route, params }
  }
  return undefined
}

/**
 * The key a request must carry: its route's, or for a path no route serves, that of the routes
 * under the same first segment (so `/tokens/...` always wants the public key).
 *
 * @since 0.2.0
 * @category routing
 */
export const keyFor = (table: Table, path: ReadonlyArray<string>, found: Route | undefined): Key =>
  found?.key ?? table.routes.find((route) => route.pattern[0] === path[0])?.key ?? "skey"
