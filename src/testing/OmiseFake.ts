/**
 * The fake Omise: an in-memory emulation of the Omise Customer API, vault tokens and charge
 * schedules behind one request handler, with the controls tests need (seeding, tokens, faults,
 * the request log). {@link layer} serves it to the real client in memory (no sockets);
 * `FakeServer` and the `omise-fake` bin serve it over HTTP. Time comes from the effect `Clock`,
 * so `TestClock` drives creation times, schedules and injected latency.
 *
 * ```ts
 * import { Customer } from "effect-omise"
 * import { FakeFault, OmiseFake } from "effect-omise/testing"
 *
 * it.effect("creates a customer", () =>
 *   Effect.gen(function*() {
 *     const fake = yield* OmiseFake.OmiseFake
 *     const card = yield* fake.createToken()
 *     const customer = yield* Customer.create({ email: "a@example.com", card })
 *     // ...
 *   }).pipe(Effect.provide(OmiseFake.layer())))
 * ```
 *
 * **Retries in tests.** The client retries as it would against Omise (same failures, same
 * number of attempts), but over {@link layer} it does not wait between attempts, so a test
 * that injects `FakeFault.serverError(500)` passes without moving the `TestClock`. Pass
 * `retryWaits: "clock"` to wait each backoff and `Retry-After` on the `Clock`, and move it with
 * `TestClock.adjust`.
 *
 * **Search.** `Customer.search({ query })` (and `Customer.streamSearch`) finds the customers
 * for which every word of `query` (split on white space, case-insensitive) occurs somewhere in
 * the customer's id, email, description or a string or number metadata value (`"somchai example.com"` finds
 * `somchai@example.com`; words need not be whole words). An empty query matches every customer.
 * The `customer` scope takes one filter, `created` (a date, a date-time, `A..B`, or `today`,
 * `yesterday`, `this_week`, `last_week`, `this_month`, `last_month`).
 *
 * **Where Omise is undocumented, the fake chooses** (this is the one list of those choices):
 * - `limit` above 100 is clamped to 100 (and echoed); `limit` below 1, a negative `offset` or a
 *   non-integer is a 400 `bad_request`. Search `per_page` above 100 is clamped to 100; `page` or
 *   `per_page` below 1 is a 400 `invalid_page`.
 * - Search: as above. Any filter but `created` is a 400 `invalid_filter`; the other documented
 *   scopes (`charge`, `refund`, ...) answer an empty result; unknown scopes are a 400
 *   `invalid_scope`.
 * - `metadata` given on update replaces the whole object.
 * - Updating a customer with `card` adds the card; the default card changes only when there was
 *   none or `default_card` says so (it may name the new card, whose id is the token's card id).
 * - A deleted customer is gone: later requests for it are 404.
 * - `Omise-Version` `2019-05-29` gets 2019 shapes; `2017-11-02` (and the older `2015-11-17`,
 *   `2014-07-27`) get 2017 shapes; anything else is a 400.
 * - Unknown paths and methods are a 404 `not_found`.
 * - Creation times have one-second resolution, as on the wire; list `from` and `to` are inclusive.
 * - Parameters are read before the key is checked, as Rails does: unreadable parameters (a body
 *   that is not JSON, parameters nested more than 64 levels deep, in JSON, a form or the query)
 *   are a 400 `bad_request`, also without a key. A request that fails changes nothing.
 * - The request log records the `Authorization` header as `Basic <redacted>`: it never holds a key.
 *   Nor card data: `card[number]` is recorded as `<redacted ending 4242>` (its last four digits)
 *   and `card[security_code]` as `<redacted>`, in `params` and `query` alike.
 * - Keys: a test key of its kind (`skey_test_` or `pkey_test_`, then letters and digits), the
 *   pinned one if a key is pinned; the `omise-fake` bin refuses any other `--secret-key`.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as HttpClient from "effect/http/HttpClient"
import * as HttpClientService from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Semaphore from "effect/Semaphore"
import * as Base64 from "effect/encoding/Base64"
import * as OmiseClient from "../OmiseClient.js"
import * as Retry from "../internal/retry.js"
import type * as FakeFault from "./FakeFault.js"
import type * as FakeHttp from "./FakeHttp.js"
import * as Card from "./internal/card.js"
import * as Failure from "./internal/failure.js"
import * as Faults from "./internal/faults.js"
import * as InMemory from "./internal/inMemory.js"
import * as Keys from "./internal/keys.js"
import * as Params from "./internal/params.js"
import * as Path from "./internal/path.js"
import * as Redaction from "./internal/redaction.js"
import * as Render from "./internal/render.js"
import * as Resources from "./internal/resources.js"
import * as Customers from "./internal/resources/customers.js"
import * as Tokens from "./internal/resources/tokens.js"
import * as Rng from "./internal/rng.js"
import * as Routes from "./internal/routes.js"
import * as State from "./internal/state.js"

/**
 * How a fake is built (in memory or behind `FakeServer`).
 *
 * @since 0.2.0
 * @category models
 */
