import * as Effect from "effect/Effect"

/**
 * Lets real asynchronous work (a `Response` body being read) finish before the TestClock moves,
 * so that a forked request reaches its next sleep before time is adjusted past it.
 */
export const settle: Effect.Effect<void> = Effect.promise(
  () => new Promise<void>((resolve) => setTimeout(resolve, 2))
).pipe(Effect.repeat({ times: 2 }))
