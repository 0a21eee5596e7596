/**
 * One request, from the `HttpClient` call to the decoded value or the typed error, in three
 * stages: {@link attempt} (one HTTP exchange under the per-attempt timeout), {@link attempts}
 * (attempts under the retry policy and the deadline) and {@link observed} (the span and the
 * metrics of the whole call). What the attempts have shown so far (how many, whether one ended
 * without a known outcome, the last status and request id) is one immutable {@link Progress}
 * value, advanced by pure steps in one `Ref` per call: the retry and the deadline need it, and
 * the observation reads it at the end.
 *
 * @since 0.2.0
 * @internal
 */
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Headers from "effect/http/Headers"
import * as HttpClient from "effect/http/HttpClient"
import type * as HttpClientRequest from "effect/http/HttpClientRequest"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import type * as Schema from "effect/Schema"
import * as Tracer from "effect/Tracer"
import { type OmiseError, OmiseTimeoutError, OmiseTransportError } from "../OmiseError.js"
import type { Policies } from "../Policy.js"
import type { Gate } from "./gate.js"
import { mayHaveTakenEffect } from "./outcome.js"
import { withAuthorization } from "./redaction.js"
import { isReplayable, operationOf, type Request } from "./request.js"
import * as Response from "./response.js"
import * as Retry from "./retry.js"
import * as Telemetry from "./telemetry.js"

/**
 * What the client fixes once for all its requests.
 *
 * @since 0.2.0
 * @internal
 */
export interface Transport {
  readonly http: HttpClient.HttpClient
  /**
   * The HTTP request for an Omise request: URL, headers, body; `OmiseInvalidArgumentError` when
   * the body cannot be encoded.
   */
  readonly toHttpRequest: (request: Request) => Effect.Effect<HttpClientRequest.HttpClientRequest, OmiseError>
  readonly scrub: (text: string) => string
  readonly metrics: (operation: string) => Telemetry.OperationMetrics
  /** The base URL requests go to (paths are appended to it). */
  readonly apiUrl: string
  /** The bound on requests in flight and the pause after a 429, shared by the whole client. */
  readonly gate: Gate
  /** The most bytes of a response body read. */
  readonly maxResponseBytes: number
  /** Whether `traceparent` and `b3` headers go to Omise (off unless the user opts in). */
  readonly propagateTraceContext: boolean
}

/** Everything one call needs, fixed before its first attempt. */
interface Plan<A> {
  readonly transport: Transport
  readonly request: Request
  readonly httpRequest: HttpClientRequest.HttpClientRequest
  readonly replayable: boolean
  readonly metrics: Telemetry.OperationMetrics
  readonly policies: Policies
  readonly decoding: Response.Decoding<A>
  readonly context: (context: Context.Context<never>) => Context.Context<never>
}

/**
 * How a call that succeeded went: its attempts and the request id of its answer.
 *
 * @since 0.2.0
 * @internal
 */
export interface Answer {
  readonly attempts: number
  readonly requestId: string | undefined
}

/**
 * Told how each call under it that succeeds went (a stream's walk quotes it in the errors it
 * reports itself about a page that decoded); none by default.
 *
 * @since 0.2.0
 * @internal
 */
export const Answered: Context.Reference<((answer: Answer) => void) | undefined> = Context.Reference<
  ((answer: Answer) => void) | undefined
>("effect-omise/internal/execute/Answered", { defaultValue: () => undefined })

/**
 * What the attempts of one call have shown so far.
 *
 * @since 0.2.0
 * @internal
 */
export interface Progress {
  /** Attempts started. */
  readonly attempts: number
  /** An attempt that failed may have taken effect: a later 404 on a DELETE may be its doing. */
  readonly uncertain: boolean
  /** An attempt is on the wire (through the gate, not yet failed): its outcome is unknown. */
  readonly inFlight: boolean
  /** How the last attempt failed, when it did. */
  readonly previous: OmiseError | undefined
  /** The status and request id of the last response read. */
  readonly status: number | undefined
  readonly requestId: string | undefined
}

const initial: Progress = {
  attempts: 0,
  uncertain: false,
  inFlight: false,
  previous: undefined,
  status: undefined,
  requestId: undefined
}

const started = (progress: Progress): Progress => ({ ...progress, attempts: progress.attempts + 1 })

const sending = (progress: Progress): Progress => ({ ...progress, inFlight: true })

const answered =
  (status: number, requestId: string | undefined) =>
  (progress: Progress): Progress => ({ ...progress, status, requestId })

const failed =
  (error: OmiseError) =>
  (progress: Progress): Progress => ({
    ...progress,
    previous: error,
    inFlight: false,
    uncertain: progress.uncertain || ("mayHaveTakenEffect" in error && error.mayHaveTakenEffect)
  })

