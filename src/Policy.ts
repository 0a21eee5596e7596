/**
 * Retry and timeout policies as values.
 *
 * The client's defaults come from `OmiseClient.layer` options; `withRetry`, `withTimeout` and
 * `withDeadline` override them for every request that runs inside the Effect or Stream they wrap,
 * and compose with each other (the innermost override wins). Whatever the policy, a write that may
 * already have reached Omise is never replayed: see {@link RetryPolicy}.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Durations from "./internal/duration.js"

/**
 * How failed requests are retried: up to `times` more attempts, waiting an exponentially growing
 * delay from `base` (doubling, capped at `cap`, scaled by a random factor in [0.8, 1.2] when
 * `jitter` is on), and never less than the server's `Retry-After`. A `Retry-After` over one minute
 * is not waited for: the error (with `retryAfterMillis`) goes back to the caller at once.
 *
 * Which failures are retried depends on the request, not on the policy:
 * - reads (GET), deletes and updates without a card token: transport errors, per-attempt
 *   timeouts, 429, 500, 502, 503 and 504;
 * - creates (POST) and updates that attach a card token: only failures that prove the request
 *   was not processed (connection refused, 429). Anything else is reported with
 *   `mayHaveTakenEffect: true` rather than replayed, because Omise has no idempotency keys.
 *
 * Being retried says nothing of whether a write happened: an update or delete whose retries run
 * out after an attempt that lost its answer still fails with `mayHaveTakenEffect: true`.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryPolicy {
  readonly _tag: "RetryPolicy"
  /** Retries after the first attempt (0 = never retry). */
  readonly times: number
  /** The first delay. */
  readonly base: Duration.Duration
  /** The longest delay between two attempts (a larger `Retry-After`, up to one minute, still wins). */
  readonly cap: Duration.Duration
  /** Whether delays are randomised, so that many clients do not retry in lockstep. */
  readonly jitter: boolean
}

// A value that is not a positive duration is kept as zero, which every request refuses: the
// combinators keep the exact type of what they wrap, so the refusal has to come from a request.
const durationOrZero = (input: Duration.Input): Duration.Duration => Durations.positive(input) ?? Duration.zero

/**
 * Makes a retry policy. Defaults: `base` 500 ms, `cap` 5 s, `jitter` on. `times` is a whole
 * number, 0 or more; `base` and `cap` are positive durations.
 *
 * It never throws: a policy made from values outside these bounds (`times: -1`, `times:
 * Infinity`, `base: "banana"`, `base: 0`; a duration that cannot be read is kept as zero) is
 * refused where it is used. `OmiseClient.layer` fails with a `ConfigError`, and under
 * {@link withRetry} every request fails with `OmiseInvalidArgumentError` before it is sent
 * (its `argument` is `Policy.withRetry`).
 *
 * @example
 * ```ts
 * import { Customer, Policy } from "effect-omise"
 *
 * const patient = Policy.retry({ times: 5, base: "200 millis", cap: "10 seconds" })
 * const customer = Customer.retrieve("cust_test_5xyz").pipe(Policy.withRetry(patient))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const retry = (options: {
  readonly times: number
  readonly base?: Duration.Input | undefined
  readonly cap?: Duration.Input | undefined
  readonly jitter?: boolean | undefined
}): RetryPolicy => ({
  _tag: "RetryPolicy",
  times: options.times,
  base: durationOrZero(options.base ?? "500 millis"),
  cap: durationOrZero(options.cap ?? "5 seconds"),
  jitter: options.jitter ?? true
})

/**
 * The default retry policy: 2 retries, exponential from 500 ms, capped at 5 s, with jitter.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { OmiseClient, Policy } from "effect-omise"
 *
 * // What a client without a `retry` option uses, spelled out.
 * const Omise = OmiseClient.layer({ secretKey: Redacted.make("skey_test_5xyz"), retry: Policy.defaultRetry })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultRetry: RetryPolicy = retry({ times: 2 })

/**
 * A policy that never retries.
 *
 * @example
 * ```ts
 * import { Customer, Policy } from "effect-omise"
 *
 * // One attempt: a caller that retries on its own terms.
 * const once = Customer.list({ limit: 1 }).pipe(Policy.withRetry(Policy.noRetry))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const noRetry: RetryPolicy = retry({ times: 0 })

/**
 * The default per-attempt timeout: 60 s, because bank processing can take up to about 40 s.
 *
 * @example
 * ```ts
 * import { Duration, Redacted } from "effect"
 * import { OmiseClient, Policy } from "effect-omise"
 *
 * const Omise = OmiseClient.layer({
 *   secretKey: Redacted.make("skey_test_5xyz"),
 *   timeout: Duration.times(Policy.defaultTimeout, 2) // a slow acquirer
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultTimeout: Duration.Duration = Duration.seconds(60)

/**
 * The policies that apply to a request: the client's defaults with any override on top.
 *
 * @since 0.1.0
 * @category models
 */
