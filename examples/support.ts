/**
 * What the examples share: the real client when OMISE_SECRET_KEY is set, the in-memory fake
 * otherwise, a status line that says which (and the URL in use), and a main that runs a program
 * and reports its failure.
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { OmiseClient } from "effect-omise"
import { OmiseFake } from "effect-omise/testing"

/** Whether the examples talk to an Omise API over HTTP (the real one, or `OMISE_API_URL`). */
export const live = (process.env.OMISE_SECRET_KEY ?? "") !== ""

/**
 * The client: configured from the environment when live, else over a fresh in-memory fake
 * prepared by `seed` (and its handle, for examples that use it).
 */
export const clientLayer = (
  seed: Effect.Effect<void, unknown, OmiseFake.OmiseFake> = Effect.void,
  options: OmiseFake.Options = {}
): Layer.Layer<OmiseClient.OmiseClient> =>
  live
    ? OmiseClient.layerConfig().pipe(Layer.provide(FetchHttpClient.layer), Layer.orDie)
    : Layer.effectDiscard(seed).pipe(Layer.orDie, Layer.provideMerge(OmiseFake.layer(options)))

/**
 * Where requests go, from the client in use: the in-memory fake (whose client still carries the
 * default URL, though nothing leaves the process), or the URL the client sends to.
 */
export const target: Effect.Effect<string, never, OmiseClient.OmiseClient> = Effect.gen(function* () {
  const fake = yield* Effect.serviceOption(OmiseFake.OmiseFake)
  if (Option.isSome(fake)) return "the in-memory fake Omise (OMISE_SECRET_KEY is not set)"
  const client = yield* OmiseClient.OmiseClient
  return `${client.apiUrl} (OMISE_SECRET_KEY is set)`
})

/**
 * Runs `program` over `layer`, printing where it runs first (on stderr, so that an example's
 * stdout is its output) and the full cause if it fails.
 */
export const main = <A, E>(
  name: string,
  program: Effect.Effect<A, E, OmiseClient.OmiseClient>,
  layer: Layer.Layer<OmiseClient.OmiseClient>
): void => {
  const run = Effect.gen(function* () {
    const where = yield* target
    yield* Effect.sync(() => console.error(`${name}: against ${where}`))
    return yield* program
  })
  Effect.runPromiseExit(Effect.provide(run, layer)).then((exit) => {
    if (Exit.isFailure(exit)) {
      console.error(Cause.pretty(exit.cause))
      process.exitCode = 1
    }
  })
}
