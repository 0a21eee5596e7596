/**
 * Shared pieces of the benchmarks: the fake server in a child process (so the client's CPU is
 * measured apart from the server's), the clients under test, and statistics.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Undici from "@effect/platform-node/Undici"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import type * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { spawn, type ChildProcess } from "node:child_process"
import * as Http from "node:http"
import { createRequire } from "node:module"
import * as Net from "node:net"
import { fileURLToPath } from "node:url"
import { OmiseClient, Policy } from "effect-omise"

export const secretKey = "skey_test_benchmark0000000000"
export const authorization = `Basic ${Buffer.from(`${secretKey}:`).toString("base64")}`

export interface FakeProcess {
  readonly url: string
  readonly port: number
  readonly child: ChildProcess
  readonly stop: () => Promise<void>
}

const root = fileURLToPath(new URL("..", import.meta.url))

/** Starts `omise-fake` (from source, through tsx) in a child process and waits for its line. */
export const startFake = (args: ReadonlyArray<string>): Promise<FakeProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/testing/bin.ts", "--port", "0", ...args], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"]
    })
    let output = ""
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`omise-fake exited with ${code} before listening: ${output}`)))
    child.stdout!.setEncoding("utf8")
    child.stdout!.on("data", (chunk: string) => {
      output += chunk
      const match = /listening on (http:\/\/[^\s]+)/.exec(output)
      if (match) {
        child.removeAllListeners("exit")
        const url = match[1]!
        resolve({
          url,
          port: Number(new URL(url).port),
          child,
          stop: () =>
            new Promise((done) => {
              child.once("exit", () => done())
              child.kill("SIGTERM")
            })
        })
      }
    })
  })

/**
 * The `HttpClient` layers effect-omise is measured on: effect's own `fetch` client, which works on
 * every runtime, and the undici one from @effect/platform-node (Node 22 and later).
 */
export const transports = {
  fetch: FetchHttpClient.layer,
  undici: NodeHttpClient.layerUndici
} satisfies Record<string, Layer.Layer<HttpClient.HttpClient>>

export type Transport = keyof typeof transports

export const isTransport = (name: string): name is Transport => Object.hasOwn(transports, name)

/** The effect-omise client over `transport`, built once: what an application holds. */
export const effectRuntime = (url: string, transport: Transport) =>
  ManagedRuntime.make(
    OmiseClient.layer({ secretKey: Redacted.make(secretKey), apiUrl: url, retry: Policy.noRetry }).pipe(
      Layer.provide(transports[transport]),
      Layer.orDie
    )
  )

const headers = { authorization, "omise-version": "2019-05-29", accept: "application/json" }

/** The floor over `FetchHttpClient`: fetch + JSON.parse, no validation, no policies. */
export const rawGet = async (url: string): Promise<unknown> => {
  const response = await fetch(url, { headers })
  return JSON.parse(await response.text())
}

/**
 * The floor over `NodeHttpClient.layerUndici`: undici's `request` on an `Agent` of its own (as
 * that layer does) + JSON.parse, no validation, no policies.
 */
export const undiciFloor = () => {
  const agent = new Undici.Agent()
  return {
    get: async (url: string): Promise<unknown> => {
      const { origin, pathname, search } = new URL(url)
      const response = await agent.request({ origin, path: pathname + search, method: "GET", headers })
      return JSON.parse(await response.body.text())
    },
    close: () => agent.close()
  }
}

export interface OfficialClient {
  readonly customers: {
    readonly retrieve: (id: string) => Promise<unknown>
    readonly list: (request?: unknown) => Promise<{ data: Array<{ id: string }>; total: number }>
  }
}

type Factory = (options: Record<string, unknown>) => OfficialClient
const omise: unknown = createRequire(import.meta.url)("omise")

/**
 * The official `omise` client. It has no port option and dials `api.omise.co:80` (with
 * `scheme: "http"`) through Node's global agent, whose `createConnection` is pointed at the fake.
 */
export const officialClient = (port: number): OfficialClient => {
  Http.globalAgent.createConnection = () => Net.createConnection({ host: "127.0.0.1", port })
  if (typeof omise !== "function") throw new Error("the omise package did not export its factory")
  return (omise as Factory)({ secretKey, scheme: "http", omiseVersion: "2019-05-29" })
}

export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** CPU time (user + system) of this process spent in `f`, and its wall time, in milliseconds. */
export const measure = async <A>(f: () => Promise<A>): Promise<{ value: A; wallMs: number; cpuMs: number }> => {
  const cpu = process.cpuUsage()
  const start = performance.now()
  const value = await f()
  const wallMs = performance.now() - start
  const used = process.cpuUsage(cpu)
  return { value, wallMs, cpuMs: (used.user + used.system) / 1000 }
}

export const runEffect = <A, E>(
  runtime: ManagedRuntime.ManagedRuntime<OmiseClient.OmiseClient, never>,
  effect: Effect.Effect<A, E, OmiseClient.OmiseClient>
) => runtime.runPromise(effect)
