/**
 * What the examples share: the real client when OMISE_SECRET_KEY is set, the in-memory fake
 * otherwise, and a main that runs a program and reports its failure.
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Layer from "effect/Layer"
import { OmiseClient } from "effect-omise"
import { type OmiseEmulator, OmiseFake } from "effect-omise/testing"

/** Whether the examples talk to the real Omise API. */
export const live = (process.env.OMISE_SECRET_KEY ?? "") !== ""

/**
 * The client: configured from the environment when live, else over a fresh in-memory fake
 * prepared by `seed` (and its handle, for examples that use it).
 */
export const clientLayer = (
  seed: (fake: OmiseEmulator.OmiseEmulator) => Effect.Effect<void, unknown> = () => Effect.void,
  options: OmiseFake.Options = {}
): Layer.Layer<OmiseClient.OmiseClient> =>
  live
    ? OmiseClient.layerConfig().pipe(Layer.provide(FetchHttpClient.layer), Layer.orDie)
    : Layer.effectDiscard(Effect.flatMap(OmiseFake.OmiseFake, seed)).pipe(
        Layer.orDie,
        Layer.provideMerge(OmiseFake.layer(options))
      )

/** Runs `program`, printing where it runs first and the full cause if it fails. */
export const main = <A, E>(name: string, program: Effect.Effect<A, E>): void => {
  console.error(
    `${name}: against ${live ? "the real Omise API (OMISE_SECRET_KEY is set)" : "the in-memory fake Omise"}`
  )
  Effect.runPromiseExit(program).then((exit) => {
    if (Exit.isFailure(exit)) {
      console.error(Cause.pretty(exit.cause))
      process.exitCode = 1
    }
  })
}
