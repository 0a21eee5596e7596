/**
 * The `omise-fake` bin's arguments: its usage text and how argv becomes `FakeServer` options.
 * Apart from the bin so tests can check it against the fake without starting a process; key
 * and version checks are the fake's own (`keys.ts`, `render.ts`), not a second copy.
 *
 * @since 0.2.0
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import { parseArgs } from "node:util"
import type * as FakeServer from "../FakeServer.js"
import * as Keys from "./keys.js"
import * as Render from "./render.js"

/**
 * `omise-fake --help`.
 *
 * @since 0.2.0
 * @category cli
 */
export const usage = `usage: omise-fake --port N [options]

Serves a fake Omise (Customer API, /tokens and charge schedules) over HTTP until SIGINT or
SIGTERM, printing "listening on http://HOST:PORT" once it accepts connections.

  --port N            port to listen on; 0 picks a free one (required)
  --host H            address to listen on (default 127.0.0.1)
  --customers N       customers (each with one card) to create at start
  --latency MS        added to every response
  --secret-key K      accept only this secret key (skey_test_...); default: every skey_test_... key
  --public-key K      accept only this public key on /tokens (pkey_test_...); default: every pkey_test_... key
  --api-version V     version for requests without Omise-Version: ${Render.versions.join(" (default) or ")}
  --seed N            seeds ids and request ids (default 1)
  --help              print this and exit`

/**
 * Arguments the bin cannot run with; printed with the usage, exit code 2.
 *
 * @since 0.2.0
 * @category cli
 */
export class UsageError extends Data.TaggedError("UsageError")<{ readonly message: string }> {}

const integer = (
  name: string,
  value: string | undefined,
  min: number,
  max: number
): Effect.Effect<number | undefined, UsageError> => {
  if (value === undefined) return Effect.succeed(undefined)
  const parsed = Number(value)
  return Number.isInteger(parsed) && parsed >= min && parsed <= max
    ? Effect.succeed(parsed)
    : Effect.fail(
        new UsageError({ message: `--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}` })
      )
}

// A key the fake would refuse is refused here, so a pinned key always opens the fake (and a
// public key pinned as the secret one, which pages embed, never does). The key is not echoed.
const key = (
  name: string,
  value: string | undefined,
  kind: Keys.Kind
): Effect.Effect<string | undefined, UsageError> =>
  value === undefined || Keys.wellFormed(kind, value)
    ? Effect.succeed(value)
    : Effect.fail(
        new UsageError({
          message: `--${name} must be a ${kind}_ key, such as ${Keys.example(kind)} (a test key: ${kind}_test_ then letters and digits)`
        })
      )

/**
 * The options the bin runs with, or `"help"`.
 *
 * @since 0.2.0
 * @category cli
 */
export const parseOptions = (argv: ReadonlyArray<string>): Effect.Effect<FakeServer.Options | "help", UsageError> =>
  Effect.gen(function* () {
    const { values } = yield* Effect.try({
      try: () =>
        parseArgs({
          args: [...argv],
          strict: true,
          allowPositionals: false,
          options: {
            port: { type: "string" },
            host: { type: "string" },
            customers: { type: "string" },
            latency: { type: "string" },
            "secret-key": { type: "string" },
            "public-key": { type: "string" },
            "api-version": { type: "string" },
            seed: { type: "string" },
            help: { type: "boolean" }
          }
        }),
      catch: (error) => new UsageError({ message: error instanceof Error ? error.message : String(error) })
    })
    if (values.help === true) return "help" as const
    if (values.port === undefined)
      return yield* Effect.fail(new UsageError({ message: "--port is required (0 picks a free port)" }))
    const apiVersion = values["api-version"]
    if (apiVersion !== undefined && !Render.isVersion(apiVersion)) {
      return yield* Effect.fail(new UsageError({ message: `--api-version must be ${Render.versions.join(" or ")}` }))
    }
    const secretKey = yield* key("secret-key", values["secret-key"], "skey")
    const publicKey = yield* key("public-key", values["public-key"], "pkey")
    const latency = yield* integer("latency", values.latency, 0, 3_600_000)
    return {
      port: yield* integer("port", values.port, 0, 65_535),
      host: values.host ?? "127.0.0.1",
      customers: yield* integer("customers", values.customers, 0, 10_000_000),
      latency: latency === undefined || latency === 0 ? undefined : `${latency} millis`,
      secretKey,
      publicKey,
      apiVersion,
      seed: yield* integer("seed", values.seed, 0, 2 ** 32 - 1)
    }
  })
