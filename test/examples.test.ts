/**
 * The example programs run against the in-memory fake (no OMISE_SECRET_KEY) and succeed, so the
 * README's `npm run example` and the other examples cannot rot; they say where they send requests;
 * the export resumes without writing anyone twice; and running them leaves the repository as it was.
 */
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { type ChildProcess, execFile, spawn } from "node:child_process"
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"

const root = fileURLToPath(new URL("..", import.meta.url))
const { OMISE_SECRET_KEY: _secret, OMISE_PUBLIC_KEY: _public, OMISE_API_URL: _url, ...env } = process.env

const run = (file: string, args: ReadonlyArray<string> = [], extraEnv: Record<string, string> = {}) =>
  promisify(execFile)(process.execPath, ["--import", "tsx", file, ...args], {
    cwd: root,
    env: { ...env, ...extraEnv },
    timeout: 60_000
  })

/** `omise-fake` over HTTP on 127.0.0.1, from the source of its bin. */
const startFake = (...args: Array<string>) =>
  new Promise<{ url: string; child: ChildProcess }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/testing/bin.ts", "--port", "0", ...args], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "ignore"]
    })
    let out = ""
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`omise-fake exited with ${code}: ${out}`)))
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out)
      if (match) resolve({ url: match[1]!, child })
    })
  })

const lines = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
const ids = (file: string) => lines(file).map((line) => JSON.parse(line).id as string)

