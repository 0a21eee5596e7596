/**
 * The example programs run against the in-memory fake (no OMISE_SECRET_KEY) and succeed, so the
 * README's `npm run example` and the other examples cannot rot.
 */
import { assert, describe, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"

const root = fileURLToPath(new URL("..", import.meta.url))
const { OMISE_SECRET_KEY: _secret, OMISE_PUBLIC_KEY: _public, ...env } = process.env

const run = (file: string, ...args: Array<string>) =>
  promisify(execFile)(process.execPath, ["--import", "tsx", file, ...args], { cwd: root, env, timeout: 60_000 })

describe("examples run against the in-memory fake", () => {
  it("quickstart.ts (npm run example)", async () => {
    const { stdout } = await run("examples/quickstart.ts")
    assert.match(stdout, /^effect-omise quick start: against the in-memory fake Omise/)
    for (const step of [
      "created cust_test_",
      "retrieved cust_test_",
      "updated description",
      "card card_test_",
      "deleted cust_test_"
    ]) {
      assert.include(stdout, step)
    }
  })

  it("export-customers.ts writes every customer as JSON Lines", async () => {
    const dir = mkdtempSync(join(tmpdir(), "omise-export-"))
    try {
      const out = join(dir, "customers.jsonl")
      const { stderr } = await run("examples/export-customers.ts", "--out", out)
      const lines = readFileSync(out, "utf8").trim().split("\n")
      assert.strictEqual(lines.length, 5_000)
      assert.strictEqual(new Set(lines.map((line) => JSON.parse(line).id)).size, 5_000)
      assert.include(stderr, "exported 5000 customers")
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("search.ts finds customers by text and creation range", async () => {
    const { stdout } = await run("examples/search.ts", "shop", "--created", "2024-02-01..2024-03-31")
    // effect 4's default logger prints the message as is (3.x escaped its quotes in logfmt).
    assert.include(stdout, '"shop": 30 customers in 6 pages of 5')
    assert.include(stdout, "created 2024-02-01..2024-03-31: 10 customers")
  })

  it("opentelemetry.ts exports the operation and HTTP spans and the metrics", async () => {
    const { stdout } = await run("examples/opentelemetry.ts")
    assert.include(stdout, "name: 'Customer.create'")
    // effect 4 names the HTTP client span after the method (3.x: "http.client POST"); it nests
    // under the operation's span.
    const http = /spanId: '(\w+)',[^}]*\},\s*traceState: undefined,\s*name: 'POST',\s*id: '\w+',\s*kind: 2,/.exec(
      stdout
    )
    assert.isNotNull(http, "an HTTP client span named POST")
    assert.match(stdout, new RegExp(`name: 'Customer.create',\\s*id: '${http![1]}'`))
    assert.include(stdout, "omise.retry")
    assert.include(stdout, "omise_requests_total")
  })

  it("policies.ts shows retries, a deadline and a write that is not replayed", async () => {
    const { stdout } = await run("examples/policies.ts")
    assert.include(stdout, "despite three 503s")
    assert.include(stdout, "gave up: OmiseTimeoutError")
    assert.include(stdout, "not replayed, may have taken effect")
    assert.include(stdout, "streamed 60 customers")
  })
})
