/**
 * Searches customers by free text and by creation date ranges (`filters[created]`), over all
 * pages.
 *
 *   npx tsx examples/search.ts [query] [--created 2024-01-01..2024-06-30]
 */
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { parseArgs } from "node:util"
import { Customer } from "effect-omise"
import { OmiseFake } from "effect-omise/testing"
import { clientLayer, main } from "./support.js"

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { created: { type: "string" } }
})

const program = Effect.gen(function* () {
  const query = positionals[0] ?? "shop"
  // One page, to see the envelope.
  const first = yield* Customer.search({ query, per_page: 5, order: "reverse_chronological" })
  yield* Effect.log(`"${query}": ${first.total} customers in ${first.total_pages} pages of ${first.per_page}`)

  // Every page, with a date range filter.
  const created = values.created ?? "2024-01-01..2024-06-30"
  const matches = yield* Customer.streamSearch({ query, filters: { created }, per_page: 20 }).pipe(Stream.runCollect)
  yield* Effect.log(`"${query}" created ${created}: ${matches.length} customers`)
  for (const customer of matches) {
    yield* Effect.log(`  ${customer.id}  ${DateTime.formatIso(customer.created_at)}  ${customer.email}`)
  }
})

// The fake: 30 shops created through the first half of 2024, plus 10 others.
const seed = Effect.gen(function* () {
  const fake = yield* OmiseFake.OmiseFake
  for (let i = 0; i < 40; i++) {
    yield* fake.createCustomer({
      email: i < 30 ? `shop${i}@example.com` : `person${i}@example.com`,
      description: i < 30 ? `Shop number ${i}` : "A person",
      created: DateTime.makeUnsafe(Date.UTC(2024, 0, 1 + i * 6))
    })
  }
})

main("search", program, clientLayer(seed))
