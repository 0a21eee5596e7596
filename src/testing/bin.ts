#!/usr/bin/env node
/**
 * `omise-fake`: the fake Omise over HTTP on loopback.
 *
 * ```
 * omise-fake --port N [--host 127.0.0.1] [--customers N] [--latency MS]
 *            [--secret-key skey_test_...] [--public-key pkey_test_...] [--api-version V] [--seed N]
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
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as FakeServer from "./FakeServer.js"
import { parseOptions, usage } from "./internal/cli.js"

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
