/**
 * Injected faults at work: which request gets which {@link FakeFault.FakeFault} (the next
 * `times` matching requests, or a seeded share of them), and what each fault does to it.
 *
 * @since 0.2.0
 */
import * as Effect from "effect/Effect"
import type * as FakeFault from "../FakeFault.js"
import { matches } from "../FakeFault.js"
import * as FakeHttp from "../FakeHttp.js"
import * as Failure from "./failure.js"
import * as Rng from "./rng.js"

type Rule =
  | { readonly fault: FakeFault.FakeFault; readonly target: FakeFault.FaultTarget; remaining: number }
  | {
      readonly fault: FakeFault.FakeFault
      readonly target: FakeFault.FaultTarget
      readonly probability: number
      readonly rng: Rng.Rng
    }

/**
 * The faults injected into one fake.
 *
 * @since 0.2.0
 * @category faults
 */
export interface Faults {
  readonly inject: (fault: FakeFault.FakeFault, options: FakeFault.InjectOptions) => void
  readonly injectRate: (fault: FakeFault.FakeFault, options: FakeFault.InjectRateOptions) => void
  readonly clear: () => void
  /** The fault for this request, if any; counts it against its rule. */
  readonly pick: (method: string, path: string) => FakeFault.FakeFault | undefined
}

/**
 * No faults yet.
 *
 * @since 0.2.0
 * @category faults
 */
export const make = (): Faults => {
  let rules: Array<Rule> = []
  return {
    inject: (fault, options) => {
      const times = options.times ?? 1
      if (times > 0) rules.push({ fault, target: options, remaining: times })
    },
    injectRate: (fault, options) => {
      rules.push({ fault, target: options, probability: options.probability, rng: Rng.make(options.seed ?? 1) })
    },
    clear: () => {
      rules = []
    },
    pick: (method, path) => {
      for (const rule of rules) {
        if (!matches(rule.target, method, path)) continue
        if ("remaining" in rule) {
          rule.remaining -= 1
          if (rule.remaining <= 0) rules = rules.filter((other) => other !== rule)
          return rule.fault
        }
        if (rule.rng.next() < rule.probability) return rule.fault
      }
      return undefined
    }
  }
}

/**
 * How the fake answers: an Omise error as JSON, or any body with its content type.
 *
 * @since 0.2.0
 * @category faults
 */
export interface Responder {
  readonly failure: (failure: Failure.ApiFailure, headers?: Record<string, string>) => FakeHttp.FakeResponse
  readonly raw: (status: number, contentType: string, body: string) => FakeHttp.FakeResponse
}

/**
 * A request under a fault: `process` is the request handled for real, which a fault may replace
 * (server error, rate limit), delay (latency), never reach (no response) or hide (dropped after
 * processing).
 *
 * @since 0.2.0
 * @category faults
 */
export const apply = (
  fault: FakeFault.FakeFault | undefined,
  request: { readonly method: string; readonly path: string },
  process: Effect.Effect<FakeHttp.FakeResponse>,
  respond: Responder
): Effect.Effect<FakeHttp.FakeResponse, FakeHttp.FakeConnectionDropped> => {
  if (fault === undefined) return process
  switch (fault._tag) {
    case "ServerError":
      return Effect.sync(() =>
        fault.body === undefined
          ? respond.failure(
              new Failure.ApiFailure({
                status: fault.status,
                code: fault.status === 503 ? "service_unavailable" : "internal_error",
                message: fault.status === 503 ? "service is temporarily unavailable" : "an internal error occurred"
              })
            )
          : respond.raw(fault.status, fault.contentType ?? "text/plain", fault.body)
      )
    case "RateLimited":
      return Effect.sync(() =>
        respond.failure(
          new Failure.ApiFailure({ status: 429, code: "too_many_requests", message: "too many requests" }),
          { "retry-after": String(fault.retryAfter) }
        )
      )
    case "NoResponse":
      return Effect.never
    case "Latency":
      return Effect.andThen(Effect.sleep(fault.duration), process)
    case "DropAfterProcessing":
      return Effect.flatMap(process, (response) =>
        Effect.fail(new FakeHttp.FakeConnectionDropped({ method: request.method, path: request.path, response }))
      )
  }
}