// Paths git reports as changed or new, except sources and docs: the suite may run while someone
// edits the tree, but an example writes data (a JSON Lines export, results), never a .ts or .md.
const gitStatus = async () => {
  const { stdout } = await promisify(execFile)("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: root })
  return stdout
    .split("\n")
    .filter((line) => line !== "" && !/\.(ts|md)$/.test(line))
    .sort()
}
let statusBefore: Array<string> = []
// Every example run by this file writes its temp files here (TMPDIR), removed at the end.
const temp = mkdtempSync(join(tmpdir(), "effect-omise-examples-"))
beforeAll(async () => {
  statusBefore = await gitStatus()
})
afterAll(() => rmSync(temp, { recursive: true, force: true }))

describe("examples run against the in-memory fake", () => {
  it("quickstart.ts (npm run example)", async () => {
    const { stdout } = await run("examples/quickstart.ts", [], { TMPDIR: temp })
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

  it("export-customers.ts writes every customer as JSON Lines, to the temp dir by default, logging progress in lines", async () => {
    const { stderr } = await run("examples/export-customers.ts", [], { TMPDIR: temp })
    const out = join(temp, "effect-omise-customers.jsonl")
    assert.strictEqual(lines(out).length, 5_000)
    assert.strictEqual(new Set(ids(out)).size, 5_000)
    assert.include(stderr, `exported 5000 customers to ${out}`)
    // stderr is a pipe here, not a terminal: one line per 1000 customers, no carriage returns.
    assert.notInclude(stderr, "\r")
    const progress = stderr.split("\n").filter((line) => /^\d+\/5000 customers, \d+\/s, up to /.test(line))
    assert.deepStrictEqual(
      progress.map((line) => line.split(" ")[0]),
      ["1000/5000", "2000/5000", "3000/5000", "4000/5000", "5000/5000"]
    )
  })

  it("export-customers.ts --resume after an interruption writes every customer once", { timeout: 60_000 }, async () => {
    // 3,000 customers created within the same few seconds (so the resume second is shared), each
    // page 50 ms late, so that the export can be killed half-way.
    const { child: fake, url } = await startFake("--customers", "3000", "--latency", "50")
    const out = join(temp, "resumed.jsonl")
    const liveEnv = { ...env, OMISE_SECRET_KEY: "skey_test_resume", OMISE_API_URL: url, TMPDIR: temp }
    const args = [
      "--import",
      "tsx",
      "examples/export-customers.ts",
      "--out",
      out,
      "--concurrency",
      "1",
      "--every",
      "100"
    ]
    try {
      // The first run is killed (SIGKILL: no finalizers, as in a crash) once 1000 lines are in.
      const first = spawn(process.execPath, args, { cwd: root, env: liveEnv, stdio: ["ignore", "ignore", "pipe"] })
      let firstErr = ""
      first.stderr!.setEncoding("utf8").on("data", (chunk: string) => (firstErr += chunk))
      const exited = new Promise((resolve) => first.once("exit", resolve))
      while (!existsSync(out) || lines(out).length < 1000) {
        assert.isNull(first.exitCode, `the export ended before it could be interrupted: ${firstErr}`)
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      first.kill("SIGKILL")
      await exited
      assert.match(firstErr, new RegExp(`^export-customers: against ${url} \\(OMISE_SECRET_KEY is set\\)`))
      const interrupted = lines(out).length
      assert.isBelow(interrupted, 3_000)
      // And as if the crash had cut a line in half.
      appendFileSync(out, '{"object":"customer","id":"cust_te')

      const { stderr } = await run("examples/export-customers.ts", ["--out", out, "--resume", "--concurrency", "4"], {
        OMISE_SECRET_KEY: "skey_test_resume",
        OMISE_API_URL: url,
        TMPDIR: temp
      })
      const written = ids(out)
      assert.strictEqual(written.length, 3_000)
      assert.strictEqual(new Set(written).size, 3_000)
      assert.include(stderr, `exported ${3_000 - interrupted} customers to ${out} (after ${interrupted} already there)`)
      assert.notInclude(stderr, "\r")
      // In creation order, as a fresh export writes them.
      const created = lines(out).map((line) => JSON.parse(line).created_at as string)
      assert.deepStrictEqual(created, [...created].sort())
    } finally {
      fake.kill("SIGTERM")
    }
  })

  it("search.ts finds customers by text and creation range", async () => {
    const { stdout } = await run("examples/search.ts", ["shop", "--created", "2024-02-01..2024-03-31"], {
      TMPDIR: temp
    })
    // effect 4's default logger prints the message as is (3.x escaped its quotes in logfmt).
    assert.include(stdout, '"shop": 30 customers in 6 pages of 5')
    assert.include(stdout, "created 2024-02-01..2024-03-31: 10 customers")
  })

  it("opentelemetry.ts exports the operation and HTTP spans and the metrics", async () => {
    const { stdout } = await run("examples/opentelemetry.ts", [], { TMPDIR: temp })
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
    const { stderr, stdout } = await run("examples/policies.ts", [], { TMPDIR: temp })
    assert.match(stderr, /^policies: against the in-memory fake Omise/)
    // In memory, nothing goes to api.omise.co, and no line says it does.
    assert.notInclude(stdout + stderr, "api.omise.co")
    assert.include(stdout, "despite three 503s")
    assert.include(stdout, "gave up: OmiseTimeoutError")
    assert.include(stdout, "not replayed, may have taken effect")
    assert.include(stdout, "streamed 60 customers")
  })

  it("quickstart.ts says it runs against the URL in use, not the real Omise API", async () => {
    const { child: fake, url } = await startFake()
    try {
      const { stdout } = await run("examples/quickstart.ts", [], {
        OMISE_SECRET_KEY: "skey_test_quickstart",
        OMISE_PUBLIC_KEY: "pkey_test_quickstart",
        OMISE_API_URL: url,
        OMISE_VAULT_URL: url,
        TMPDIR: temp
      })
      assert.strictEqual(stdout.split("\n")[0], `effect-omise quick start: against ${url} (OMISE_SECRET_KEY is set)`)
      assert.notInclude(stdout, "real Omise")
      assert.include(stdout, "created cust_test_")
      assert.include(stdout, "card card_test_")
      assert.include(stdout, "deleted cust_test_")
    } finally {
      fake.kill("SIGTERM")
    }
  })

  it("the README lists every example, with what it shows and the command that runs it", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8")
    const section = readme.slice(
      readme.indexOf("\n## Examples\n"),
      readme.indexOf("\n## ", readme.indexOf("\n## Examples\n") + 1)
    )
    assert.isAbove(section.length, 100, "a section named Examples")
    const rows = new Map(
      [...section.matchAll(/^\| \[`examples\/([^`]+)`\]\([^)]+\) \| (.+) \| `(.+)` \|$/gm)].map((row) => [row[1]!, row])
    )
    for (const file of readdirSync(join(root, "examples")).filter(
      (name) => name.endsWith(".ts") && name !== "support.ts"
    )) {
      const row = rows.get(file)
      assert.isDefined(row, `README: a row for examples/${file}`)
      assert.isAbove(row![2]!.trim().length, 20, `README: what examples/${file} shows`)
      const command = row![3]!
      if (file === "quickstart.ts") assert.strictEqual(command, "npm run example")
      else if (file.endsWith(".test.ts")) assert.strictEqual(command, `npx vitest run examples/${file}`)
      else assert.match(command, new RegExp(`^npx tsx examples/${file.replace(".", "\\.")}( |$)`))
    }
  })

  // Last in the file: every example above has run by now.
  it("running the examples leaves git status as it was", async () => {
    assert.deepStrictEqual(await gitStatus(), statusBefore)
  })
})