export interface FakeOptions {
  /**
   * Accept only this secret key. By default any test key (`skey_test_` and letters and digits)
   * is accepted. A key not so formed (a live key, a public key) opens nothing.
   */
  readonly secretKey?: string | undefined
  /**
   * Accept only this public key on `/tokens`. By default any test key (`pkey_test_` and letters
   * and digits) is accepted. A key not so formed opens nothing.
   */
  readonly publicKey?: string | undefined
  /** The version for requests without an `Omise-Version` header (the account's version). Default `2019-05-29`. */
  readonly apiVersion?: "2019-05-29" | "2017-11-02" | undefined
  /** Seeds ids and request ids, so a run is reproducible. Default 1. */
  readonly seed?: number | undefined
  /** Added to every response. */
  readonly latency?: Duration.Input | undefined
  /** Customers (each with one card) to create at start. */
  readonly customers?: number | undefined
  /** How many requests the log keeps (oldest dropped first). Default 10,000. */
  readonly requestLogLimit?: number | undefined
}

/**
 * Options of {@link layer}: the fake's, plus the client's and how its retries wait.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends FakeOptions {
  /**
   * Options for the `OmiseClient` built over the fake (API version, retry, timeout, ...). Its
   * secret key is the fake's pinned `secretKey`, or a test key.
   */
  readonly client?: Omit<OmiseClient.Options, "secretKey" | "apiUrl" | "allowInsecureHttp"> | undefined
  /**
   * `"skip"` (the default): a retry happens at once, with the same decisions and count as against
   * Omise, so fault tests need no `TestClock.adjust`. `"clock"`: each backoff and `Retry-After`
   * is waited on the effect `Clock`, for tests of the waits themselves.
   */
  readonly retryWaits?: "skip" | "clock" | undefined
}

/**
 * A card as entered on the vault. Every field has a working default (`4242424242424242`, a
 * name, an expiry far in the future).
 *
 * @since 0.1.0
 * @category models
 */
export type CardInput = Card.CardInput

/**
 * A customer to put into the fake directly, without a request.
 *
 * @since 0.1.0
 * @category models
 */
export interface CustomerInput {
  readonly email?: string | undefined
  readonly description?: string | undefined
  readonly metadata?: Readonly<Record<string, unknown>> | undefined
  /** Cards to attach (the first becomes the default), or how many default cards. */
  readonly cards?: ReadonlyArray<CardInput> | number | undefined
  /** Backdate the customer (for `from`/`to` and search filters). Default: now on the Clock. */
  readonly created?: DateTime.DateTime | undefined
}

/**
 * A card as stored in the fake.
 *
 * @since 0.1.0
 * @category models
 */
export interface FakeCard {
  readonly id: string
  readonly brand: string
  readonly last_digits: string
  readonly fingerprint: string
  readonly name: string
  readonly expiration_month: number
  readonly expiration_year: number
  readonly postal_code: string | null
  readonly city: string | null
  readonly created_at: DateTime.Utc
}

/**
 * A snapshot of a customer as stored in the fake.
 *
 * @since 0.1.0
 * @category models
 */
export interface FakeCustomer {
  readonly id: string
  readonly email: string | null
  readonly description: string | null
  readonly metadata: Readonly<Record<string, unknown>>
  readonly default_card: string | null
  readonly cards: ReadonlyArray<FakeCard>
  readonly created_at: DateTime.Utc
}

