/**
 * The fake Omise itself: an in-memory emulation of the Omise Customer API,
 * vault tokens and charge schedules behind one request handler, with the
 * controls tests need (seeding, tokens, faults, the request log).
 *
 * `OmiseFake.layer` serves it to the real client in memory and `FakeServer`
 * serves it over HTTP; both take the same {@link Options}.
 *
 * Behaviour follows the Omise docs and captured responses. Where Omise is
 * undocumented the fake chooses, and says so:
 * - `limit` above 100 is clamped to 100 (echoed); `limit` below 1, a negative
 *   `offset` or a non-integer is a 400 `bad_request`. Search `per_page` above
 *   100 is clamped; `page`/`per_page` below 1 is a 400 `invalid_page`.
 * - Search matches every word of `query`, case-insensitively, against the id,
 *   email, description and metadata values; the customer scope accepts only
 *   the `created` filter (a date, a date-time, `A..B`, or `today`,
 *   `yesterday`, `this_week`, `last_week`, `this_month`, `last_month`).
 * - `metadata` on update replaces the whole object; a card added by update
 *   becomes the default only when the customer had none.
 * - A deleted customer is gone (404 afterwards).
 * - `Omise-Version` `2019-05-29` gets 2019 shapes; `2017-11-02` (and the older
 *   `2015-11-17`, `2014-07-27`) get 2017 shapes; anything else is a 400.
 * - Unknown paths and methods are a 404 `not_found`.
 * - Creation times have one-second resolution, as on the wire; list `from`
 *   and `to` are inclusive.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Semaphore from "effect/Semaphore"
import * as FakeFault from "./FakeFault.js"
import * as FakeHttp from "./FakeHttp.js"
import * as Base64 from "./internal/base64.js"
import * as Failure from "./internal/failure.js"
import * as Params from "./internal/params.js"
import type * as Render from "./internal/render.js"
import * as Rng from "./internal/rng.js"
import * as Router from "./internal/router.js"
import * as Store from "./internal/store.js"

/**
 * How a fake is built.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Accept only this secret key. By default any `skey_test_...` key is accepted. */
  readonly secretKey?: string | undefined
  /** Accept only this public key on `/tokens`. By default any `pkey_test_...` key is accepted. */
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
 * A card as entered on the vault. Every field has a working default
 * (`4242424242424242`, a name, an expiry far in the future).
 *
 * @since 0.1.0
 * @category models
 */
export type CardInput = Store.CardInput

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
 * A request the fake received. `params` are the merged query and body
 * parameters as the fake understood them (`{}` when the body did not parse).
 * `status` is what it answered (`undefined` while pending or when it never
 * answers); `fault` names the fault applied, if any.
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
 * Options for {@link OmiseEmulator.injectFault}: which requests (all by
 * default) and how many of them (1 by default; `Infinity` for all).
 *
 * @since 0.1.0
 * @category models
 */
export interface InjectOptions extends FakeFault.FaultTarget {
  readonly times?: number | undefined
}

/**
 * Options for {@link OmiseEmulator.injectFaultRate}: each matching request
 * gets the fault with `probability`, drawn from a PRNG seeded with `seed`
 * (default 1) so a run is reproducible.
 *
 * @since 0.1.0
 * @category models
 */
export interface InjectRateOptions extends FakeFault.FaultTarget {
  readonly probability: number
  readonly seed?: number | undefined
}

/**
 * One fake Omise: the handler and its controls. Each one has its own state.
 *
 * @since 0.1.0
 * @category models
 */
