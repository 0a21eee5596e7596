/**
 * Child process of the memory benchmark: streams COUNT customers from the fake at URL through
 * effect-omise over TRANSPORT (fetch or undici) and prints its peak RSS (KiB) as JSON. One process
 * per measurement, so each peak belongs to one stream only.
 *
 *   tsx bench/memory.ts URL COUNT [TRANSPORT]
 */
import * as Stream from "effect/Stream"
import { Customer } from "effect-omise"
import { effectRuntime, isTransport } from "./harness.js"

const [url, countText, transport = "fetch"] = process.argv.slice(2)
if (url === undefined || !isTransport(transport)) {
  console.error("usage: tsx bench/memory.ts URL COUNT [fetch|undici]")
  process.exit(2)
}
const count = Number(countText)
const runtime = effectRuntime(url, transport)
const baseline = process.resourceUsage().maxRSS
const seen = await runtime.runPromise(
  Customer.stream().pipe(
    Stream.take(count),
    Stream.runFold(
      () => 0,
      (n) => n + 1
    )
  )
)
await runtime.dispose()
console.log(JSON.stringify({ count: seen, baselineKiB: baseline, peakKiB: process.resourceUsage().maxRSS }))
