/**
 * One gate per client layer: a bound on the requests in flight, shared by every fiber and stream
 * that uses the layer, and a pause that a 429's `Retry-After` puts on all of them. Omise counts
 * parallel requests and rate limits per account, not per caller, so a limit per stream or per
 * fiber would not keep an application inside them.
 *
 * @since 0.2.0
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import * as Semaphore from "effect/Semaphore"

/**
 * @since 0.2.0
 * @internal
 */
export interface Gate {
  /**
   * Runs `exchange` (one HTTP exchange, body read included) holding one of the permits, once any
   * pause in force has passed.
   */
  readonly through: <A, E, R>(exchange: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** Holds every request back for `millis` from now (a longer pause already in force stays). */
  readonly pause: (millis: number) => Effect.Effect<void>
}

/**
 * A gate with `permits` requests in flight at most.
 *
 * @since 0.2.0
 * @internal
 */
export const make = (permits: number): Effect.Effect<Gate> =>
  Effect.map(Effect.all([Semaphore.make(permits), Ref.make(0)]), ([semaphore, resumeAt]) => {
    // Checked with the permit held, so that a pause that began while this request queued holds
    // it too; nothing is sent until the pause is over (re-read: it may have been extended).
    const waitOut: Effect.Effect<void> = Effect.flatMap(Ref.get(resumeAt), (at) =>
      at === 0
        ? Effect.void
        : Effect.flatMap(Clock.currentTimeMillis, (now) =>
            at > now ? Effect.andThen(Effect.sleep(Duration.millis(at - now)), waitOut) : Effect.void
          )
    )
    return {
      through: (exchange) => semaphore.withPermit(Effect.andThen(waitOut, exchange)),
      pause: (millis) =>
        millis <= 0
          ? Effect.void
          : Effect.flatMap(Clock.currentTimeMillis, (now) => Ref.update(resumeAt, (at) => Math.max(at, now + millis)))
    }
  })