/**
 * A request the fake received. `params` are the merged query and body parameters as the fake
 * understood them (`{}` when they did not parse). `headers` hold no key: `authorization` is
 * recorded as its scheme and `<redacted>`; `params` and `query` hold no card data: a card
 * `number` is recorded as `<redacted ending 4242>`, a `security_code` as `<redacted>`. `status`
 * is what it answered (`undefined` while pending or when it never answers, as of the moment
 * `requests` was read); `fault` names the fault applied, if any.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly query: string
  readonly headers: Readonly<Record<string, string>>
  readonly params: Readonly<Record<string, unknown>>
  readonly at: DateTime.Utc
  readonly fault: FakeFault.FakeFault["_tag"] | undefined
  readonly status: number | undefined
}

/**
 * Seeding input the vault would reject (an invalid card number, a past expiry).
 *
 * @since 0.1.0
 * @category errors
 */
export class FakeSeedError extends Data.TaggedError("FakeSeedError")<{
  readonly code: string
  readonly message: string
}> {}

/**
 * Which requests get an injected fault, and how many.
 *
 * @since 0.1.0
 * @category models
 */
export type InjectOptions = FakeFault.InjectOptions

/**
 * Which requests get an injected fault, and with what probability.
 *
 * @since 0.1.0
 * @category models
 */
export type InjectRateOptions = FakeFault.InjectRateOptions

/**
 * One fake Omise: its request handler and its controls. Each one has its own state.
 *
 * @since 0.2.0
 * @category models
 */
export interface Service {
  /** Answers one request. Fails only to model a connection dropped after processing. */
  readonly handle: (
    request: FakeHttp.FakeRequest
  ) => Effect.Effect<FakeHttp.FakeResponse, FakeHttp.FakeConnectionDropped>
  /** Puts a customer (and its cards) straight into the fake. */
  readonly createCustomer: (input?: CustomerInput) => Effect.Effect<FakeCustomer, FakeSeedError>
  /** Creates `count` customers, each with `cards` (default 1) default cards, quickly. */
  readonly seedCustomers: (count: number, options?: { readonly cards?: number | undefined }) => Effect.Effect<void>
  /** Mints an unused card token, as `POST /tokens` would, and returns its id. */
  readonly createToken: (card?: CardInput) => Effect.Effect<string, FakeSeedError>
  /** The customer as stored now, if it exists. */
  readonly getCustomer: (id: string) => Effect.Effect<Option.Option<FakeCustomer>>
  /** How many customers exist. */
  readonly customerCount: Effect.Effect<number>
  /** Applies `fault` to the next `times` matching requests (1 by default; `Infinity` for all). */
  readonly injectFault: (fault: FakeFault.FakeFault, options?: InjectOptions) => Effect.Effect<void>
  /** Applies `fault` to matching requests at random, with a seeded PRNG. */
  readonly injectFaultRate: (fault: FakeFault.FakeFault, options: InjectRateOptions) => Effect.Effect<void>
  /** Removes every injected fault. */
  readonly clearFaults: Effect.Effect<void>
  /** The requests received so far, oldest first. */
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  /** Forgets the requests received so far. */
  readonly clearRequests: Effect.Effect<void>
}

/**
 * The handle on the fake behind {@link layer}: `yield* OmiseFake.OmiseFake`.
 *
 * @since 0.1.0
 * @category tags
 */
export class OmiseFake extends Context.Service<OmiseFake, Service>()("effect-omise/testing/OmiseFake") {}

/**
 * The secret key the in-memory client uses unless `secretKey` pins another.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultSecretKey = "skey_test_fake000000000000000"

/** The log's own entries: the status is filled in once the answer is known. */
type MutableRecord = Omit<RecordedRequest, "status"> & { status: number | undefined }

/** The key from `Authorization: Basic base64(key:)`. */
const keyFrom = (authorization: string | undefined): string | undefined => {
  const match = authorization === undefined ? null : /^basic\s+(\S+)\s*$/i.exec(authorization)
  if (match === null) return undefined
  const decoded = Base64.decodeString(match[1]!)
  if (Result.isFailure(decoded)) return undefined
  const colon = decoded.success.indexOf(":")
  return colon < 0 ? decoded.success : decoded.success.slice(0, colon)
}

const toUtc = (ms: number): DateTime.Utc => DateTime.makeUnsafe(ms)

const snapshotCard = (card: Card.StoredCard): FakeCard => ({
  id: card.id,
  brand: card.brand,
  last_digits: card.last_digits,
  fingerprint: card.fingerprint,
  name: card.name,
  expiration_month: card.expiration_month,
  expiration_year: card.expiration_year,
  postal_code: card.postal_code,
  city: card.city,
  created_at: toUtc(card.created)
})

