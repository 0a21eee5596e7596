/**
 * `npm run bench`: effect-omise (over `FetchHttpClient` and over `NodeHttpClient.layerUndici`)
 * against the raw transport each runs on (fetch + JSON.parse, undici + JSON.parse) and the
 * official `omise` client, over loopback HTTP to `omise-fake` running in a child process.
 * Scenarios run in interleaved rounds so machine noise hits every client alike. Prints each
 * scenario's medians, then one table of the goals of issue 14 with their ratios and whether each
 * is met. See BENCHMARKS.md.
 *
 *   npm run bench                 # human-readable, nothing written
 *   npm run bench -- --json       # the same on stderr, the results as JSON on stdout
 *
 * BENCH_SCALE (default 1) scales every count down for a quick check, e.g. BENCH_SCALE=0.1.
 */
import * as Result from "effect/Result"
import * as SchemaParser from "effect/SchemaParser"
import * as Stream from "effect/Stream"
import { execFile } from "node:child_process"
import * as Os from "node:os"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { Customer, OmiseList } from "effect-omise"
import {
  effectRuntime,
  type FakeProcess,
  measure,
  median,
  officialClient,
  rawGet,
  runEffect,
  startFake,
  type Transport,
  undiciFloor
} from "./harness.js"

const json = process.argv.includes("--json")
const scale = Number(process.env.BENCH_SCALE ?? "1")
const n = (count: number) => Math.max(1, Math.round(count * scale))
const root = fileURLToPath(new URL("..", import.meta.url))
// With --json, stdout carries the JSON alone.
const log = (line: string) => (json ? console.error(line) : console.log(line))
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits

type Client = "effect-omise fetch" | "effect-omise undici" | "fetch floor" | "undici floor" | "official omise"
const clients: ReadonlyArray<Client> = [
  "effect-omise fetch",
  "effect-omise undici",
  "fetch floor",
  "undici floor",
  "official omise"
]
const transports: ReadonlyArray<Transport> = ["fetch", "undici"]
const floorOf: Record<Transport, Client> = { fetch: "fetch floor", undici: "undici floor" }
const perClient = <A>(f: (client: Client) => A): Record<Client, A> =>
  Object.fromEntries(clients.map((c) => [c, f(c)])) as Record<Client, A>
const perTransport = <A>(f: (transport: Transport) => A): Record<Transport, A> =>
  Object.fromEntries(transports.map((t) => [t, f(t)])) as Record<Transport, A>
const pad = Math.max(...clients.map((c) => c.length)) + 1
/** `items` in a different order each round, so no client always runs first or last. */
const rotated = <A>(items: ReadonlyArray<A>, round: number): Array<A> =>
  items.map((_, i) => items[(i + round) % items.length]!)

/** One line of the goal table. */
interface Goal {
  readonly goal: string
  readonly measured: string
  readonly ratio: number
  /** The largest ratio that meets the goal; `undefined` for numbers reported only. */
  readonly limit: number | undefined
}
const goals: Array<Goal> = []
const goal = (name: string, measured: string, value: number, limit?: number) =>
  goals.push({ goal: name, measured, ratio: value, limit })

const withFake = async <A>(args: ReadonlyArray<string>, f: (fake: FakeProcess) => Promise<A>): Promise<A> => {
  const fake = await startFake(args)
  try {
    return await f(fake)
  } finally {
    await fake.stop()
  }
}

const allIds = async (url: string, count: number): Promise<Array<string>> => {
  const ids: Array<string> = []
  for (let offset = 0; ids.length < count; offset += 100) {
    const page = (await rawGet(`${url}/customers?limit=100&offset=${offset}`)) as { data: Array<{ id: string }> }
    if (page.data.length === 0) break
    ids.push(...page.data.map((c) => c.id))
  }
  return ids.slice(0, count)
}

/** A plain loop over every page at size 100, as the floors and the official client walk. */
const pageLoop = async (get: (offset: number) => Promise<{ data: Array<unknown>; total: number }>) => {
  let count = 0
  for (let offset = 0; ; offset += 100) {
    const page = await get(offset)
    count += page.data.length
    if (page.data.length === 0 || offset + 100 >= page.total) return count
  }
}

const countAll = <A, E, R>(stream: Stream.Stream<A, E, R>) =>
  Stream.runFold(
    stream,
    () => 0,
    (k) => k + 1
  )