export interface Policies {
  readonly retry: RetryPolicy
  /** Per-attempt timeout. */
  readonly timeout: Duration.Duration
  /** Overall bound on all attempts and waits of one request, if any. */
  readonly deadline: Option.Option<Duration.Duration>
}

/**
 * Overrides in force for the current fiber; fields left out fall back to the client's defaults.
 *
 * @since 0.1.0
 * @category models
 */
export interface Overrides {
  readonly retry?: RetryPolicy
  readonly timeout?: Duration.Duration
  readonly deadline?: Duration.Duration
}

/**
 * The overrides set by `withRetry`, `withTimeout` and `withDeadline` around the current fiber.
 * A `Context.Reference`: read it with `yield* Policy.currentOverrides`; empty by default.
 *
 * @since 0.1.0
 * @category references
 */
export const currentOverrides: Context.Reference<Overrides> = Context.Reference<Overrides>(
  "effect-omise/Policy/currentOverrides",
  { defaultValue: () => ({}) }
)

/**
 * Resolves the policies for one request: the overrides in force over the client's defaults.
 *
 * @example
 * ```ts
 * import { Duration, Option } from "effect"
 * import { Policy } from "effect-omise"
 *
 * const defaults = { retry: Policy.defaultRetry, timeout: Policy.defaultTimeout, deadline: Option.none() }
 * // A 5 s timeout; the default retry and no deadline.
 * const policies = Policy.resolve(defaults, { timeout: Duration.seconds(5) })
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const resolve = (defaults: Policies, overrides: Overrides): Policies => ({
  retry: overrides.retry ?? defaults.retry,
  timeout: overrides.timeout ?? defaults.timeout,
  deadline: overrides.deadline !== undefined ? Option.some(overrides.deadline) : defaults.deadline
})

/**
 * Anything a policy can wrap. Both are covariant, so every Effect and Stream fits.
 *
 * @since 0.1.0
 * @category models
 */
export type Wrappable = Effect.Effect<unknown, unknown, unknown> | Stream.Stream<unknown, unknown, unknown>

const override =
  (patch: Overrides) =>
  <X extends Wrappable>(self: X): X => {
    const merge = (current: Overrides): Overrides => ({ ...current, ...patch })
    // One generic signature (not overloads) keeps the exact type of what is wrapped inside `pipe`.
    const wrapped: Wrappable = Effect.isEffect(self)
      ? Effect.updateService(self, currentOverrides, merge)
      : Stream.updateService(self, currentOverrides, merge)
    return wrapped as X
  }

/**
 * Uses `policy` for every request inside the wrapped Effect or Stream. A policy outside the
 * bounds of {@link retry} makes each of those requests fail with `OmiseInvalidArgumentError`
 * (argument `Policy.withRetry`) before anything is sent.
 *
 * @example
 * ```ts
 * import { Customer, Policy } from "effect-omise"
 *
 * const customer = Customer.retrieve("cust_test_5xyz").pipe(Policy.withRetry(Policy.retry({ times: 5 })))
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const withRetry = (policy: RetryPolicy): (<X extends Wrappable>(self: X) => X) => override({ retry: policy })

/**
 * Sets the per-attempt timeout of every request inside the wrapped Effect or Stream. It must be
 * a positive duration: `0`, a negative value, NaN or text that is not a duration make each of
 * those requests fail with `OmiseInvalidArgumentError` (argument `Policy.withTimeout`) before
 * anything is sent. The wrapped type is kept exactly, so an Effect or Stream that sends no
 * request is not affected.
 *
 * @example
 * ```ts
 * import { Customer, Policy } from "effect-omise"
 *
 * const customer = Customer.retrieve("cust_test_5xyz").pipe(Policy.withTimeout("5 seconds"))
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const withTimeout = (duration: Duration.Input): (<X extends Wrappable>(self: X) => X) =>
  override({ timeout: durationOrZero(duration) })

/**
 * Bounds all attempts and waits of each request inside the wrapped Effect or Stream together.
 * It must be a positive duration: anything else makes each of those requests fail with
 * `OmiseInvalidArgumentError` (argument `Policy.withDeadline`) before anything is sent.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { Customer, Policy } from "effect-omise"
 *
 * // Each page's request, retries and waits included, within 30 s.
 * const count = Customer.stream().pipe(Policy.withDeadline("30 seconds"), Stream.runCount)
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const withDeadline = (duration: Duration.Input): (<X extends Wrappable>(self: X) => X) =>
  override({ deadline: durationOrZero(duration) })