export interface OmiseEmulator {
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
  /** Applies `fault` to the next `times` matching requests. */
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

type FaultRule =
  | { readonly fault: FakeFault.FakeFault; readonly target: FakeFault.FaultTarget; remaining: number }
  | {
      readonly fault: FakeFault.FakeFault
      readonly target: FakeFault.FaultTarget
      readonly probability: number
      readonly rng: Rng.Rng
    }

/** The log's own entries: the status is filled in once the answer is known. */
type MutableRecord = Omit<RecordedRequest, "status"> & { status: number | undefined }

const legacyVersions = new Set(["2017-11-02", "2015-11-17", "2014-07-27"])

const resolveVersion = (
  header: string | undefined,
  fallback: Render.Version
): Result.Result<Render.Version, Failure.ApiFailure> => {
  const requested = header?.trim()
  if (requested === undefined || requested === "") return Result.succeed(fallback)
  if (requested === "2019-05-29") return Result.succeed("2019-05-29")
  if (legacyVersions.has(requested)) return Result.succeed("2017-11-02")
  return Result.fail(Failure.badRequest(`API version ${requested} is not supported`))
}

/** The key from `Authorization: Basic base64(key:)`. */
const keyFrom = (authorization: string | undefined): string | undefined => {
  const match = authorization === undefined ? null : /^basic\s+(\S+)\s*$/i.exec(authorization)
  const decoded = match === null ? undefined : Base64.decode(match[1]!)
  if (decoded === undefined) return undefined
  const text = new TextDecoder().decode(decoded)
  const colon = text.indexOf(":")
  return colon < 0 ? text : text.slice(0, colon)
}

const authenticated = (key: string | undefined, kind: "skey" | "pkey", pinned: string | undefined): boolean => {
  if (key === undefined) return false
  return pinned === undefined ? new RegExp(`^${kind}_test_[0-9A-Za-z]+$`).test(key) : key === pinned
}

const toUtc = (ms: number): DateTime.Utc => DateTime.makeUnsafe(ms)

const snapshotCard = (card: Store.StoredCard): FakeCard => ({
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

const snapshotCustomer = (customer: Store.StoredCustomer): FakeCustomer => ({
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

const normalisePath = (path: string): string => {
  const question = path.indexOf("?")
  const bare = question < 0 ? path : path.slice(0, question)
  return `/${bare
    .split("/")
    .filter((part) => part.length > 0)
    .join("/")}`
}

/**
 * Builds a fake Omise with fresh state.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<OmiseEmulator> =>
  Effect.gen(function* () {
    const seed = options.seed ?? 1
    const store = new Store.Store(seed)
    const requestIds = Rng.make(seed ^ 0x5bd1e995)
    const defaultVersion: Render.Version = options.apiVersion ?? "2019-05-29"
    const latency = options.latency === undefined ? undefined : Duration.fromInputUnsafe(options.latency)
    const logLimit = Math.max(0, options.requestLogLimit ?? 10_000)
    const lock = yield* Semaphore.make(1)
    let faults: Array<FaultRule> = []
    let log: Array<MutableRecord> = []

    const pickFault = (method: string, path: string): FakeFault.FakeFault | undefined => {
      for (const rule of faults) {
        if (!FakeFault.matches(rule.target, method, path)) continue
        if ("remaining" in rule) {
          rule.remaining -= 1
          if (rule.remaining <= 0) faults = faults.filter((other) => other !== rule)
          return rule.fault
        }
        if (rule.rng.next() < rule.probability) return rule.fault
      }
      return undefined
    }

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

    const failureResponse = (failure: Failure.ApiFailure, extra: Record<string, string> = {}) =>
      respond(failure.status, Failure.body(failure), extra)

    const process = (
      request: FakeHttp.FakeRequest,
      path: string,
      params: Result.Result<Params.Params, Failure.ApiFailure>
    ): Effect.Effect<FakeHttp.FakeResponse> =>
      Effect.gen(function* () {
        const now = toSeconds(yield* Clock.currentTimeMillis)
        const segments = path.split("/").filter((part) => part.length > 0)
        const vault = Router.isVaultPath(segments)
        const key = keyFrom(request.headers["authorization"])
        if (!authenticated(key, vault ? "pkey" : "skey", vault ? options.publicKey : options.secretKey)) {
          return yield* Effect.fail(Failure.authenticationFailure)
        }
        const version = yield* Effect.fromResult(resolveVersion(request.headers["omise-version"], defaultVersion))
        const body = yield* Router.route({
          store,
          version,
          now,
          method: request.method.toUpperCase(),
          segments,
          params: yield* Effect.fromResult(params)
        })
        return respond(200, body, { "omise-version": version })
      }).pipe(
        Effect.catchTag("ApiFailure", (failure) => Effect.succeed(failureResponse(failure))),
        // A bug in the fake must not take the client or the server down with it.
        Effect.catchDefect((defect) =>
          Effect.succeed(
            failureResponse(
              new Failure.ApiFailure({
                status: 500,
                code: "internal_error",
                message: `the fake Omise failed: ${String(defect)}`
              })
            )
          )
        ),
        lock.withPermits(1)
      )

    const handle = (
      request: FakeHttp.FakeRequest
    ): Effect.Effect<FakeHttp.FakeResponse, FakeHttp.FakeConnectionDropped> =>
      Effect.gen(function* () {
        const method = request.method.toUpperCase()
        const path = normalisePath(request.path)
        const search =
          typeof request.query === "string"
            ? new URLSearchParams(request.query.startsWith("?") ? request.query.slice(1) : request.query)
            : request.query
        const params = Result.map(Params.fromBody(request.headers["content-type"], request.body), (body) =>
          Params.prune(Params.merge(Params.fromSearchParams(search), body))
        )
        const at = yield* Clock.currentTimeMillis
        const fault = pickFault(method, path)
        const entry: MutableRecord = {
          method,
          path,
          query: search.toString(),
          headers: request.headers,
          params: Result.getOrElse(params, () => ({})),
          at: toUtc(at),
          fault: fault?._tag,
          status: undefined
        }
        log.push(entry)
        // Trimmed once it holds twice the limit, not on every request: a copy of 10,000 entries
        // per request would make a long-running fake slower the longer it runs.
        if (log.length >= 2 * logLimit) log = log.slice(log.length - logLimit)
        if (latency !== undefined) yield* Effect.sleep(latency)
        if (fault !== undefined) {
          switch (fault._tag) {
            case "ServerError": {
              const response: FakeHttp.FakeResponse =
                fault.body === undefined
                  ? failureResponse(
                      new Failure.ApiFailure({
                        status: fault.status,
                        code: fault.status === 503 ? "service_unavailable" : "internal_error",
                        message:
                          fault.status === 503 ? "service is temporarily unavailable" : "an internal error occurred"
                      })
                    )
                  : {
                      status: fault.status,
                      headers: {
                        "content-type": fault.contentType ?? "text/plain",
                        "x-request-id": Rng.uuid(requestIds)
                      },
                      body: fault.body
                    }
              entry.status = response.status
              return response
            }
            case "RateLimited": {
              entry.status = 429
              return failureResponse(
                new Failure.ApiFailure({ status: 429, code: "too_many_requests", message: "too many requests" }),
                { "retry-after": String(fault.retryAfter) }
              )
            }
            case "NoResponse":
              return yield* Effect.never
            case "Latency":
              yield* Effect.sleep(fault.duration)
              break
            case "DropAfterProcessing":
              break
          }
        }
        const response = yield* process(request, path, params)
        entry.status = response.status
        if (fault?._tag === "DropAfterProcessing") {
          return yield* Effect.fail(new FakeHttp.FakeConnectionDropped({ method, path, response }))
        }
        return response
      })

    const insertCustomer = (
      input: CustomerInput,
      now: number
    ): Result.Result<Store.StoredCustomer, Failure.ApiFailure> => {
      const created = input.created === undefined ? now : toSeconds(DateTime.toEpochMillis(input.created))
      const inputs =
        typeof input.cards === "number"
          ? Array.from({ length: input.cards }, (): CardInput => ({}))
          : (input.cards ?? [])
      const cards: Array<Store.StoredCard> = []
      for (const card of inputs) {
        const made = store.makeCard({ ...Store.defaultCard, ...withoutUndefined(card) }, created)
        if (Result.isFailure(made)) return Result.fail(made.failure)
        cards.push(made.success)
      }
      const customer = store.createCustomer(input, created)
      for (const card of cards) store.attachCard(customer, card)
      return Result.succeed(customer)
    }

    const now = Effect.map(Clock.currentTimeMillis, toSeconds)

    const locked = <A, E>(f: (now: number) => Result.Result<A, E>): Effect.Effect<A, E> =>
      lock.withPermits(1)(Effect.flatMap(now, (at) => Effect.suspend(() => Effect.fromResult(f(at)))))

    const emulator: OmiseEmulator = {
      handle,
      createCustomer: (input = {}) =>
        locked((at) =>
          Result.mapBoth(insertCustomer(input, at), { onFailure: seedError, onSuccess: snapshotCustomer })
        ),
      seedCustomers: (count, seedOptions = {}) =>
        locked((at) => {
          const cards = seedOptions.cards ?? 1
          const start = store.customers.length
          for (let i = 0; i < count; i++) {
            const n = start + i + 1
            // Valid input by construction, so the Result is always a success.
            insertCustomer({ email: `customer${n}@example.com`, description: `Customer ${n}`, cards }, at)
          }
          return Result.succeed(undefined)
        }),
      createToken: (card = {}) =>
        locked((at) =>
          Result.mapBoth(store.createToken({ ...Store.defaultCard, ...withoutUndefined(card) }, at), {
            onFailure: seedError,
            onSuccess: (token) => token.id
          })
        ),
      getCustomer: (id) =>
        lock.withPermits(1)(
          Effect.sync(() => Option.map(Option.fromNullishOr(store.customersById.get(id)), snapshotCustomer))
        ),
      customerCount: Effect.sync(() => store.customers.length),
      injectFault: (fault, injectOptions = {}) =>
        Effect.sync(() => {
          const times = injectOptions.times ?? 1
          if (times > 0) faults.push({ fault, target: injectOptions, remaining: times })
        }),
      injectFaultRate: (fault, rateOptions) =>
        Effect.sync(() => {
          faults.push({
            fault,
            target: rateOptions,
            probability: rateOptions.probability,
            rng: Rng.make(rateOptions.seed ?? 1)
          })
        }),
      clearFaults: Effect.sync(() => {
        faults = []
      }),
      requests: Effect.sync(() => log.slice(Math.max(0, log.length - logLimit))),
      clearRequests: Effect.sync(() => {
        log = []
      })
    }
    if (options.customers !== undefined && options.customers > 0) yield* emulator.seedCustomers(options.customers)
    return emulator
  })

const withoutUndefined = <A extends object>(input: A): Partial<A> =>
  Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<A>