/**
 * The context one exchange runs in: the key's header redacted in the HTTP spans and logs even if
 * the application replaced the names; no redirect followed by `fetch` (Omise never redirects, and
 * a redirected write turns into a GET elsewhere); trace context sent only when the user asked.
 */
const exchangeContext =
  (propagateTraceContext: boolean) =>
  (context: Context.Context<never>): Context.Context<never> => {
    const init = Context.getOrUndefined(context, FetchHttpClient.RequestInit)
    const names = Context.get(context, Headers.CurrentRedactedNames)
    return Context.add(
      Context.add(
        Context.add(context, Headers.CurrentRedactedNames, withAuthorization(names)),
        FetchHttpClient.RequestInit,
        init === undefined ? manualRedirect : { ...init, redirect: "manual" }
      ),
      HttpClient.TracerPropagationEnabled,
      propagateTraceContext
    )
  }

const manualRedirect: globalThis.RequestInit = { redirect: "manual" }

const withTracePropagation = exchangeContext(true)
const withoutTracePropagation = exchangeContext(false)

/** The HTTP exchange, with every failure of the HTTP layer as an `OmiseTransportError`. */
const send = <A>(
  plan: Plan<A>,
  attempt: Response.Attempt
): Effect.Effect<HttpClientResponse.HttpClientResponse, OmiseError> =>
  plan.transport.http.execute(plan.httpRequest).pipe(
    Effect.updateContext(plan.context),
    Effect.mapError(
      (error) =>
        new OmiseTransportError({
          method: attempt.method,
          path: attempt.path,
          attempts: attempt.attempts,
          mayHaveTakenEffect: mayHaveTakenEffect(
            attempt.method,
            Retry.provesNotSent(error) ? "notSent" : "unanswered",
            attempt
          ),
          detail: plan.transport.scrub(error.message),
          // Not the HttpClientError itself: it holds the request, and the request its headers.
          cause: error.reason.cause
        })
    )
  )

/**
 * Stage one: one attempt, from sending to the decoded value, bounded by the per-attempt timeout.
 *
 * @since 0.2.0
 * @internal
 */
const attempt = <A>(plan: Plan<A>, ledger: Ref.Ref<Progress>): Effect.Effect<A, OmiseError> =>
  Effect.flatMap(Ref.updateAndGet(ledger, started), (progress) => {
    const { request, transport } = plan
    const current: Response.Attempt = {
      method: request.method,
      path: request.path,
      attempts: progress.attempts,
      uncertain: progress.uncertain,
      scrub: transport.scrub,
      url: transport.apiUrl + request.path,
      maxResponseBytes: transport.maxResponseBytes
    }
    const retrying =
      progress.previous === undefined
        ? Effect.void
        : Telemetry.retrying(plan.metrics, progress.attempts, progress.previous._tag)
    // The exchange holds a permit of the gate from sending to the end of the body; waiting for
    // the permit is not part of the per-attempt timeout (a write still queued was not sent).
    const exchange = Ref.update(ledger, sending).pipe(
      Effect.andThen(send(plan, current)),
      Effect.flatMap((response) => {
        const requestId = Response.requestIdOf(transport.scrub, response)
        return Effect.andThen(
          Ref.update(ledger, answered(response.status, requestId)),
          Response.read(current, response, requestId, plan.decoding)
        )
      }),
      Effect.timeoutOrElse({
        duration: plan.policies.timeout,
        orElse: () =>
          Effect.fail(
            new OmiseTimeoutError({
              method: request.method,
              path: request.path,
              attempts: progress.attempts,
              // Sent (the gate let it through before the clock started), and no answer read.
              mayHaveTakenEffect: mayHaveTakenEffect(request.method, "unanswered", progress),
              timeoutMillis: Duration.toMillis(plan.policies.timeout),
              kind: "attempt"
            })
          )
      })
    )
    return retrying.pipe(
      Effect.andThen(transport.gate.through(exchange)),
      Effect.tapError((error) =>
        Effect.andThen(
          Ref.update(ledger, failed(error)),
          error._tag === "OmiseRateLimitError"
            ? Effect.andThen(
                Metric.update(plan.metrics.rateLimited, 1),
                // Omise limits the account, not this call: every request of the client waits.
                Effect.flatMap(Effect.service(Retry.skipWaits), (skip) =>
                  skip
                    ? Effect.void
                    : transport.gate.pause(Math.min(error.retryAfterMillis ?? 0, Retry.longestRetryAfterMillis))
                )
              )
            : Effect.void
        )
      )
    )
  })

