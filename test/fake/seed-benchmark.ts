/**
 * How long `omise-fake --customers 100000` takes to seed and start listening,
 * and how fast 100,000 customers page through the handler at 100 per page.
 * A measurement, not a test: `npx tsx test/fake/seed-benchmark.ts [count]`.
 */
import * as Effect from "effect/Effect"
import * as ChildProcess from "node:child_process"
import * as FakeHttp from "../../src/testing/FakeHttp.js"
import * as OmiseFake from "../../src/testing/OmiseFake.js"

const count = Number(process.argv[2] ?? 100_000)

const inProcess = Effect.gen(function* () {
  const started = performance.now()
  const fake = yield* OmiseFake.make({ customers: count })
  const seeded = (performance.now() - started) / 1000
  const authorization = FakeHttp.basicAuth("skey_test_benchmark")
  const pagingStarted = performance.now()
  let seen = 0
  let to = ""
  for (let offset = 0; offset < count; offset += 100) {
    const query = `offset=${offset}&limit=100${to === "" ? "" : `&to=${to}`}`
    const reply = yield* fake.handle(
      FakeHttp.makeRequest({ method: "GET", path: "/customers", query, headers: { authorization } })
    )
    const page = JSON.parse(reply.body) as { readonly data: ReadonlyArray<unknown>; readonly to: string }
    seen += page.data.length
    to = page.to
  }
  const paged = (performance.now() - pagingStarted) / 1000
  return { seeded, paged, seen }
})

const viaBin = () =>
  new Promise<number>((resolve, reject) => {
    const started = performance.now()
    const child = ChildProcess.spawn(
      process.execPath,
      ["--import", "tsx", "src/testing/bin.ts", "--port", "0", "--customers", String(count)],
      { stdio: ["ignore", "pipe", "inherit"] }
    )
    child.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString("utf8").startsWith("listening on ")) {
        resolve((performance.now() - started) / 1000)
        child.kill("SIGTERM")
      }
    })
    child.on("error", reject)
  })

// A benchmark script is a program entry point.
Effect.runPromise(inProcess).then(async ({ paged, seeded, seen }) => {
  console.log(`in process: seeded ${count} customers (one card each) in ${seeded.toFixed(2)} s`)
  console.log(`in process: paged ${seen} customers at 100 per page through the handler in ${paged.toFixed(2)} s`)
  const toListening = await viaBin()
  console.log(
    `omise-fake --customers ${count}: "listening on" after ${toListening.toFixed(2)} s (process start included)`
  )
})
