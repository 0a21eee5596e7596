/**
 * Type-level tests: checked by `tsc` in `npm test`. The error channel of every operation must be
 * exactly the OmiseError union (never `unknown`), and the requirement exactly OmiseClient.
 */
import { describe, expectTypeOf, it } from "@effect/vitest"
import type * as Effect from "effect/Effect"
import type { Card, DeletedCard } from "../src/Card.js"
import * as Customer from "../src/Customer.js"
import type { OmiseClient } from "../src/OmiseClient.js"
import type { OmiseError } from "../src/OmiseError.js"
import type { OmiseList } from "../src/OmiseList.js"
import type { Schedule } from "../src/Schedule.js"
import type { SearchResult } from "../src/Search.js"

type Op<A> = Effect.Effect<A, OmiseError, OmiseClient>

describe("operation types", () => {
  it("every operation is exactly Effect<A, OmiseError, OmiseClient>", () => {
    expectTypeOf(Customer.create()).toEqualTypeOf<Op<Customer.Customer>>()
    expectTypeOf(Customer.retrieve("cust_1")).toEqualTypeOf<Op<Customer.Customer>>()
    expectTypeOf(Customer.update("cust_1", {})).toEqualTypeOf<Op<Customer.Customer>>()
    expectTypeOf(Customer.destroy("cust_1")).toEqualTypeOf<Op<Customer.DeletedCustomer>>()
    expectTypeOf(Customer.list()).toEqualTypeOf<Op<OmiseList<Customer.Customer>>>()
    expectTypeOf(Customer.listCards("cust_1")).toEqualTypeOf<Op<OmiseList<Card>>>()
    expectTypeOf(Customer.listSchedules("cust_1")).toEqualTypeOf<Op<OmiseList<Schedule>>>()
    expectTypeOf(Customer.search()).toEqualTypeOf<Op<SearchResult<Customer.Customer>>>()
    expectTypeOf(Customer.retrieveCard("cust_1", "card_1")).toEqualTypeOf<Op<Card>>()
    expectTypeOf(Customer.updateCard("cust_1", "card_1", {})).toEqualTypeOf<Op<Card>>()
    expectTypeOf(Customer.destroyCard("cust_1", "card_1")).toEqualTypeOf<Op<DeletedCard>>()
  })

  it("the error channel is not unknown", () => {
    expectTypeOf<Effect.Error<ReturnType<typeof Customer.retrieve>>>().not.toBeUnknown()
    expectTypeOf<Effect.Error<ReturnType<typeof Customer.retrieve>>>().toEqualTypeOf<OmiseError>()
  })

  it("parameters are typed", () => {
    // @ts-expect-error order is one of two values
    Customer.list({ order: "newest" })
    // @ts-expect-error limit is a number
    Customer.list({ limit: "10" })
    // @ts-expect-error update needs params
    Customer.update("cust_1")
    expectTypeOf(Customer.list).parameter(0).toEqualTypeOf<
      | {
          readonly offset?: number | undefined
          readonly limit?: number | undefined
          readonly from?: import("effect/DateTime").Utc | import("effect/DateTime").Zoned | Date | string | undefined
          readonly to?: import("effect/DateTime").Utc | import("effect/DateTime").Zoned | Date | string | undefined
          readonly order?: "chronological" | "reverse_chronological" | undefined
        }
      | undefined
    >()
  })
})
