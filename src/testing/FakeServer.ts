/**
 * The fake Omise over real HTTP, on `node:http` only: API paths and the vault
 * path (`/tokens`) on one port, for clients that cannot take an in-memory
 * transport (the official `omise` package, `FetchHttpClient`, curl).
 *
 * Faults behave as a real network would show them: "no response" leaves the
 * socket open without an answer; "dropped after processing" destroys the
 * socket once the request took effect. Malformed HTTP gets a 400 with an
 * Omise error body and the server keeps serving.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import type * as Net from "node:net"
import * as FakeHttp from "./FakeHttp.js"
import * as Failure from "./internal/failure.js"
import * as OmiseFake from "./OmiseFake.js"

/**
 * Where to listen. Port 0 (the default) picks a free port.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListenOptions {
  /** Default `127.0.0.1`. */
  readonly host?: string | undefined
  /** Default 0: any free port. */
  readonly port?: number | undefined
  /** Larger request bodies get a 413. Default 1 MiB. */
  readonly maxBodyBytes?: number | undefined
}

/**
 * Options for {@link start}: the fake's and the listener's.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends OmiseFake.FakeOptions, ListenOptions {}

/**
 * A listening server.
 *
 * @since 0.1.0
 * @category models
 */
export interface RunningServer {
  /** `http://HOST:PORT`, no trailing slash. */
  readonly url: string
  readonly host: string
  readonly port: number
  /** The fake behind the server, to seed, inject faults and read requests. */
  readonly fake: OmiseFake.Service
}

/**
 * The server could not listen (port in use, bad host).
 *
 * @since 0.1.0
 * @category errors
 */
export class FakeServerError extends Data.TaggedError("FakeServerError")<{
  readonly message: string
  readonly cause: unknown
}> {}

interface Incoming {
  readonly request: Http.IncomingMessage
  readonly response: Http.ServerResponse
  readonly body: Uint8Array | undefined
  readonly tooLarge: boolean
}

const errorJson = (status: number, code: string, message: string): string =>
  JSON.stringify(Failure.body(new Failure.ApiFailure({ status, code, message })))

/** Origin-form path and query; absolute-form (`http://host/path`) as proxies send it is accepted too. */
const splitTarget = (target: string): { readonly path: string; readonly query: string } => {
  const originForm = target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, "")
  const hash = originForm.indexOf("#")
  const bare = hash < 0 ? originForm : originForm.slice(0, hash)
  const question = bare.indexOf("?")
  return question < 0
    ? { path: bare === "" ? "/" : bare, query: "" }
    : { path: bare.slice(0, question) || "/", query: bare.slice(question + 1) }
}

const headersOf = (request: Http.IncomingMessage): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value
  }
  return out
}

const writable = (response: Http.ServerResponse): boolean => !response.destroyed && !response.writableEnded

const send = (response: Http.ServerResponse, status: number, headers: Readonly<Record<string, string>>, body: string) =>
  Effect.try(() => {
    if (!writable(response)) return
    response.writeHead(status, { ...headers, "content-length": String(Buffer.byteLength(body)) })
    response.end(body)
  }).pipe(
    // An unusable status or header from a custom fault: the client sees a reset, the server lives on.
    Effect.catch(() => Effect.sync(() => response.destroy()))
  )

const answer = (fake: OmiseFake.Service, incoming: Incoming): Effect.Effect<void> => {
  const { request, response } = incoming
  if (incoming.tooLarge) {
    return send(
      response,
      413,
      { "content-type": "application/json; charset=utf-8", "x-request-id": crypto.randomUUID() },
      errorJson(413, "bad_request", "request body is too large")
    )
  }
  const { path, query } = splitTarget(request.url ?? "/")
  return fake
    .handle(
      FakeHttp.makeRequest({
        method: request.method ?? "GET",
        path,
        query,
        headers: headersOf(request),
        body: incoming.body
      })
    )
    .pipe(
      Effect.matchEffect({
        onFailure: () => Effect.sync(() => request.socket.destroy()),
        onSuccess: (reply) => send(response, reply.status, reply.headers, reply.body)
      }),
      // Shutting down while a request waits (latency, "no response"): cut it off.
      Effect.onInterrupt(() => Effect.sync(() => request.socket.destroy()))
    )
}

const listen = (server: Http.Server, host: string, port: number) =>
  Effect.callback<Net.AddressInfo, FakeServerError>((resume) => {
    const onError = (cause: unknown) =>
      resume(Effect.fail(new FakeServerError({ message: `cannot listen on ${host}:${port}: ${String(cause)}`, cause })))
    server.once("error", onError)
    server.listen(port, host, () => {
      server.off("error", onError)
      const address = server.address()
      if (address === null || typeof address === "string") {
        resume(Effect.fail(new FakeServerError({ message: "the server has no TCP address", cause: address })))
      } else {
        resume(Effect.succeed(address))
      }
    })
  })

const close = (server: Http.Server) =>
  Effect.callback<void>((resume) => {
    server.close(() => resume(Effect.void))
    server.closeAllConnections()
  })

/**
 * Serves an existing fake over HTTP until the scope closes. Closing the scope
 * stops listening, cuts off requests still waiting and closes every connection.
 *
 * @since 0.1.0
 * @category constructors
 */
export const serve = (
  fake: OmiseFake.Service,
  options: ListenOptions = {}
): Effect.Effect<RunningServer, FakeServerError, Scope.Scope> =>
  Effect.gen(function* () {
    const host = options.host ?? "127.0.0.1"
    const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024
    const queue = yield* Effect.acquireRelease(Queue.unbounded<Incoming>(), Queue.shutdown)
    const server = Http.createServer({ keepAliveTimeout: 5_000 }, (request, response) => {
      const chunks: Array<Buffer> = []
      let size = 0
      request.on("data", (chunk: Buffer) => {
        size += chunk.length
        if (size <= maxBodyBytes) chunks.push(chunk)
      })
      request.on("end", () => {
        const body = size === 0 ? undefined : new Uint8Array(Buffer.concat(chunks))
        Queue.offerUnsafe(queue, { request, response, body, tooLarge: size > maxBodyBytes })
      })
      request.on("error", () => request.socket.destroy())
    })
    // Garbage that is not HTTP at all still gets an Omise error body.
    server.on("clientError", (_error, socket: Net.Socket) => {
      if (!socket.writable) {
        socket.destroy()
        return
      }
      const body = errorJson(400, "bad_request", "malformed HTTP request")
      socket.end(
        "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\n" +
          `X-Request-Id: ${crypto.randomUUID()}\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
      )
    })
    const address = yield* Effect.acquireRelease(listen(server, host, options.port ?? 0), () => close(server))
    const inFlight = yield* FiberSet.make<void>()
    yield* Queue.take(queue).pipe(
      Effect.flatMap((incoming) => FiberSet.run(inFlight, answer(fake, incoming))),
      Effect.forever,
      Effect.forkScoped
    )
    const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address
    return { url: `http://${shownHost}:${address.port}`, host: address.address, port: address.port, fake }
  })

/**
 * Builds a fresh fake and serves it until the scope closes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = (options: Options = {}): Effect.Effect<RunningServer, FakeServerError, Scope.Scope> =>
  Effect.flatMap(OmiseFake.make(options), (fake) => serve(fake, options))
