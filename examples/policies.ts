/**
 * Retry and timeout policies per call, and what the errors look like when they run out.
 * Runs against the in-memory fake with faults injected (or the real API, without faults).
 *
 *   npx tsx examples/policies.ts
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import { Customer, Policy } from "effect-omise"
import { FakeFault, OmiseFake } from "effect-omise/testing"
import { clientLayer, main } from "./support.js"

const patient = Policy.retry({ times: 5, base: "100 millis", cap: "1 second" })

const program = Effect.gen(function* () {
  const [customer] = (yield* Customer.list({ limit: 1 })).data
  if (customer === undefined) return yield* Effect.logWarning("no customers to play with")

  // Faults exist only in the fake; against the real API these steps are no-ops.
  const fake = yield* Effect.serviceOption(OmiseFake.OmiseFake)
  const inject = (fault: FakeFault.FakeFault, target: FakeFault.FaultTarget & { readonly times?: number }) =>
    Option.match(fake, { onNone: () => Effect.void, onSome: (f) => f.injectFault(fault, target) })

  // The next three reads fail with 503.
  yield* inject(FakeFault.serviceUnavailable, { method: "GET", times: 3 })
  // A patient read: retried through the 503s, each wait at least the server's Retry-After.
  const retrieved = yield* Customer.retrieve(customer.id).pipe(Policy.withRetry(patient))
  yield* Effect.log(`retrieved ${retrieved.id} despite three 503s`)

  yield* inject(FakeFault.latency("2 seconds"), { method: "GET", times: 10 })
  // An impatient read: 300 ms per attempt, 1 s for everything.
  const impatient = yield* Customer.retrieve(customer.id).pipe(
    Policy.withTimeout("300 millis"),
    Policy.withRetry(patient),
    Policy.withDeadline("1 second"),
    Effect.result
  )
  if (Result.isFailure(impatient)) {
    yield* Effect.log(`gave up: ${impatient.failure._tag}: ${impatient.failure.message}`)
  }
  yield* Option.match(fake, { onNone: () => Effect.void, onSome: (f) => f.clearFaults })

  yield* inject(FakeFault.dropAfterProcessing, { method: "POST", path: "/customers" })
  // A create is never replayed once it may have reached Omise: the error says so.
  const created = yield* Customer.create({ email: "maybe@example.com" }).pipe(
    Effect.catchTag("OmiseTransportError", (e) =>
      // The error's `method` and `path` say which request; its `message` would also name the URL
      // the client sent to, which in memory is only nominal (the fake answers inside the process).
      e.mayHaveTakenEffect
        ? Effect.as(
            Effect.log(
              `not replayed, may have taken effect: ${e._tag} on ${e.method} ${e.path} after ${e.attempts} attempt`
            ),
            undefined
          )
        : Effect.fail(e)
    )
  )
  if (created !== undefined) yield* Effect.log(`created ${created.id}`)

  // A policy on a stream applies to every page.
  const count = yield* Customer.stream({ limit: 20 }).pipe(Policy.withRetry(patient), Stream.take(60), Stream.runCount)
  yield* Effect.log(`streamed ${count} customers with the patient policy`)
})

main(
  "policies",
  program,
  clientLayer(
    Effect.flatMap(OmiseFake.OmiseFake, (fake) => fake.seedCustomers(100)),
    { client: { retry: Policy.noRetry } }
  )
)
