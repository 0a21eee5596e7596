/**
 * The packed tarball works in a consumer project: `npm pack`, install it beside only the two peer
 * dependencies, type-check a consumer's code against the shipped .d.ts (exact types), run it
 * over the fake from "effect-omise/testing", and start the `omise-fake` bin.
 */
import { assert, describe, it } from "@effect/vitest"
import { execFile, spawn } from "node:child_process"
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"

const root = fileURLToPath(new URL("..", import.meta.url))
const exec = promisify(execFile)
const npm = process.platform === "win32" ? "npm.cmd" : "npm"

describe("the packed package", () => {
  it("installs, type-checks, runs, and serves omise-fake", { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "effect-omise-consumer-"))
    await exec(npm, ["pack", "--pack-destination", dir, "--silent"], { cwd: root, maxBuffer: 1 << 24 })
    const tarball = readdirSync(dir).find((name) => name.endsWith(".tgz"))!
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"))
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }))
    await exec(
      npm,
      [
        "install",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        join(dir, tarball),
        `effect@${pkg.devDependencies.effect}`,
        `@effect/platform@${pkg.devDependencies["@effect/platform"]}`
      ],
      { cwd: dir, maxBuffer: 1 << 24 }
    )
    const installed = readdirSync(join(dir, "node_modules")).filter((name) => !name.startsWith("."))
    assert.includeMembers(installed, ["effect", "@effect", "effect-omise"])

    copyFileSync(join(root, "test/package/consumer.ts.txt"), join(dir, "consumer.ts"))
    writeFileSync(
      join(dir, "tsconfig.json"),
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
    await exec(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", dir], { cwd: dir })
    const { stdout } = await exec(process.execPath, [join(dir, "out/consumer.js")], { cwd: dir })
    assert.match(stdout.trim(), /^cust_test_\w+ Visa$/)

    const bin = spawn(join(dir, "node_modules/.bin/omise-fake"), ["--port", "0", "--customers", "10"], { cwd: dir })
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = ""
        bin.stdout.setEncoding("utf8").on("data", (chunk: string) => {
          out += chunk
          if (out.includes("\n")) resolve(out.split("\n")[0]!)
        })
        bin.once("exit", (code) => reject(new Error(`omise-fake exited with ${code}`)))
      })
      assert.match(line, /^listening on http:\/\/127\.0\.0\.1:\d+$/)
      const response = await fetch(`${line.slice("listening on ".length)}/customers?limit=5`, {
        headers: { authorization: `Basic ${Buffer.from("skey_test_consumer:").toString("base64")}` }
      })
      const body = (await response.json()) as { total: number; data: Array<unknown> }
      assert.strictEqual(body.total, 10)
      assert.strictEqual(body.data.length, 5)
    } finally {
      bin.kill("SIGTERM")
    }
  })
})