/**
 * Stage two: attempts under the retry policy (only failures safe to retry are), all of them and
 * the waits between them bounded by the deadline when there is one.
 *
 * @since 0.2.0
 * @internal
 */
const attempts = <A>(plan: Plan<A>, ledger: Ref.Ref<Progress>): Effect.Effect<A, OmiseError> => {
  const { policies, request } = plan
  const retried = Effect.retry(attempt(plan, ledger), {
    schedule: Retry.schedule(policies.retry),
    times: policies.retry.times,
    while: Retry.isRetryable(plan.replayable)
  })
  return Option.match(policies.deadline, {
    onNone: () => retried,
    onSome: (deadline) =>
      Effect.timeoutOrElse(retried, {
        duration: deadline,
        orElse: () =>
          Effect.flatMap(Ref.get(ledger), (progress) =>
            Effect.fail(
              new OmiseTimeoutError({
                method: request.method,
                path: request.path,
                attempts: progress.attempts,
                // A write still waiting for the gate, or for a retry, is not on the wire; an
                // earlier attempt of it may still have landed (`uncertain`).
                mayHaveTakenEffect: mayHaveTakenEffect(
                  request.method,
                  progress.inFlight ? "unanswered" : "notSent",
                  progress
                ),
                timeoutMillis: Duration.toMillis(deadline),
                kind: "deadline"
              })
            )
          )
      })
  })
}

const outcomeOf = <A>(exit: Exit.Exit<A, OmiseError>): string =>
  Exit.isSuccess(exit)
    ? "success"
    : Option.match(Cause.findErrorOption(exit.cause), { onNone: () => "interrupted", onSome: (error) => error._tag })

/**
 * Stage three: the call as observed: its span attributes, its outcome and its latency, waits
 * included.
 *
 * @since 0.2.0
 * @internal
 */
const observed = <A>(
  plan: Plan<A>,
  ledger: Ref.Ref<Progress>,
  call: Effect.Effect<A, OmiseError>
): Effect.Effect<A, OmiseError> =>
  Effect.flatMap(Clock.currentTimeMillis, (start) =>
    Effect.onExit(call, (exit) =>
      Effect.flatMap(Effect.all([Clock.currentTimeMillis, Ref.get(ledger)]), ([end, progress]) =>
        Telemetry.observe(plan.metrics, {
          method: plan.request.method,
          path: plan.request.path,
          objectId: plan.request.objectId,
          attempts: progress.attempts,
          outcome: outcomeOf(exit),
          status: progress.status,
          requestId: progress.requestId,
          millis: end - start
        })
      )
    )
  )

/**
 * The span a call is recorded on: the operation's own, when the call runs directly in it (every
 * operation of this library runs in a span named after it), or else one of its own, named after
 * the operation the request declares, or `OmiseClient.execute`: a request sent through the
 * escape hatch must not write its attributes over the caller's span.
 */
const inSpan = <A>(request: Request, call: Effect.Effect<A, OmiseError>): Effect.Effect<A, OmiseError> => {
  const name = request.operation ?? "OmiseClient.execute"
  return Effect.flatMap(Effect.serviceOption(Tracer.ParentSpan), (current) =>
    Option.isSome(current) && current.value._tag === "Span" && current.value.name === name
      ? call
      : Effect.withSpan(call, name)
  )
}

/**
 * Sends `request` under `policies` and decodes a successful body with `schema`, recorded on a
 * span (see {@link inSpan}). A body that cannot be encoded as JSON fails with
 * `OmiseInvalidArgumentError` before anything is sent.
 *
 * @since 0.2.0
 * @internal
 */
export const execute = <A>(
  transport: Transport,
  request: Request,
  schema: Schema.Decoder<A>,
  policies: Policies
): Effect.Effect<A, OmiseError> =>
  inSpan(
    request,
    Effect.flatMap(transport.toHttpRequest(request), (httpRequest) => {
      const plan: Plan<A> = {
        transport,
        request,
        httpRequest,
        replayable: isReplayable(request),
        metrics: transport.metrics(operationOf(request)),
        policies,
        decoding: Response.decoding(schema),
        context: transport.propagateTraceContext ? withTracePropagation : withoutTracePropagation
      }
      return Effect.flatMap(Ref.make(initial), (ledger) =>
        Effect.tap(observed(plan, ledger, attempts(plan, ledger)), () =>
          Effect.flatMap(Effect.service(Answered), (tell) =>
            tell === undefined
              ? Effect.void
              : Effect.flatMap(Ref.get(ledger), (progress) =>
                  Effect.sync(() => tell({ attempts: progress.attempts, requestId: progress.requestId }))
                )
          )
        )
      )
    })
  )
