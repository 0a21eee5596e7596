/**
 * Exports every customer to a JSON Lines file, one customer per line, with a progress line on
 * stderr. Resumable: `--from 2024-03-01T00:00:00Z` starts at that creation time (the last line of
 * a previous export says where it stopped).
 *
 *   npx tsx examples/export-customers.ts [--out customers.jsonl] [--from ISO-8601] [--concurrency 4]
 */
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { createWriteStream } from "node:fs"
import { parseArgs } from "node:util"
import { Customer } from "effect-omise"
import { clientLayer, main } from "./support.js"

const { values } = parseArgs({
  options: {
    out: { type: "string", default: "customers.jsonl" },
    from: { type: "string" },
    concurrency: { type: "string", default: "4" }
  }
})

const encode = Schema.encodeSync(Customer.Customer)

const program = Effect.gen(function* () {
  const out = yield* Effect.acquireRelease(
    Effect.sync(() => createWriteStream(values.out!, { flags: values.from === undefined ? "w" : "a" })),
    (file) =>
      Effect.callback<void>((resume) => {
        file.end(() => resume(Effect.void))
      })
  )
  const started = yield* DateTime.now
  const write = (line: string) =>
    Effect.callback<void>((resume) => {
      if (out.write(line)) resume(Effect.void)
      else out.once("drain", () => resume(Effect.void))
    })

  const exported = yield* Customer.stream({
    order: "chronological",
    concurrency: Number(values.concurrency),
    ...(values.from === undefined ? {} : { from: values.from })
  }).pipe(
    Stream.mapEffect((customer) => Effect.as(write(JSON.stringify(encode(customer)) + "\n"), customer)),
    Stream.zipWithIndex,
    Stream.tap(([customer, index]) =>
      (index + 1) % 1000 === 0
        ? Effect.flatMap(DateTime.now, (now) => {
            const seconds = Duration.toSeconds(DateTime.distance(started, now))
            return Effect.sync(() =>
              process.stderr.write(
                `\r${index + 1} customers, ${Math.round((index + 1) / seconds)}/s, up to ${DateTime.formatIso(customer.created_at)}`
              )
            )
          })
        : Effect.void
    ),
    Stream.runFold(
      () => 0,
      (count) => count + 1
    )
  )
  process.stderr.write(`\nexported ${exported} customers to ${values.out}\n`)
})

main("export-customers", program.pipe(Effect.scoped, Effect.provide(clientLayer((fake) => fake.seedCustomers(5_000)))))
