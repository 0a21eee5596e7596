/**
 * The resources the fake serves: adding one is a module in `resources/` and a line here.
 *
 * @since 0.2.0
 */
import * as Customers from "./resources/customers.js"
import * as Schedules from "./resources/schedules.js"
import * as Search from "./resources/search.js"
import * as Tokens from "./resources/tokens.js"
import * as Routes from "./routes.js"

/**
 * The route table of every resource.
 *
 * @since 0.2.0
 * @category routing
 */
export const table: Routes.Table = Routes.table([
  Customers.resource,
  Tokens.resource,
  Schedules.resource,
  Search.resource
])
