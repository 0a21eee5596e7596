import { assert, describe, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Customer from "../src/Customer.js"
import { CUSTOMER_ID, customer2019 } from "./fixtures/bodies.js"
import * as RecordingHttp from "./utils/RecordingHttp.js"

const retrieveWith = (body: unknown) =>
  Effect.provide(Customer.retrieve(CUSTOMER_ID), RecordingHttp.make(RecordingHttp.json(body)).client())

describe("Timestamps in responses", () => {
  // `Date.parse` reads "1" as 2001-01-01 and rolls February 30th over to March 1st.
  for (const created_at of [
    "1",
    "March 7",
    "2024-02-30T00:00:00Z",
    "2024-03-07T25:00:00Z",
    "2024-03-07 10:00:00",
    "+010001-02-29T00:00:00Z"
  ]) {
    it.effect(`a body whose created_at is ${JSON.stringify(created_at)} fails with OmiseDecodeError`, () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(retrieveWith(customer2019({ created_at })))
        assert.strictEqual(error._tag, "OmiseDecodeError")
        assert.include(error.message, "created_at")
      })
    )
  }

  it.effect("the same text is refused every time, not only before it is remembered", () =>
    Effect.gen(function* () {
      for (let i = 0; i < 3; i++) {
        const error = yield* Effect.flip(retrieveWith(customer2019({ created_at: "2024-02-30T00:00:00Z" })))
        assert.strictEqual(error._tag, "OmiseDecodeError")
      }
    })
  )

  it.effect("a date and time with an offset, or in lower case, decodes to the instant it names", () =>
    Effect.gen(function* () {
      const offset = yield* retrieveWith(customer2019({ created_at: "2024-03-07T17:00:00+07:00" }))
      assert.strictEqual(DateTime.formatIso(offset.created_at), "2024-03-07T10:00:00.000Z")
      const lower = yield* retrieveWith(customer2019({ created_at: "2024-02-29t10:00:00.5z" }))
      assert.strictEqual(DateTime.formatIso(lower.created_at), "2024-02-29T10:00:00.500Z")
      // Expanded years, as `DateTime.formatIso` writes them outside 0000–9999.
      const far = yield* retrieveWith(customer2019({ created_at: "+010000-02-29T00:00:00.000Z" }))
      assert.strictEqual(DateTime.formatIso(far.created_at), "+010000-02-29T00:00:00.000Z")
    })
  )
})
