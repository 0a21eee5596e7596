/**
 * Reading a response body with a bound on its size. A hostile or broken server can answer with
 * hundreds of megabytes, or a small gzip that inflates to them: the body is read chunk by chunk,
 * counting the bytes as the HTTP layer hands them over (decompressed, when it decompresses), and
 * reading stops, the connection with it, as soon as the bound is passed.
 *
 * @since 0.2.0
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Stream from "effect/Stream"

/**
 * A body as read: its text (when it was larger than the bound, only its first few kilobytes, to
 * be quoted) and whether it was read whole.
 *
 * @since 0.2.0
 * @internal
 */
export interface Body {
  readonly text: string
  readonly complete: boolean
}

const decoder = new TextDecoder()

const decode = (chunks: ReadonlyArray<Uint8Array>, size: number): string => {
  if (chunks.length === 1) return decoder.decode(chunks[0])
  const bytes = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    bytes.set(chunk, at)
    at += chunk.length
  }
  return decoder.decode(bytes)
}

const empty: Body = { text: "", complete: true }

/** How much of a body cut at the bound is kept, to be quoted. */
const quoted = 4096

const startOf = (chunks: ReadonlyArray<Uint8Array>): Array<Uint8Array> => {
  const kept: Array<Uint8Array> = []
  let size = 0
  for (const chunk of chunks) {
    if (size >= quoted) break
    const piece = chunk.length > quoted - size ? chunk.subarray(0, quoted - size) : chunk
    kept.push(piece)
    size += piece.length
  }
  return kept
}

// A body whose size the HTTP framing fixes at `declared` bytes, within the bound, and which
// nothing inflates (no Content-Encoding, no Transfer-Encoding): read whole in one call. Reading it
// chunk by chunk costs a stream pull and a copy per chunk, and keeps the transport's buffers alive
// long enough to reach the old generation (BENCHMARKS.md, goal 4).
const framed = (response: HttpClientResponse.HttpClientResponse, declared: number, maxBytes: number): boolean =>
  Number.isSafeInteger(declared) &&
  declared >= 0 &&
  declared <= maxBytes &&
  response.headers["content-encoding"] === undefined &&
  response.headers["transfer-encoding"] === undefined

/**
 * Reads the body of `response`, at most `maxBytes` of it. A declared `Content-Length` over the
 * bound stops before the first byte; one within it, on a body nothing inflates, is read whole;
 * otherwise reading stops at the chunk that passes the bound. Stopping ends the stream, which
 * aborts the request (see `HttpClient`'s response tracking).
 *
 * @since 0.2.0
 * @internal
 */
export const read = (
  response: HttpClientResponse.HttpClientResponse,
  maxBytes: number
): Effect.Effect<Body, HttpClientError.HttpClientError> =>
  Effect.suspend(() => {
    const declared = Number(response.headers["content-length"])
    if (declared > maxBytes) {
      return Effect.as(Stream.runDrain(Stream.take(response.stream, 0)), { text: "", complete: false })
    }
    if (framed(response, declared, maxBytes)) {
      // The HTTP layer hands over exactly `declared` bytes, so reading whole is bounded already;
      // a text longer than that (a transport ignoring framing) is treated as cut at the bound.
      return Effect.map(response.text, (text) =>
        text.length <= declared ? { text, complete: true } : { text: text.slice(0, quoted), complete: false }
      )
    }
    const chunks: Array<Uint8Array> = []
    let size = 0
    let complete = true
    const reading = Stream.runForEachWhile(response.stream, (chunk) =>
      Effect.sync(() => {
        if (size + chunk.length > maxBytes) {
          chunks.push(chunk.subarray(0, maxBytes - size))
          size = maxBytes
          complete = false
          return false
        }
        chunks.push(chunk)
        size += chunk.length
        return true
      })
    )
    return Effect.matchEffect(reading, {
      onSuccess: () =>
        Effect.succeed(
          complete
            ? size === 0
              ? empty
              : { text: decode(chunks, size), complete }
            : // Only quoted in an error from here on: its start is enough, and the rest is let go.
              { text: decode(startOf(chunks), Math.min(size, quoted)), complete }
        ),
      // A response without a body (a 204, a HEAD) has no stream to read: it is empty.
      onFailure: (error) => (error.reason._tag === "EmptyBodyError" ? Effect.succeed(empty) : Effect.fail(error))
    })
  })
