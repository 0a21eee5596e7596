import * as Effect from "effect/Effect"
import * as FakeHttp from "../../src/testing/FakeHttp.js"
import type * as OmiseFake from "../../src/testing/OmiseFake.js"

export const secretKey = "skey_test_5fakekey00000000000"
export const publicKey = "pkey_test_5fakekey00000000000"

export interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
  readonly json: unknown
}

export interface CallOptions {
  readonly query?: string | undefined
  readonly json?: unknown
  readonly form?: string | undefined
  readonly body?: string | undefined
  readonly contentType?: string | undefined
  readonly key?: string | null | undefined
  readonly version?: string | undefined
  readonly headers?: Record<string, string> | undefined
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** `get(json, "cards", "data", 0, "id")`: a value deep in a JSON body, `undefined` when absent. */
export const get = (value: unknown, ...path: ReadonlyArray<string | number>): unknown => {
  let node = value
  for (const segment of path) {
    if (typeof node !== "object" || node === null) return undefined
    node = (node as Record<string | number, unknown>)[segment]
  }
  return node
}

/** An array deep in a JSON body, `[]` when absent. */
export const list = (value: unknown, ...path: ReadonlyArray<string | number>): ReadonlyArray<unknown> => {
  const node = get(value, ...path)
  return Array.isArray(node) ? node : []
}

/** The ids of the objects in a list body's `data`. */
export const ids = (value: unknown, ...path: ReadonlyArray<string | number>): ReadonlyArray<unknown> =>
  list(value, ...path, "data").map((item) => get(item, "id"))

/** One request straight to the handler, as a client would send it. */
export const call = (
  fake: OmiseFake.Service,
  method: string,
  path: string,
  options: CallOptions = {}
): Effect.Effect<Reply, FakeHttp.FakeConnectionDropped> => {
  const headers: Record<string, string> = { ...options.headers }
  const key = options.key === undefined ? (path.startsWith("/tokens") ? publicKey : secretKey) : options.key
  if (key !== null) headers["authorization"] = FakeHttp.basicAuth(key)
  if (options.version !== undefined) headers["omise-version"] = options.version
  let body: string | undefined
  if (options.json !== undefined) {
    body = JSON.stringify(options.json)
    headers["content-type"] = "application/json"
  } else if (options.form !== undefined) {
    body = options.form
    headers["content-type"] = "application/x-www-form-urlencoded"
  } else if (options.body !== undefined) {
    body = options.body
  }
  if (options.contentType !== undefined) headers["content-type"] = options.contentType
  return Effect.map(
    fake.handle(FakeHttp.makeRequest({ method, path, query: options.query, headers, body })),
    (response) => ({
      status: response.status,
      headers: response.headers,
      text: response.body,
      json: parse(response.body)
    })
  )
}

/** Mints a token over the vault path and returns its id. */
export const token = (fake: OmiseFake.Service, card: Record<string, unknown> = {}) =>
  Effect.map(
    call(fake, "POST", "/tokens", {
      json: {
        card: {
          number: "4242424242424242",
          name: "Somchai Prasert",
          expiration_month: 12,
          expiration_year: 2099,
          security_code: "123",
          ...card
        }
      }
    }),
    (reply) => String(get(reply.json, "id"))
  )