const snapshotCustomer = (customer: Customers.StoredCustomer): FakeCustomer => ({
  id: customer.id,
  email: customer.email,
  description: customer.description,
  metadata: customer.metadata,
  default_card: customer.default_card,
  cards: customer.cards.map(snapshotCard),
  created_at: toUtc(customer.created)
})

/** Whole seconds, as Omise stores times; also keeps list windows exact. */
const toSeconds = (ms: number): number => Math.floor(ms / 1000) * 1000

const seedError = (failure: Failure.ApiFailure) => new FakeSeedError({ code: failure.code, message: failure.message })

/**
 * Builds a fake Omise with fresh state.
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (options: FakeOptions = {}): Effect.Effect<Service> =>
  Effect.gen(function* () {
    const seed = options.seed ?? 1
    const state = new State.State(new State.Ids(seed))
    const table = Resources.table
    const requestIds = Rng.make(seed ^ 0x5bd1e995)
    const defaultVersion: Render.Version = options.apiVersion ?? "2019-05-29"
    const latency = options.latency === undefined ? undefined : Duration.fromInputUnsafe(options.latency)
    const logLimit = Math.max(0, options.requestLogLimit ?? 10_000)
    const lock = yield* Semaphore.make(1)
    const faults = Faults.make()
    let log: Array<MutableRecord> = []

    const respond = (status: number, body: unknown, extra: Record<string, string> = {}): FakeHttp.FakeResponse => ({
      status,
      headers: {
        "content-type": "application/json; charset=utf-8",
        "cache-control": "no-cache, no-store",
        "x-request-id": Rng.uuid(requestIds),
        ...extra
      },
      body: JSON.stringify(body)
    })

    const responder: Faults.Responder = {
      failure: (failure, extra = {}) => respond(failure.status, Failure.body(failure), extra),
      raw: (status, contentType, body) => ({
        status,
        headers: { "content-type": contentType, "x-request-id": Rng.uuid(requestIds) },
        body
      })
    }

    // A bug in the fake must not take the client or the server down with it.
    const internalError = (defect: unknown) =>
      responder.failure(
        new Failure.ApiFailure({
          status: 500,
          code: "internal_error",
          message: `the fake Omise failed: ${String(defect)}`
        })
      )

    const process = (
      request: FakeHttp.FakeRequest,
      method: string,
      path: ReadonlyArray<string>,
      params: Result.Result<Params.Params, Failure.ApiFailure>
    ): Effect.Effect<FakeHttp.FakeResponse> =>
      Effect.gen(function* () {
        const now = toSeconds(yield* Clock.currentTimeMillis)
        const read = yield* Effect.fromResult(params)
        const found = Routes.find(table, method, path)
        const key = Routes.keyFor(table, path, found?.route)
        const pinned = key === "pkey" ? options.publicKey : options.secretKey
        if (!Keys.accepts(key, pinned, keyFrom(request.headers["authorization"]))) {
          return yield* Effect.fail(Failure.authenticationFailure)
        }
        const version = yield* Effect.fromResult(Render.version(request.headers["omise-version"], defaultVersion))
        if (found === undefined) return yield* Effect.fail(Failure.notFound("path", `/${path.join("/")}`))
        const body = yield* found.route.handle({
          state,
          version,
          now,
          params: read,
          path: found.params,
          scopes: table.scopes
        })
        return respond(200, body, { "omise-version": version })
      }).pipe(
        Effect.catchTag("ApiFailure", (failure) => Effect.succeed(responder.failure(failure))),
        Effect.catchDefect((defect) => Effect.succeed(internalError(defect))),
        lock.withPermits(1)
      )

    const handle = (
      request: FakeHttp.FakeRequest
    ): Effect.Effect<FakeHttp.FakeResponse, FakeHttp.FakeConnectionDropped> =>
      Effect.gen(function* () {
        const method = request.method.toUpperCase()
        const path = Path.normalise(request.path)
        const search =
          typeof request.query === "string"
            ? new URLSearchParams(request.query.startsWith("?") ? request.query.slice(1) : request.query)
            : request.query
        const params = Params.fromRequest(search, request.headers["content-type"], request.body)
        const at = yield* Clock.currentTimeMillis
        const fault = faults.pick(method, path)
        const entry: MutableRecord = {
          method,
          path,
          query: Redaction.query(search),
          headers: Redaction.headers(request.headers),
          params: Redaction.params(Result.getOrElse(params, () => ({}))),
          at: toUtc(at),
          fault: fault?._tag,
          status: undefined
        }
        log.push(entry)
        // Trimmed once it holds twice the limit, not on every request: a copy of 10,000 entries
        // per request would make a long-running fake slower the longer it runs.
        if (log.length >= 2 * logLimit) log = log.slice(log.length - logLimit)
        if (latency !== undefined) yield* Effect.sleep(latency)
        return yield* Faults.apply(
          fault,
          { method, path },
          process(request, method, Path.segments(path), params),
          responder
        ).pipe(
          Effect.tap((response) => Effect.sync(() => (entry.status = response.status))),
          Effect.tapError((dropped) => Effect.sync(() => (entry.status = dropped.response.status)))
        )
      }).pipe(Effect.catchDefect((defect) => Effect.succeed(internalError(defect))))

    const insertCustomer = (
      input: CustomerInput,
      now: number
    ): Result.Result<Customers.StoredCustomer, Failure.ApiFailure> => {
      const created = input.created === undefined ? now : toSeconds(DateTime.toEpochMillis(input.created))
      const inputs =
        typeof input.cards === "number"
          ? Array.from({ length: input.cards }, (): CardInput => ({}))
          : (input.cards ?? [])
      const cards: Array<Card.StoredCard> = []
      for (const card of inputs) {
        const made = Card.make(state.ids, Card.withDefaults(card), created)
        if (Result.isFailure(made)) return Result.fail(made.failure)
        cards.push(made.success)
      }
      const customer = Customers.create(state, input, created)
      for (const card of cards) Customers.attach(state, customer, card)
      return Result.succeed(customer)
    }

    const now = Effect.map(Clock.currentTimeMillis, toSeconds)

    // Reads take the lock as writes do: a read then sees the state between two requests, never
    // inside one, whatever a handler does between its first change and its answer.
    const read = <A>(f: () => A): Effect.Effect<A> => lock.withPermits(1)(Effect.sync(f))

    const locked = <A, E>(f: (now: number) => Result.Result<A, E>): Effect.Effect<A, E> =>
      lock.withPermits(1)(Effect.flatMap(now, (at) => Effect.suspend(() => Effect.fromResult(f(at)))))

    const fake: Service = {
      handle,
      createCustomer: (input = {}) =>
        locked((at) =>
          Result.mapBoth(insertCustomer(input, at), { onFailure: seedError, onSuccess: snapshotCustomer })
        ),
      seedCustomers: (count, seedOptions = {}) =>
        locked((at) => {
          const cards = seedOptions.cards ?? 1
          const start = state.get(Customers.customers).ordered.length
          for (let i = 0; i < count; i++) {
            const n = start + i + 1
            // Valid input by construction, so the Result is always a success.
            insertCustomer({ email: `customer${n}@example.com`, description: `Customer ${n}`, cards }, at)
          }
          return Result.succeed(undefined)
        }),
      createToken: (card = {}) =>
        locked((at) =>
          Result.mapBoth(Tokens.create(state, Card.withDefaults(card), at), {
            onFailure: seedError,
            onSuccess: (token) => token.id
          })
        ),
      getCustomer: (id) =>
        read(() => Option.map(Option.fromNullishOr(state.get(Customers.customers).byId.get(id)), snapshotCustomer)),
      customerCount: read(() => state.get(Customers.customers).ordered.length),
      injectFault: (fault, injectOptions = {}) => Effect.sync(() => faults.inject(fault, injectOptions)),
      injectFaultRate: (fault, rateOptions) => Effect.sync(() => faults.injectRate(fault, rateOptions)),
      clearFaults: Effect.sync(() => faults.clear()),
      // Copies: an entry's status is filled in later, and a snapshot must not change under its reader.
      requests: Effect.sync(() => log.slice(Math.max(0, log.length - logLimit)).map((entry) => ({ ...entry }))),
      clearRequests: Effect.sync(() => {
        log = []
      })
    }
    if (options.customers !== undefined && options.customers > 0) yield* fake.seedCustomers(options.customers)
    return fake
  })

/**
 * An `HttpClient` that sends every request to `fake` in memory. A fault that drops the
 * connection after processing surfaces as an `HttpClientError` whose `reason` is a
 * `TransportError`, as a reset socket would; "no response" never completes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const httpClient = (fake: Service): HttpClient.HttpClient => InMemory.httpClient(fake.handle)

/**
 * Only the fake handle, with fresh state: for serving it yourself (`FakeServer.serve`).
 *
 * @example
 * ```ts
 * import { OmiseFake } from "effect-omise/testing"
 * import * as Effect from "effect/Effect"
 *
 * export const count = Effect.gen(function* () {
 *   const fake = yield* OmiseFake.OmiseFake
 *   yield* fake.seedCustomers(3)
 *   return yield* fake.customerCount
 * }).pipe(Effect.provide(OmiseFake.layerFake()))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFake = (options: FakeOptions = {}): Layer.Layer<OmiseFake> => Layer.effect(OmiseFake, make(options))

// A new layer value per call: effect 4 shares a layer value across nested `provide`s, and a
// shared constant here would hand an inner fake's client the outer fake's handle.
const inMemoryHttp = (): Layer.Layer<HttpClient.HttpClient, never, OmiseFake> =>
  Layer.effect(HttpClientService.HttpClient, Effect.map(Effect.service(OmiseFake), httpClient))

/**
 * An in-memory `HttpClient` over a fresh fake, plus its handle: for building your own
 * `OmiseClient` (with `apiUrl` left at the default). Retries of a client built so wait as
 * configured.
 *
 * @example
 * ```ts
 * import { OmiseClient } from "effect-omise"
 * import { OmiseFake } from "effect-omise/testing"
 * import * as Layer from "effect/Layer"
 * import * as Redacted from "effect/Redacted"
 *
 * export const client = OmiseClient.layer({ secretKey: Redacted.make("skey_test_mine") }).pipe(
 *   Layer.provideMerge(OmiseFake.layerHttpClient({ secretKey: "skey_test_mine" }))
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerHttpClient = (options: FakeOptions = {}): Layer.Layer<HttpClient.HttpClient | OmiseFake> =>
  Layer.provideMerge(inMemoryHttp(), layerFake(options))

/**
 * The real `OmiseClient` over a fresh in-memory fake, plus the fake's handle. Swap it in for a
 * real client with one `Effect.provide(OmiseFake.layer())`. Retries do not wait unless
 * `retryWaits: "clock"` (see the module docs). A client option the client rejects (an
 * ill-formed `apiVersion`) is a defect here: it is a mistake in the test, not a condition to
 * handle.
 *
 * Each call makes a fake with its own state. A layer value is built once per test even when
 * provided twice, nested (effect 4 shares it); call `layer()` again, or wrap it in
 * `Layer.fresh`, for a second fake.
 *
 * @example
 * ```ts
 * import { Customer } from "effect-omise"
 * import { FakeFault, OmiseFake } from "effect-omise/testing"
 * import * as Effect from "effect/Effect"
 *
 * export const test = Effect.gen(function* () {
 *   const fake = yield* OmiseFake.OmiseFake
 *   yield* fake.injectFault(FakeFault.serverError(500))
 *   // The first attempt gets the 500; the retry succeeds at once.
 *   return yield* Customer.list()
 * }).pipe(Effect.provide(OmiseFake.layer()))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<OmiseClient.OmiseClient | OmiseFake> => {
  const { client, retryWaits, ...fakeOptions } = options
  const base = OmiseClient.layer({ ...client, secretKey: Redacted.make(options.secretKey ?? defaultSecretKey) }).pipe(
    Layer.orDie
  )
  const clientLayer = retryWaits === "clock" ? base : skippingRetryWaits(base)
  return clientLayer.pipe(Layer.provide(inMemoryHttp()), Layer.provideMerge(layerFake(fakeOptions)))
}

/** The client with every request's retries taken at once. */
const skippingRetryWaits = <E, R>(
  client: Layer.Layer<OmiseClient.OmiseClient, E, R>
): Layer.Layer<OmiseClient.OmiseClient, E, R> =>
  Layer.effect(
    OmiseClient.OmiseClient,
    Effect.map(Effect.service(OmiseClient.OmiseClient), (service) =>
      OmiseClient.OmiseClient.of({
        ...service,
        execute: (request, schema) => Effect.provideService(service.execute(request, schema), Retry.skipWaits, true)
      })
    )
  ).pipe(Layer.provide(client))
