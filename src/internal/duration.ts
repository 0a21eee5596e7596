/**
 * The one check of a duration given by the user (an option of the layer, a `Policy` value):
 * positive, infinity allowed. `Duration.fromInput` reads NaN and `{}` as zero and keeps negative
 * values, and its unsafe twin throws on text it cannot read: none of these may become a timeout
 * that fires at once or a wait that never happens.
 *
 * @since 0.2.0
 * @internal
 */
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import * as Result from "effect/Result"

/**
 * What a duration must be, said the same way everywhere.
 *
 * @since 0.2.0
 * @internal
 */
export const expected = 'expected a positive duration, such as 30 seconds, "30 seconds" or 30000 (milliseconds)'

/**
 * Whether `duration` is a `Duration` longer than zero.
 *
 * @since 0.2.0
 * @internal
 */
export const isPositive = (duration: unknown): duration is Duration.Duration =>
  Duration.isDuration(duration) && Duration.isGreaterThan(duration, Duration.zero)

/**
 * `input` as a positive duration, or `undefined` when it is not one (or cannot be read).
 *
 * @since 0.2.0
 * @internal
 */
export const positive = (input: Duration.Input): Duration.Duration | undefined => {
  if (typeof input === "number" && Number.isNaN(input)) return undefined
  // `fromInput` reads objects and tuples field by field; a hostile value must not throw here.
  const parsed = Result.try(() => Duration.fromInput(input))
  if (Result.isFailure(parsed) || Option.isNone(parsed.success)) return undefined
  const duration = parsed.success.value
  return isPositive(duration) ? duration : undefined
}
