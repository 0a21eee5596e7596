/**
 * The packed tarball works in a consumer project: `npm pack`, install it beside only `effect`
 * (the one peer dependency) as the README says, check npm resolved it cleanly (no ERESOLVE, `npm
 * ls` valid), type-check a consumer's code against the shipped .d.ts (exact types), and run it on
 * Node 22 in memory and against the `omise-fake` bin. Once more into an existing effect 4 app, and
 * through `require`, which the `default` export condition allows on Node 22.12+. The tarball
 * carries the LICENSE; the consumer folders (tens of MB) are removed afterwards.
 */
import { assert, describe, it } from "@effect/vitest"
import { type ChildProcess, execFile, spawn } from "node:child_process"
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from "node:fs"
import { tmpdir } from "node:os"
import { delimiter, dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"

const root = fileURLToPath(new URL("..", import.meta.url))
const npm = process.platform === "win32" ? "npm.cmd" : "npm"
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"))
// Every child, and every `#!/usr/bin/env node` it starts, runs on the Node that runs the tests.
const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}` }
const exec = (file: string, args: ReadonlyArray<string>, cwd: string) =>
  promisify(execFile)(file, args, { cwd, env, maxBuffer: 1 << 24 })

/** `npm install` that must not have overridden any peer dependency. */
const install = async (cwd: string, specs: ReadonlyArray<string>) => {
  const { stderr, stdout } = await exec(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline", ...specs], cwd)
  assert.notMatch(stdout + stderr, /ERESOLVE|overriding peer dependency/)
}

/** `npm ls --all` exits 0 (nothing missing, invalid or extraneous) and lists the package once. */
const listClean = async (cwd: string) => {
  const { stdout } = await exec(npm, ["ls", "--all", "--json"], cwd)
  const tree = JSON.parse(stdout) as { problems?: Array<string>; dependencies: Record<string, { version: string }> }
  assert.isUndefined(tree.problems)
  assert.strictEqual(tree.dependencies["effect-omise"]?.version, pkg.version)
}

const project = (dir: string) => {
  mkdirSync(dir)
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }))
  return dir
}

const startFake = (bin: string, cwd: string) =>
  new Promise<{ url: string; child: ChildProcess }>((resolve, reject) => {
    const child = spawn(bin, ["--port", "0", "--customers", "10"], { cwd, env, stdio: ["ignore", "pipe", "ignore"] })
    let out = ""
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`omise-fake exited with ${code}: ${out}`)))
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out)
      if (match) resolve({ url: match[1]!, child })
    })
  })

describe("the packed package", () => {
  it(
    "installs cleanly beside effect, type-checks, and runs in memory and against omise-fake",
    { timeout: 240_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "effect-omise-consumer-"))
      let fake: ChildProcess | undefined
      try {
        await exec(npm, ["pack", "--pack-destination", dir, "--silent"], root)
        const tarball = join(
          dir,
          readdirSync(dir).find((name) => name.endsWith(".tgz"))!
        )
        // The package.json says MIT: the licence text ships with it.
        const { stdout: packed } = await exec("tar", ["-tzf", tarball], dir)
        const files = packed.split("\n")
        assert.include(files, "package/LICENSE")
        assert.include(files, "package/README.md")
        assert.include(readFileSync(join(root, "LICENSE"), "utf8"), "MIT License")

        // A new project: the README's install line, with the tarball for the published name.
        const app = project(join(dir, "app"))
        await install(app, [tarball, `effect@${pkg.peerDependencies.effect}`])
        const installed = readdirSync(join(app, "node_modules")).filter((name) => !name.startsWith("."))
        // Nothing but the package and its one peer: no @effect/platform, no runtime dependencies.
        assert.sameMembers(installed, ["effect", "effect-omise"])
        await listClean(app)

        copyFileSync(join(root, "test/package/consumer.ts.txt"), join(app, "consumer.ts"))
        writeFileSync(
          join(app, "tsconfig.json"),
          JSON.stringify({
            compilerOptions: {
              target: "ES2022",
              module: "NodeNext",
              moduleResolution: "NodeNext",
              strict: true,
              exactOptionalPropertyTypes: true,
              skipLibCheck: false,
              outDir: "out",
              lib: ["ES2022", "DOM"],
              types: ["node"],
              typeRoots: [join(root, "node_modules/@types")]
            },
            include: ["consumer.ts"]
          })
        )
        await exec(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", app], app)

        const started = await startFake(join(app, "node_modules/.bin/omise-fake"), app)
        fake = started.child
        const { stdout } = await exec(process.execPath, [join(app, "out/consumer.js"), started.url], app)
        const [inMemory, overHttp] = stdout.trim().split("\n")
        assert.match(inMemory!, /^cust_test_\w+ Visa$/)
        assert.strictEqual(overHttp, "total 10, page 5, streamed 10, OmiseNotFoundError 404")

        // CommonJS callers: `require` of the ESM build through the `default` condition.
        const required = await exec(
          process.execPath,
          [
            "-e",
            `const o = require("effect-omise"), t = require("effect-omise/testing"); console.log(typeof o.Customer.retrieve, typeof t.OmiseFake.layer)`
          ],
          app
        )
        assert.strictEqual(required.stdout.trim(), "function function")

        // An existing effect 4 app adding the package.
        const existing = project(join(dir, "existing"))
        await install(existing, [`effect@${pkg.peerDependencies.effect}`])
        await install(existing, [tarball])
        await listClean(existing)
      } finally {
        fake?.kill("SIGTERM")
        rmSync(dir, { recursive: true, force: true })
      }
      // The consumer folders (two installs, tens of MB) are not left behind in the temp dir.
      assert.isFalse(existsSync(dir))
    }
  )
})
