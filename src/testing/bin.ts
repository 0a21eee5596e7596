#!/usr/bin/env node
/**
 * `omise-fake`: the fake Omise over HTTP on loopback.
 *
 * ```
 * omise-fake --port N [--host 127.0.0.1] [--customers N] [--latency MS]
 *            [--secret-key skey_...] [--public-key pkey_...] [--api-version V] [--seed N]
 * omise-fake --help
 * ```
 *
 * Prints `listening on http://HOST:PORT` on stdout once it accepts
 * connections (`--port 0` picks a free port and prints it), and shuts down
 * gracefully on SIGINT and SIGTERM.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import { parseArgs } from "node:util"
import * as FakeServer from "./FakeServer.js"

const usage = `usage: omise-fake --port N [options]

Serves a fake Omise (Customer API, /tokens and charge schedules) over HTTP until SIGINT or
SIGTERM, printing "listening on http://HOST:PORT" once it accepts connections.

  --port N            port to listen on; 0 picks a free one (required)
  --host H            address to listen on (default 127.0.0.1)
  --customers N       customers (each with one card) to create at start
  --latency MS        added to every response
  --secret-key K      accept only this secret key (skey_...); default: any skey_test_... key
  --public-key K      accept only this public key on /tokens (pkey_...); default: any pkey_test_... key
  --api-version V     version for requests without Omise-Version: 2019-05-29 (default) or 2017-11-02
  --seed N            seeds ids and request ids (default 1)
  --help              print this and exit`

class UsageError extends Data.TaggedError("UsageError")<{ readonly message: string }> {}

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

// A public key pinned as the secret one would let the key that pages embed open the API.
const key = (
  name: string,
  value: string | undefined,
  kind: "skey" | "pkey"
): Effect.Effect<string | undefined, UsageError> =>
  value === undefined || new RegExp(`^${kind}_[0-9A-Za-z_]+$`).test(value)
    ? Effect.succeed(value)
    : Effect.fail(new UsageError({ message: `--${name} must be a ${kind}_ key, such as ${kind}_test_5abc` }))

const parseOptions = (argv: ReadonlyArray<string>): Effect.Effect<FakeServer.Options | "help", UsageError> =>
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
    if (apiVersion !== undefined && apiVersion !== "2019-05-29" && apiVersion !== "2017-11-02") {
      return yield* Effect.fail(new UsageError({ message: "--api-version must be 2019-05-29 or 2017-11-02" }))
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

const program = Effect.gen(function* () {
  const options = yield* parseOptions(process.argv.slice(2))
  if (options === "help") {
    yield* Effect.sync(() => process.stdout.write(`${usage}\n`))
    return
  }
  const started = performance.now()
  const server = yield* FakeServer.start(options)
  if (options.customers !== undefined && options.customers > 0) {
    const seconds = ((performance.now() - started) / 1000).toFixed(2)
    yield* Effect.sync(() => process.stderr.write(`seeded ${options.customers} customers in ${seconds} s\n`))
  }
  yield* Effect.sync(() => process.stdout.write(`listening on ${server.url}\n`))
  yield* Effect.never
}).pipe(Effect.scoped)

// The bin is a program entry point: the one place an effect is run.
const fiber = Effect.runFork(program)

const shutdown = () => {
  Effect.runFork(Fiber.interrupt(fiber))
}
process.once("SIGINT", shutdown)
process.once("SIGTERM", shutdown)

fiber.addObserver((exit) => {
  process.off("SIGINT", shutdown)
  process.off("SIGTERM", shutdown)
  if (Exit.isSuccess(exit) || Cause.hasInterruptsOnly(exit.cause)) return
  const failure = Cause.findErrorOption(exit.cause)
  if (failure._tag === "Some" && failure.value._tag === "UsageError") {
    process.stderr.write(`${failure.value.message}\n${usage}\n`)
    process.exitCode = 2
    return
  }
  process.stderr.write(`${failure._tag === "Some" ? failure.value.message : Cause.pretty(exit.cause)}\n`)
  process.exitCode = 1
})
