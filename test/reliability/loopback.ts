/**
 * A real HTTP server on 127.0.0.1 for the reliability suites: each test says how it answers, and
 * it records every request it saw (method, path, headers) and how many body bytes it managed to
 * write before the client went away.
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

export interface Seen {
  readonly method: string
  readonly path: string
  readonly headers: IncomingMessage["headers"]
}

export interface Loopback {
  readonly url: string
  readonly seen: Array<Seen>
  /** Body bytes the handlers reported written, summed over every response. */
  readonly written: { bytes: number }
}

export type Handler = (request: IncomingMessage, response: ServerResponse, written: { bytes: number }) => void

/** Starts the server for the scope; it closes (dropping open connections) when the scope ends. */
export const serve = (handler: Handler): Effect.Effect<Loopback, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.callback<Loopback & { readonly close: () => Promise<void> }>((resume) => {
      const seen: Array<Seen> = []
      const written = { bytes: 0 }
      const server = createServer((request, response) => {
        seen.push({ method: request.method ?? "", path: request.url ?? "", headers: request.headers })
        request.resume()
        handler(request, response, written)
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(
          Effect.succeed({
            url: `http://127.0.0.1:${port}`,
            seen,
            written,
            close: () =>
              new Promise<void>((done) => {
                server.closeAllConnections()
                server.close(() => done())
              })
          })
        )
      })
    }),
    (server) => Effect.promise(() => server.close())
  )

/**
 * Writes `total` bytes of `chunk` repeated, respecting back-pressure, and stops as soon as the
 * client goes away. Nothing of that size is ever held in memory.
 */
export const writeRepeated = (
  response: ServerResponse,
  chunk: Uint8Array,
  total: number,
  written: { bytes: number }
): void => {
  let left = total
  const pump = (): void => {
    while (left > 0 && !response.destroyed) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left)
      left -= piece.length
      written.bytes += piece.length
      if (!response.write(piece)) {
        response.once("drain", pump)
        return
      }
    }
    if (!response.destroyed) response.end()
  }
  response.on("error", () => {})
  pump()
}
