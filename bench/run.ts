/**
 * `npm run bench`: effect-omise (over `FetchHttpClient` and over `NodeHttpClient.layerUndici`)
 * against the floor (fetch + JSON.parse) and the official `omise` client, over loopback HTTP to
 * `omise-fake` running in a child process. Scenarios run in interleaved rounds so machine noise
 * hits every client alike. Prints medians and ratios and writes bench/results.json. See
 * BENCHMARKS.md.
 *
 * BENCH_SCALE (default 1) scales every count down for a quick check, e.g. BENCH_SCALE=0.1.
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { execFile } from "node:child_process"
import { writeFileSync } from "node:fs"
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
  type Transport
} from "./harness.js"

const scale = Number(process.env.BENCH_SCALE ?? "1")
const n = (count: number) => Math.max(1, Math.round(count * scale))
const root = fileURLToPath(new URL("..", import.meta.url))
const results: Record<string, unknown> = {}
const log = (line: string) => console.log(line)
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits

type Client = "effect-omise fetch" | "effect-omise undici" | "fetch floor" | "official omise"
const clients: ReadonlyArray<Client> = ["effect-omise fetch", "effect-omise undici", "fetch floor", "official omise"]
const transports: ReadonlyArray<Transport> = ["fetch", "undici"]
const perClient = <A>(f: (client: Client) => A): Record<Client, A> =>
  Object.fromEntries(clients.map((c) => [c, f(c)])) as Record<Client, A>
const perTransport = <A>(f: (transport: Transport) => A): Record<Transport, A> =>
  Object.fromEntries(transports.map((t) => [t, f(t)])) as Record<Transport, A>
const pad = Math.max(...clients.map((c) => c.length)) + 1

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

// 1. retrieve: sequential retrieves of customers with one card.
const retrieve = () =>
  withFake(["--customers", String(n(2_000))], async (fake) => {
    const calls = n(2_000)
    const rounds = 10
    const ids = await allIds(fake.url, calls)
    const runtimes = perTransport((t) => effectRuntime(fake.url, t))
    const official = officialClient(fake.port)
    const call: Record<Client, (id: string) => Promise<unknown>> = {
      "effect-omise fetch": (id) => runEffect(runtimes.fetch, Customer.retrieve(id)),
      "effect-omise undici": (id) => runEffect(runtimes.undici, Customer.retrieve(id)),
      "fetch floor": (id) => rawGet(`${fake.url}/customers/${id}`),
      "official omise": (id) => official.customers.retrieve(id)
    }
    for (const client of clients) for (const id of ids.slice(0, 50)) await call[client](id) // warm-up
    const times = perClient((): Array<number> => [])
    const cpu = perClient(() => 0)
    const perRound = Math.ceil(calls / rounds)
    for (let round = 0; round < rounds; round++) {
      const order = clients.map((_, i) => clients[(i + round) % clients.length]!)
      const slice = ids.slice(round * perRound, (round + 1) * perRound)
      for (const client of order) {
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
    const medians = perClient((c) => median(times[c]))
    const floor = medians["fetch floor"]
    const out = {
      calls: ids.length,
      medianMsPerCall: Object.fromEntries(clients.map((c) => [c, round(medians[c], 3)])),
      clientCpuMsPerCall: Object.fromEntries(clients.map((c) => [c, round(cpu[c] / ids.length, 3)])),
      ratioToFloor: Object.fromEntries(clients.map((c) => [c, ratio(medians[c], floor)])),
      goal: "effect-omise ≤ 1.3× floor and ≤ official"
    }
    log(`\n1. retrieve — ${ids.length} sequential Customer.retrieve (customer with one card)`)
    for (const c of clients) {
      log(
        `   ${c.padEnd(pad)} median ${medians[c].toFixed(3)} ms/call  (${ratio(medians[c], floor)}× floor, client CPU ${(cpu[c] / ids.length).toFixed(3)} ms/call)`
      )
    }
    return out
  })

// 2. stream all: every customer at page size 100.
const streamAll = () =>
  withFake(["--customers", String(n(50_000))], async (fake) => {
    const total = n(50_000)
    const runtimes = perTransport((t) => effectRuntime(fake.url, t))
    const official = officialClient(fake.port)
    const streamWith = (transport: Transport) =>
      runEffect(
        runtimes[transport],
        Stream.runFold(
          Customer.stream(),
          () => 0,
          (k) => k + 1
        )
      )
    const walk: Record<Client, () => Promise<number>> = {
      "effect-omise fetch": () => streamWith("fetch"),
      "effect-omise undici": () => streamWith("undici"),
      "fetch floor": async () => {
        let count = 0
        for (let offset = 0; ; offset += 100) {
          const page = (await rawGet(`${fake.url}/customers?limit=100&offset=${offset}`)) as {
            data: Array<unknown>
            total: number
          }
          count += page.data.length
          if (page.data.length === 0 || offset + 100 >= page.total) return count
        }
      },
      "official omise": async () => {
        let count = 0
        for (let offset = 0; ; offset += 100) {
          const page = await official.customers.list({ limit: 100, offset })
          count += page.data.length
          if (page.data.length === 0 || offset + 100 >= page.total) return count
        }
      }
    }
    for (const client of clients) await walk[client]() // warm-up
    const rounds = 3
    const wall = perClient((): Array<number> => [])
    const cpu = perClient((): Array<number> => [])
    for (let r = 0; r < rounds; r++) {
      for (const client of clients.map((_, i) => clients[(i + r) % clients.length]!)) {
        const { cpuMs, value, wallMs } = await measure(walk[client])
        if (value !== total) throw new Error(`${client} streamed ${value} of ${total}`)
        wall[client].push(wallMs)
        cpu[client].push(cpuMs)
      }
    }
    // Decode cost alone: one real page body, decoded in process.
    const body = await rawGet(`${fake.url}/customers?limit=100`)
    const decode = Schema.decodeUnknownResult(OmiseList.OmiseList(Customer.Customer))
    for (let i = 0; i < 50; i++) decode(body)
    const reps = 300
    const start = performance.now()
    for (let i = 0; i < reps; i++) if (Result.isFailure(decode(body))) throw new Error("decode failed")
    const decodeMicros = ((performance.now() - start) * 1000) / (reps * 100)
    for (const t of transports) await runtimes[t].dispose()
    const medians = perClient((c) => median(wall[c]))
    const floor = medians["fetch floor"]
    log(`\n2. stream all — ${total} customers at page size 100`)
    for (const c of clients) {
      log(
        `   ${c.padEnd(pad)} median ${medians[c].toFixed(0)} ms  (${ratio(medians[c], floor)}× floor, client CPU ${median(cpu[c]).toFixed(0)} ms)`
      )
    }
    log(`   Schema decode: ${decodeMicros.toFixed(1)} µs per customer (one card, page of 100)`)
    return {
      customers: total,
      medianMs: Object.fromEntries(clients.map((c) => [c, Math.round(medians[c])])),
      clientCpuMs: Object.fromEntries(clients.map((c) => [c, Math.round(median(cpu[c]))])),
      ratioToFloor: Object.fromEntries(clients.map((c) => [c, ratio(medians[c], floor)])),
      decodeMicrosPerCustomer: round(decodeMicros),
      goal: "effect-omise ≤ 1.5× floor"
    }
  })

// 3. memory: peak RSS streaming 100,000 vs 10,000 customers, each in its own process.
const memory = () =>
  withFake(["--customers", String(n(100_000))], async (fake) => {
    const peak = async (count: number, transport: Transport) => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ["--import", "tsx", "bench/memory.ts", fake.url, String(count), transport],
        { cwd: root }
      )
      return JSON.parse(stdout.trim().split("\n").pop()!) as { count: number; peakKiB: number }
    }
    const small = perTransport((): Array<number> => [])
    const large = perTransport((): Array<number> => [])
    for (let r = 0; r < 2; r++) {
      for (const t of transports) {
        small[t].push((await peak(n(10_000), t)).peakKiB)
        large[t].push((await peak(n(100_000), t)).peakKiB)
      }
    }
    log(`\n3. memory — peak RSS streaming ${n(100_000)} vs ${n(10_000)} customers`)
    const out = perTransport((t) => {
      const s = median(small[t]) / 1024
      const l = median(large[t]) / 1024
      log(
        `   ${t.padEnd(7)} ${n(10_000)}: ${s.toFixed(1)} MiB, ${n(100_000)}: ${l.toFixed(1)} MiB, ratio ${ratio(l, s)}`
      )
      return { peakMiB: { [n(10_000)]: round(s), [n(100_000)]: round(l) }, ratio: ratio(l, s) }
    })
    return { ...out, goal: "≤ 1.3× (flat)" }
  })

// 4. latency-bound: 20 ms per response; concurrency 8 vs 1.
const latencyBound = () =>
  withFake(["--customers", String(n(10_000)), "--latency", "20"], async (fake) => {
    const runtimes = perTransport((t) => effectRuntime(fake.url, t))
    const run = (transport: Transport, concurrency: number) =>
      measure(() =>
        runEffect(
          runtimes[transport],
          Stream.runFold(
            Customer.stream({ concurrency }),
            () => 0,
            (k) => k + 1
          )
        )
      )
    // Warm-up: both paths, the concurrent one four times. In three processes of fourteen runs in a
    // row at concurrency 8, the first took 790–935 ms, the next three 467–698 ms, the rest 423–592
    // ms: the JIT is still settling in the first runs, and a long-running service does not see them.
    for (const t of transports) {
      await run(t, 1)
      for (let w = 0; w < 4; w++) await run(t, 8)
    }
    const one = perTransport((): Array<number> => [])
    const eight = perTransport((): Array<number> => [])
    for (let r = 0; r < 5; r++) {
      for (const t of r % 2 === 0 ? transports : [...transports].reverse()) {
        one[t].push((await run(t, 1)).wallMs)
        eight[t].push((await run(t, 8)).wallMs)
      }
    }
    for (const t of transports) await runtimes[t].dispose()
    log(`\n4. latency-bound — ${n(10_000)} customers, 20 ms per response`)
    const out = perTransport((t) => {
      const a = median(one[t])
      const b = median(eight[t])
      log(
        `   ${t.padEnd(7)} concurrency 1: ${a.toFixed(0)} ms, concurrency 8: ${b.toFixed(0)} ms, speed-up ${ratio(a, b)}×`
      )
      return { medianMs: { concurrency1: Math.round(a), concurrency8: Math.round(b) }, speedup: ratio(a, b) }
    })
    return { customers: n(10_000), ...out, goal: "≥ 5×" }
  })

log(
  `effect-omise benchmarks on ${Os.cpus().length}× ${Os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}${scale === 1 ? "" : `, BENCH_SCALE=${scale}`}`
)
results.machine = {
  cpus: Os.cpus().length,
  model: Os.cpus()[0]?.model,
  node: process.version,
  memoryGiB: round(Os.totalmem() / 2 ** 30)
}
results.scale = scale
results.retrieve = await retrieve()
results.streamAll = await streamAll()
results.memory = await memory()
results.latencyBound = await latencyBound()
results.date = new Date().toISOString()
writeFileSync(new URL("./results.json", import.meta.url), JSON.stringify(results, null, 2) + "\n")
log("\nwritten to bench/results.json")
process.exit(0)