// 1. retrieve: sequential retrieves of customers with one card.
const retrieve = () =>
  withFake(["--customers", String(n(2_000))], async (fake) => {
    const calls = n(2_000)
    const rounds = 10
    const ids = await allIds(fake.url, calls)
    const runtimes = perTransport((t) => effectRuntime(fake.url, t))
    const official = officialClient(fake.port)
    const undici = undiciFloor()
    const call: Record<Client, (id: string) => Promise<unknown>> = {
      "effect-omise fetch": (id) => runEffect(runtimes.fetch, Customer.retrieve(id)),
      "effect-omise undici": (id) => runEffect(runtimes.undici, Customer.retrieve(id)),
      "fetch floor": (id) => rawGet(`${fake.url}/customers/${id}`),
      "undici floor": (id) => undici.get(`${fake.url}/customers/${id}`),
      "official omise": (id) => official.customers.retrieve(id)
    }
    for (const client of clients) for (const id of ids.slice(0, 200)) await call[client](id) // warm-up
    const times = perClient((): Array<number> => [])
    const cpu = perClient(() => 0)
    const perRound = Math.ceil(calls / rounds)
    for (let r = 0; r < rounds; r++) {
      const slice = ids.slice(r * perRound, (r + 1) * perRound)
      for (const client of rotated(clients, r)) {
        const { cpuMs } = await measure(async () => {
          for (const id of slice) {
            const start = performance.now()
            await call[client](id)
            times[client].push(performance.now() - start)
          }
        })
        cpu[client] += cpuMs
      }
    }
    for (const t of transports) await runtimes[t].dispose()
    await undici.close()
    const medians = perClient((c) => median(times[c]))
    log(`\n1. retrieve — ${ids.length} sequential Customer.retrieve (customer with one card)`)
    for (const c of clients) {
      log(
        `   ${c.padEnd(pad)} median ${medians[c].toFixed(3)} ms/call  (${ratio(medians[c], medians["fetch floor"])}× fetch floor, client CPU ${(cpu[c] / ids.length).toFixed(3)} ms/call)`
      )
    }
    for (const t of transports) {
      const floor = floorOf[t]
      goal(
        `1. retrieve over ${t} ≤ 1.3× ${floor}`,
        `${medians[`effect-omise ${t}`].toFixed(3)} vs ${medians[floor].toFixed(3)} ms`,
        ratio(medians[`effect-omise ${t}`], medians[floor]),
        1.3
      )
    }
    goal(
      "1. official omise vs fetch floor (report)",
      `${medians["official omise"].toFixed(3)} ms`,
      ratio(medians["official omise"], medians["fetch floor"])
    )
    return {
      calls: ids.length,
      medianMsPerCall: perClient((c) => round(medians[c], 3)),
      clientCpuMsPerCall: perClient((c) => round(cpu[c] / ids.length, 3))
    }
  })

// 2. stream all: every customer at page size 100, fully decoded.
const streamAll = () =>
  withFake(["--customers", String(n(50_000))], async (fake) => {
    const total = n(50_000)
    const runtimes = perTransport((t) => effectRuntime(fake.url, t))
    const official = officialClient(fake.port)
    const undici = undiciFloor()
    const page = (get: (url: string) => Promise<unknown>) => (offset: number) =>
      get(`${fake.url}/customers?limit=100&offset=${offset}`) as Promise<{ data: Array<unknown>; total: number }>
    const walk: Record<Client, () => Promise<number>> = {
      "effect-omise fetch": () => runEffect(runtimes.fetch, countAll(Customer.stream())),
      "effect-omise undici": () => runEffect(runtimes.undici, countAll(Customer.stream())),
      "fetch floor": () => pageLoop(page(rawGet)),
      "undici floor": () => pageLoop(page(undici.get)),
      "official omise": () => pageLoop((offset) => official.customers.list({ limit: 100, offset }))
    }
    for (const client of clients) await walk[client]() // warm-up
    const rounds = 3
    const wall = perClient((): Array<number> => [])
    const cpu = perClient((): Array<number> => [])
    for (let r = 0; r < rounds; r++) {
      for (const client of rotated(clients, r)) {
        const { cpuMs, value, wallMs } = await measure(walk[client])
        if (value !== total) throw new Error(`${client} streamed ${value} of ${total}`)
        wall[client].push(wallMs)
        cpu[client].push(cpuMs)
      }
    }
    // Decoding alone: one real page body, decoded in process.
    const body = await rawGet(`${fake.url}/customers?limit=100`)
    const decode = SchemaParser.decodeUnknownResult(OmiseList.OmiseList(Customer.Customer))
    for (let i = 0; i < 200; i++) decode(body)
    const reps = 300
    const start = performance.now()
    for (let i = 0; i < reps; i++) if (Result.isFailure(decode(body))) throw new Error("decode failed")
    const decodeMicros = ((performance.now() - start) * 1000) / (reps * 100)
    for (const t of transports) await runtimes[t].dispose()
    await undici.close()
    const medians = perClient((c) => median(wall[c]))
    const cpus = perClient((c) => median(cpu[c]))
    log(`\n2. stream all — ${total} customers at page size 100`)
    for (const c of clients) {
      log(
        `   ${c.padEnd(pad)} median ${medians[c].toFixed(0)} ms  (${ratio(medians[c], medians["fetch floor"])}× fetch floor, client CPU ${cpus[c].toFixed(0)} ms, ${((cpus[c] * 1000) / total).toFixed(1)} µs/customer)`
      )
    }
    log(`   Schema decode alone: ${decodeMicros.toFixed(1)} µs per customer (one card, page of 100)`)
    for (const t of transports) {
      const floor = floorOf[t]
      goal(
        `2. stream ${total} over ${t} ≤ 1.5× ${floor}`,
        `${medians[`effect-omise ${t}`].toFixed(0)} vs ${medians[floor].toFixed(0)} ms`,
        ratio(medians[`effect-omise ${t}`], medians[floor]),
        1.5
      )
    }
    return {
      customers: total,
      medianMs: perClient((c) => Math.round(medians[c])),
      clientCpuMs: perClient((c) => Math.round(cpus[c])),
      decodeMicrosPerCustomer: round(decodeMicros, 2)
    }
  })

