/**
 * Exports every customer to a JSON Lines file, one customer per line, oldest first.
 *
 *   npx tsx examples/export-customers.ts [--out FILE] [--resume] [--concurrency 4] [--every 1000]
 *
 * `--out` defaults to a file in the system's temp directory (the path is printed at the end).
 *
 * Resumable: after an interruption (Ctrl-C, a crash, a failed page), run it again with `--resume`
 * and it continues after the last customer the file holds, so every customer ends up in the file
 * exactly once. Resuming from the last `created_at` alone would not do: `from` is inclusive and
 * customers share seconds, so it resumes from that second and skips the ids the file already has
 * for it. A line cut short by the interruption is dropped first.
 *
 * Progress goes to stderr: a bar redrawn in place on a terminal; otherwise (a log file, CI) one
 * line every `--every` customers or 10 seconds, whichever comes first.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { createReadStream, createWriteStream, existsSync, truncateSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { Customer } from "effect-omise"
import { OmiseFake } from "effect-omise/testing"
import { clientLayer, main } from "./support.js"

const { values } = parseArgs({
  options: {
    out: { type: "string", default: join(tmpdir(), "effect-omise-customers.jsonl") },
    resume: { type: "boolean", default: false },
    concurrency: { type: "string", default: "4" },
    every: { type: "string", default: "1000" }
  }
})
const out = values.out
const every = Math.max(1, Number(values.every))
const logEveryMillis = 10_000

const encode = Schema.encodeSync(Customer.Customer)
const Line = Schema.fromJsonString(Schema.Struct({ id: Schema.String, created_at: Schema.String }))
const decodeLine = Schema.decodeUnknownSync(Line)

/** Where an earlier export stopped: its last second, the ids written for that second, and how many lines. */
interface ResumePoint {
  readonly from: string
  readonly seen: ReadonlySet<string>
  readonly written: number
}

/**
 * Reads an earlier export: keeps only the ids of its last second (the file is in creation order,
 * so everything before that second is complete) and cuts off a last line without its newline.
 */
const resumePoint = (path: string): Effect.Effect<Option.Option<ResumePoint>, Error> =>
  Effect.tryPromise({
    try: async () => {
      if (!existsSync(path)) return Option.none<ResumePoint>()
      let complete = 0 // bytes up to the end of the last complete line
      let carry = Buffer.alloc(0)
      let from: string | undefined
      let seen = new Set<string>()
      let written = 0
      for await (const chunk of createReadStream(path)) {
        const data = Buffer.concat([carry, chunk as Buffer])
        let start = 0
        for (let end = data.indexOf(10); end >= 0; end = data.indexOf(10, start)) {
          const line = decodeLine(data.subarray(start, end).toString("utf8"))
          if (line.created_at !== from) {
            from = line.created_at
            seen = new Set()
          }
          seen.add(line.id)
          written++
          complete += end + 1 - start
          start = end + 1
        }
        carry = data.subarray(start)
      }
      if (carry.length > 0) truncateSync(path, complete)
      return from === undefined ? Option.none<ResumePoint>() : Option.some({ from, seen, written })
    },
    catch: (cause) => new Error(`cannot resume from ${path}`, { cause })
  })

/** Progress on stderr: a bar redrawn in place on a terminal, plain lines anywhere else. */
const makeProgress = (total: number, alreadyWritten: number, startedAt: number) => {
  const tty = process.stderr.isTTY === true
  let lastLogAt = startedAt
  let lastLogCount = 0
  const rate = (count: number, now: number) => Math.round(count / Math.max(0.001, (now - startedAt) / 1000))
  return (count: number, customer: Customer.Customer) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) =>
      Effect.sync(() => {
        const done = alreadyWritten + count
        if (tty) {
          // Redrawn at most ten times a second, and at the end.
          if (now - lastLogAt < 100 && done < total) return
          lastLogAt = now
          const width = 30
          const filled = total === 0 ? width : Math.min(width, Math.round((done / total) * width))
          process.stderr.write(
            `\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} customers, ${rate(count, now)}/s\x1b[K`
          )
        } else if (count - lastLogCount >= every || now - lastLogAt >= logEveryMillis) {
          lastLogAt = now
          lastLogCount = count
          const upTo = customer.created_at.toJSON()
          process.stderr.write(`${done}/${total} customers, ${rate(count, now)}/s, up to ${upTo}\n`)
        }
      })
    )
}

const program = Effect.gen(function* () {
  const resume = values.resume ? yield* resumePoint(out) : Option.none<ResumePoint>()
  const from = Option.map(resume, (point) => point.from)
  const seen = Option.match(resume, { onNone: () => new Set<string>(), onSome: (point) => point.seen })
  const alreadyWritten = Option.match(resume, { onNone: () => 0, onSome: (point) => point.written })

  // How many remain, for the progress bar: those from the resume second on, minus those written.
  const first = yield* Customer.list({
    limit: 1,
    ...Option.match(from, { onNone: () => ({}), onSome: (f) => ({ from: f }) })
  })
  const total = alreadyWritten + first.total - seen.size

  const file = yield* Effect.acquireRelease(
    Effect.sync(() => createWriteStream(out, { flags: Option.isSome(resume) ? "a" : "w" })),
    (file) => Effect.callback<void>((resume) => void file.end(() => resume(Effect.void)))
  )
  const write = (line: string) =>
    Effect.callback<void>((resume) => {
      if (file.write(line)) resume(Effect.void)
      else file.once("drain", () => resume(Effect.void))
    })
  const progress = makeProgress(total, alreadyWritten, yield* Clock.currentTimeMillis)

  const exported = yield* Customer.stream({
    order: "chronological",
    concurrency: Number(values.concurrency),
    ...Option.match(from, { onNone: () => ({}), onSome: (f) => ({ from: f }) })
  }).pipe(
    // `from` is inclusive: the resume second's customers already written come again.
    Stream.filter((customer) => !seen.has(customer.id)),
    Stream.mapEffect((customer) => Effect.as(write(JSON.stringify(encode(customer)) + "\n"), customer)),
    Stream.zipWithIndex,
    Stream.runFoldEffect(
      () => 0,
      (_, [customer, index]) => Effect.as(progress(index + 1, customer), index + 1)
    )
  )
  if (process.stderr.isTTY === true) process.stderr.write("\n")
  process.stderr.write(
    `exported ${exported} customers to ${out}` +
      (alreadyWritten > 0 ? ` (after ${alreadyWritten} already there)\n` : "\n")
  )
})

main(
  "export-customers",
  Effect.scoped(program),
  clientLayer(Effect.flatMap(OmiseFake.OmiseFake, (fake) => fake.seedCustomers(5_000)))
)
