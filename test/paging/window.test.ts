/**
 * The pages requested ahead (concurrency > 1) after a burst of deletes: those in flight start
 * past where the records moved to, so they are requested again together from the walk's
 * position, not one after the other.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import { TestClock } from "effect/testing"
import * as Customer from "../../src/Customer.js"
import * as Account from "./account.js"

const ids = (items: ReadonlyArray<{ readonly id: string }>) => items.map((c) => c.id)

describe("pages requested ahead after deletes", () => {
  for (const stream of ["list", "search"] as const) {
    it.effect(`a burst of deletes while 9 pages are in flight: they are asked for again together (${stream})`, () =>
      Effect.gen(function* () {
        // Every answer takes a second; the 10 first records go just before the second page is
        // answered, so every page requested ahead shows them gone.
        const account = Account.make(1000, {
          before: (self, _request, index) => {
            if (index === 1) self.remove(Account.range(0, 10))
          },
          delay: () => 1000
        })
        const walk =
          stream === "list" ? Customer.stream({ concurrency: 10 }) : Customer.streamSearch({ concurrency: 10 })
        const fiber = yield* Effect.forkChild(Effect.provide(Stream.runCollect(walk), account.http.client()))
        let seconds = 0
        while (fiber.pollUnsafe() === undefined && seconds < 60) {
          yield* TestClock.adjust("1 second")
          seconds += 1
        }
        const result = yield* Fiber.join(fiber)
        assert.deepStrictEqual(ids(result), Account.range(0, 1000))
        // A second each for the first page, the window, the page from before the deletes and the
        // window again (4 in all): not a second more for each page in flight (11 in all).
        assert.isAtMost(seconds, 5)
      })
    )
  }
})