// 3. latency-bound: every response takes `latency` ms; the stream at concurrency 8 and 10 against
// the physical bound: the first page alone (it says how many there are), then the rest in rounds
// of `concurrency` requests.
const latencyBound = (latency: number, rounds: number) =>
  withFake(["--customers", String(n(10_000)), "--latency", String(latency)], async (fake) => {
    const customers = n(10_000)
    const pages = Math.ceil(customers / 100)
    const bound = (concurrency: number) => (1 + Math.ceil((pages - 1) / concurrency)) * latency
    const concurrencies = [8, 10]
    const runtimes = perTransport((t) => effectRuntime(fake.url, t))
    const run = (t: Transport, concurrency: number) =>
      measure(() => runEffect(runtimes[t], countAll(Customer.stream({ concurrency }))))
    // Warm-up: in 0.1.x, of fourteen runs in a row the first took nearly twice the rest; a
    // long-running service does not see those.
    for (const t of transports) for (let w = 0; w < 4; w++) for (const c of concurrencies) await run(t, c)
    const times = perTransport(() => new Map(concurrencies.map((c) => [c, [] as Array<number>])))
    for (let r = 0; r < rounds; r++) {
      for (const t of rotated(transports, r)) {
        for (const c of concurrencies) {
          const { value, wallMs } = await run(t, c)
          if (value !== customers) throw new Error(`${t} streamed ${value} of ${customers}`)
          times[t].get(c)!.push(wallMs)
        }
      }
    }
    for (const t of transports) await runtimes[t].dispose()
    log(`\n3. latency-bound — ${customers} customers, ${latency} ms per response`)
    const out = perTransport((t) =>
      Object.fromEntries(
        concurrencies.map((c) => {
          const m = median(times[t].get(c)!)
          log(
            `   ${t.padEnd(7)} concurrency ${String(c).padEnd(2)}: ${m.toFixed(0)} ms, physical bound ${bound(c)} ms, ${ratio(m, bound(c))}×`
          )
          const primary = latency === 20 && c === 8
          goal(
            `3. ${customers} at ${latency} ms, concurrency ${c}, ${t}${primary ? " ≤ 1.2× bound" : " (report)"}`,
            `${m.toFixed(0)} vs ${bound(c)} ms`,
            ratio(m, bound(c)),
            primary ? 1.2 : undefined
          )
          return [`concurrency${c}`, { medianMs: Math.round(m), boundMs: bound(c), ratio: ratio(m, bound(c)) }]
        })
      )
    )
    return { customers, latencyMs: latency, ...out }
  })

