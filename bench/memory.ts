/**
 * Child process of the memory benchmark: streams COUNT customers from the fake at URL through
 * effect-omise and prints its peak RSS (KiB) as JSON. One process per measurement, so each peak
 * belongs to one stream only.
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { Customer } from "effect-omise"
import { effectRuntime } from "./harness.js"

const [url, countText] = process.argv.slice(2)
const count = Number(countText)
const runtime = effectRuntime(url!)
const baseline = process.resourceUsage().maxRSS
const seen = await runtime.runPromise(
  Customer.stream().pipe(
    Stream.take(count),
    Stream.runFold(0, (n) => n + 1)
  )
)
await runtime.dispose()
console.log(JSON.stringify({ count: seen, baselineKiB: baseline, peakKiB: process.resourceUsage().maxRSS }))
void Effect.void
