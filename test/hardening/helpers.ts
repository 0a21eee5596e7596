/**
 * Shared pieces of the hardening suites: every operation and stream with valid arguments, a
 * transport that answers anything (any status, any bytes, a body that breaks off), and checks
 * that an `Exit` is a typed `OmiseError` or a success, never a defect or an interruption.
 */
import { it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as fc from "fast-check"
import * as Customer from "../../src/Customer.js"
import * as OmiseClient from "../../src/OmiseClient.js"
import * as OmiseError from "../../src/OmiseError.js"
import * as Policy from "../../src/Policy.js"
import {
  CARD_ID,
  card2017,
  card2019,
  CUSTOMER_ID,
  customer2017,
  customer2019,
  list,
  schedule2017,
  schedule2019,
  search
} from "../fixtures/bodies.js"

/** Deliberately ill-typed input, as JavaScript callers or untrusted data produce it. */
export const loose = <T>(value: unknown): T => value as T

export type Call = () => Effect.Effect<unknown, OmiseError.OmiseError, OmiseClient.OmiseClient>

export interface Operation {
  readonly name: string
  /** How fast-check prints it in a counterexample. */
  readonly [fc.toStringMethod]: () => string
  /** The call with valid arguments. */
  readonly call: Call
  /** Valid response bodies of this operation (both API versions where they differ). */
  readonly bodies: ReadonlyArray<unknown>
}

const deletedCustomer = { object: "customer", id: CUSTOMER_ID, livemode: false, deleted: true }
const deletedCard = { object: "card", id: CARD_ID, livemode: false, deleted: true }

const named = (operation: Omit<Operation, typeof fc.toStringMethod>): Operation => ({
  ...operation,
  [fc.toStringMethod]: () => operation.name
})

/** The eleven operations with valid arguments and the bodies the API answers them with. */
export const operations: ReadonlyArray<Operation> = [
  named({
    name: "create",
    call: () => Customer.create({ email: "a@example.com", metadata: { plan: "gold" } }),
    bodies: [customer2019(), customer2017()]
  }),
  named({ name: "retrieve", call: () => Customer.retrieve(CUSTOMER_ID), bodies: [customer2019(), customer2017()] }),
  named({
    name: "update",
    call: () => Customer.update(CUSTOMER_ID, { description: "x" }),
    bodies: [customer2019(), customer2017()]
  }),
  named({
    name: "destroy",
    call: () => Customer.destroy(CUSTOMER_ID),
    bodies: [customer2019({ deleted: true }), deletedCustomer]
  }),
  named({ name: "list", call: () => Customer.list({ limit: 10 }), bodies: [list([customer2019(), customer2017()])] }),
  named({ name: "listCards", call: () => Customer.listCards(CUSTOMER_ID), bodies: [list([card2019(), card2017()])] }),
  named({
    name: "listSchedules",
    call: () => Customer.listSchedules(CUSTOMER_ID),
    bodies: [list([schedule2019(), schedule2017()])]
  }),
  named({ name: "search", call: () => Customer.search({ query: "a" }), bodies: [search([customer2019()])] }),
  named({
    name: "retrieveCard",
    call: () => Customer.retrieveCard(CUSTOMER_ID, CARD_ID),
    bodies: [card2019(), card2017()]
  }),
  named({
    name: "updateCard",
    call: () => Customer.updateCard(CUSTOMER_ID, CARD_ID, { name: "A B" }),
    bodies: [card2019(), card2017()]
  }),
  named({
    name: "destroyCard",
    call: () => Customer.destroyCard(CUSTOMER_ID, CARD_ID),
    bodies: [card2019({ deleted: true }), deletedCard]
  })
]

/** The four streams, drained, with valid arguments. */
export const streams: ReadonlyArray<{ readonly name: string; readonly call: Call }> = [
  { name: "stream", call: () => Stream.runDrain(Customer.stream({ limit: 10 })) },
  { name: "streamCards", call: () => Stream.runDrain(Customer.streamCards(CUSTOMER_ID)) },
  { name: "streamSchedules", call: () => Stream.runDrain(Customer.streamSchedules(CUSTOMER_ID)) },
  { name: "streamSearch", call: () => Stream.runDrain(Customer.streamSearch({ query: "a" })) }
]

/** Every tag of the `OmiseError` union. */
export const errorClasses = [
  OmiseError.OmiseNotFoundError,
  OmiseError.OmiseAuthenticationError,
  OmiseError.OmiseInvalidRequestError,
  OmiseError.OmiseRateLimitError,
  OmiseError.OmiseServerError,
  OmiseError.OmiseTransportError,
  OmiseError.OmiseTimeoutError,
  OmiseError.OmiseDecodeError,
  OmiseError.OmiseInvalidArgumentError
] as const

export const isOmiseError = (u: unknown): u is OmiseError.OmiseError =>
  errorClasses.some((errorClass) => u instanceof errorClass)

/**
 * Why `exit` is not "a success or exactly one typed `OmiseError`", or undefined when it is.
 * Defects, interruptions and untyped failures are all reasons.
 */
export const badExit = (exit: Exit.Exit<unknown, unknown>): string | undefined => {
  if (Exit.isSuccess(exit)) return undefined
  const cause = exit.cause
  if (Cause.hasDies(cause)) return `defect: ${Cause.pretty(cause).slice(0, 2000)}`
  if (Cause.hasInterrupts(cause)) return "interrupted"
  const failure = Cause.findErrorOption(cause)
  if (Option.isNone(failure)) return `no failure in ${Cause.pretty(cause).slice(0, 2000)}`
  if (!isOmiseError(failure.value)) return `not an OmiseError: ${String(failure.value)}`
  return undefined
}

/** The error of a failed exit, if it failed with one. */
export const errorOf = (exit: Exit.Exit<unknown, unknown>): OmiseError.OmiseError | undefined =>
  Exit.isFailure(exit)
    ? Option.getOrUndefined(Option.filter(Cause.findErrorOption(exit.cause), isOmiseError))
    : undefined

/** What a hostile server sends back. */
export interface Answer {
  /** Any number, also outside 200..599 where `Response` itself would refuse it. */
  readonly status: number
  readonly headers: ReadonlyArray<readonly [string, string]>
  readonly body:
    | { readonly _tag: "text"; readonly text: string }
    | { readonly _tag: "bytes"; readonly bytes: Uint8Array }
    /** The connection breaks off after `text` has been sent. */
    | { readonly _tag: "broken"; readonly text: string }
}

const toResponse = (answer: Answer): Response => {
  const body: BodyInit =
    answer.body._tag === "text"
      ? answer.body.text
      : answer.body._tag === "bytes"
        ? Uint8Array.from(answer.body.bytes)
        : new ReadableStream<Uint8Array<ArrayBuffer>>({
            start(controller) {
              controller.enqueue(new TextEncoder().encode(answer.body._tag === "broken" ? answer.body.text : ""))
              controller.error(new Error("socket hang up"))
            }
          })
  // `Response` refuses statuses outside 200..599 and a body on 204/304; a server (or a proxy,
  // or another HttpClient implementation) is under no such constraint, so the status is forced.
  const response = new Response(body, {
    status: 200,
    headers: answer.headers.map(([name, value]): [string, string] => [name, value])
  })
  return Object.defineProperty(response, "status", { value: answer.status })
}

export const apiUrl = "https://api.test"

export interface Hostile {
  readonly requests: Array<URL>
  /** Runs `self` against this server. */
  readonly provide: <A, E>(self: Effect.Effect<A, E, OmiseClient.OmiseClient>) => Effect.Effect<A, E>
}

/**
 * An OmiseClient over a transport that answers `answer(index)`, with retries off by default.
 * The service is built once, outside any layer: thousands of property cases stay cheap.
 */
export const hostile = (answer: (index: number) => Answer, options: Partial<OmiseClient.Options> = {}): Hostile => {
  const requests: Array<URL> = []
  const http = HttpClient.make((request, url) =>
    Effect.sync(() => {
      requests.push(url)
      return HttpClientResponse.fromWeb(request, toResponse(answer(requests.length - 1)))
    })
  )
  const service = Effect.runSync(
    OmiseClient.make({ secretKey: Redacted.make("skey_test_hostile"), apiUrl, retry: Policy.noRetry, ...options }).pipe(
      Effect.provideService(HttpClient.HttpClient, http)
    )
  )
  return { requests, provide: Effect.provideService(OmiseClient.OmiseClient, service) }
}

/**
 * A property over fast-check arbitraries, each case an Effect run on the live services: @effect/vitest
 * 4's `it.live.prop` takes effect's own `Arbitrary`, and these arbitraries are fast-check's.
 */
export const liveProp = <const Values extends ReadonlyArray<unknown>>(
  name: string,
  arbitraries: { readonly [K in keyof Values]: fc.Arbitrary<Values[K]> },
  property: (values: Values) => Effect.Effect<void, unknown>,
  options: { readonly numRuns: number }
) =>
  it.live(name, () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(...(arbitraries as unknown as [fc.Arbitrary<unknown>]), (...values: Array<unknown>) =>
          Effect.runPromise(property(values as unknown as Values))
        ),
        options
      )
    )
  )