// 4. memory: peak RSS streaming 100,000 vs 10,000 customers, each in its own process.
const memory = () =>
  withFake(["--customers", String(n(100_000))], async (fake) => {
    const peak = async (count: number, transport: Transport) => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ["--import", "tsx", "bench/memory.ts", fake.url, String(count), transport],
        { cwd: root }
      )
      const result = JSON.parse(stdout.trim().split("\n").pop()!) as { count: number; peakKiB: number }
      if (result.count !== count) throw new Error(`${transport} streamed ${result.count} of ${count}`)
      return result.peakKiB
    }
    const small = perTransport((): Array<number> => [])
    const large = perTransport((): Array<number> => [])
    for (let r = 0; r < 2; r++) {
      for (const t of rotated(transports, r)) {
        small[t].push(await peak(n(10_000), t))
        large[t].push(await peak(n(100_000), t))
      }
    }
    log(`\n4. memory — peak RSS streaming ${n(100_000)} vs ${n(10_000)} customers`)
    return perTransport((t) => {
      const s = median(small[t]) / 1024
      const l = median(large[t]) / 1024
      log(
        `   ${t.padEnd(7)} ${n(10_000)}: ${s.toFixed(1)} MiB, ${n(100_000)}: ${l.toFixed(1)} MiB, ratio ${ratio(l, s)}`
      )
      goal(
        `4. peak RSS ${n(100_000)} vs ${n(10_000)}, ${t} ≤ 1.2×`,
        `${l.toFixed(0)} vs ${s.toFixed(0)} MiB`,
        ratio(l, s),
        1.2
      )
      return { peakMiB: { [n(10_000)]: round(s), [n(100_000)]: round(l) }, ratio: ratio(l, s) }
    })
  })

// 5. growth: time per customer streaming 10,000, 50,000 and 200,000 customers.
const growth = () =>
  withFake(["--customers", String(n(200_000))], async (fake) => {
    const sizes = [n(10_000), n(50_000), n(200_000)]
    const runtimes = perTransport((t) => effectRuntime(fake.url, t))
    const run = (t: Transport, count: number) =>
      measure(() => runEffect(runtimes[t], countAll(Customer.stream().pipe(Stream.take(count)))))
    for (const t of transports) await run(t, sizes[0]!) // warm-up
    const perCustomer = perTransport(() => new Map(sizes.map((s) => [s, [] as Array<number>])))
    for (let r = 0; r < 2; r++) {
      for (const t of rotated(transports, r)) {
        for (const size of sizes) {
          const { value, wallMs } = await run(t, size)
          if (value !== size) throw new Error(`${t} streamed ${value} of ${size}`)
          perCustomer[t].get(size)!.push((wallMs * 1000) / size)
        }
      }
    }
    for (const t of transports) await runtimes[t].dispose()
    log(`\n5. growth — time per customer streamed, page size 100`)
    return perTransport((t) => {
      const micros = sizes.map((s) => median(perCustomer[t].get(s)!))
      log(`   ${t.padEnd(7)} ${sizes.map((s, i) => `${s}: ${micros[i]!.toFixed(1)} µs`).join(", ")}`)
      const [first, , last] = micros as [number, number, number]
      goal(
        `5. µs per customer, ${sizes[2]} vs ${sizes[0]}, ${t} ≤ 1.2× (linear)`,
        `${last.toFixed(1)} vs ${first.toFixed(1)} µs`,
        ratio(last, first),
        1.2
      )
      return Object.fromEntries(sizes.map((s, i) => [s, round(micros[i]!, 2)]))
    })
  })

const started = performance.now()
const machine = {
  cpus: Os.cpus().length,
  model: Os.cpus()[0]?.model,
  node: process.version,
  memoryGiB: round(Os.totalmem() / 2 ** 30)
}
log(
  `effect-omise benchmarks on ${machine.cpus}× ${machine.model ?? "cpu"}, Node ${process.version}${scale === 1 ? "" : `, BENCH_SCALE=${scale}`}`
)
const results = {
  machine,
  scale,
  date: new Date().toISOString(),
  retrieve: await retrieve(),
  streamAll: await streamAll(),
  latencyBound: [await latencyBound(20, 5), await latencyBound(100, 3)],
  memory: await memory(),
  growth: await growth(),
  goals: goals.map((g) => ({ ...g, met: g.limit === undefined ? null : g.ratio <= g.limit })),
  seconds: 0
}
results.seconds = Math.round((performance.now() - started) / 1000)

const width = Math.max(...goals.map((g) => g.goal.length))
const measuredWidth = Math.max(...goals.map((g) => g.measured.length))
log(`\nGoals (issue 14), ratios from this run (${results.seconds} s):`)
log(`   ${"goal".padEnd(width)}  ${"measured".padEnd(measuredWidth)}  ratio   met?`)
for (const g of goals) {
  const verdict = g.limit === undefined ? "report" : g.ratio <= g.limit ? "yes" : "NO"
  log(`   ${g.goal.padEnd(width)}  ${g.measured.padEnd(measuredWidth)}  ${g.ratio.toFixed(2).padStart(5)}×  ${verdict}`)
}
if (json) console.log(JSON.stringify(results, null, 2))
process.exit(0)
