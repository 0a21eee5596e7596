/**
 * An account that changes while it is paged: customers in creation order that a test deletes or
 * adds to between requests, served as Omise serves them (lists by `offset`/`limit` inside the
 * `from`..`to` window, `total` counting the window; search by `page`/`per_page`), over a recording
 * `HttpClient`. `lie` lets a test bend any answer (ignore the offset, repeat a page, misstate
 * `total`) before it goes out.
 */
import * as Effect from "effect/Effect"
import { customer2019, list, search } from "../fixtures/bodies.js"
import * as RecordingHttp from "../utils/RecordingHttp.js"

export const idOf = (i: number) => `cust_test_${String(i).padStart(6, "0")}`

const base = Date.parse("2024-03-01T00:00:00Z")
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z")

export interface Stored {
  readonly id: string
  /** Creation time, ms (whole seconds). */
  readonly created: number
}

/** What a request is answered with before `lie` sees it. */
export interface Answer {
  readonly request: RecordingHttp.Recorded
  readonly index: number
  /** The body about to be sent (a list or a search page); `lie` returns the one to send. */
  readonly body: Record<string, unknown> & { readonly data: ReadonlyArray<{ readonly id: string }> }
}

export interface Options {
  /** Runs before request `index` is answered: delete or add records here. */
  readonly before?: (account: Account, request: RecordingHttp.Recorded, index: number) => void
  /** Changes the answer to request `index` (default: as computed). */
  readonly lie?: (answer: Answer, account: Account) => Answer["body"]
  /** A status other than 200 to answer request `index` with (an Omise error body), if any. */
  readonly status?: (request: RecordingHttp.Recorded, index: number) => number | undefined
  /** How long request `index` takes (ms, real time), so that pages ahead arrive out of order. */
  readonly delay?: (index: number) => number
}

export interface Account {
  /** Every record now, in creation order. */
  readonly records: Array<Stored>
  readonly http: RecordingHttp.Recording
  /** Deletes the records with these ids (those that exist). */
  readonly remove: (ids: Iterable<string>) => void
  /** Adds `count` records created now (after every existing one). */
  readonly add: (count: number) => ReadonlyArray<string>
  /** The server's clock, ms: one second after the newest record at start, moving on as records are added. */
  now: number
}

/** `count` customers, one a second, ids in creation order. */
export const make = (count: number, options: Options = {}): Account => {
  const records: Array<Stored> = Array.from({ length: count }, (_, i) => ({ id: idOf(i), created: base + i * 1000 }))
  let made = count
  const account: Account = {
    records,
    now: base + count * 1000,
    http: undefined as unknown as RecordingHttp.Recording,
    remove: (ids) => {
      const gone = new Set(ids)
      for (let i = records.length - 1; i >= 0; i--) if (gone.has(records[i]!.id)) records.splice(i, 1)
    },
    add: (n) => {
      const added: Array<string> = []
      for (let i = 0; i < n; i++) {
        account.now += 1000
        const record = { id: idOf(made++), created: account.now }
        records.push(record)
        added.push(record.id)
      }
      return added
    }
  }
  const render = (r: Stored) => customer2019({ id: r.id, created_at: iso(r.created) })
  const answer = (request: RecordingHttp.Recorded): Answer["body"] => {
    // The fixtures type their data as unknown; these are customers, each with an id.
    const body = (b: Record<string, unknown>) => b as Answer["body"]
    const reverse = request.query.order === "reverse_chronological"
    if (request.path === "/search") {
      const page = Number(request.query.page ?? 1)
      const perPage = Number(request.query.per_page ?? 30)
      const all = reverse ? [...records].reverse() : records
      return body(
        search(all.slice((page - 1) * perPage, page * perPage).map(render), {
          page,
          per_page: perPage,
          total: all.length,
          total_pages: Math.ceil(all.length / perPage)
        })
      )
    }
    const offset = Number(request.query.offset ?? 0)
    const limit = Number(request.query.limit ?? 20)
    const from = request.query.from === undefined ? 0 : Date.parse(request.query.from)
    const to = request.query.to === undefined ? account.now : Date.parse(request.query.to)
    const inWindow = records.filter((r) => r.created >= from && r.created <= to)
    const ordered = reverse ? inWindow.reverse() : inWindow
    return body(
      list(ordered.slice(offset, offset + limit).map(render), {
        offset,
        limit,
        total: ordered.length,
        from: iso(from),
        to: iso(to),
        order: reverse ? "reverse_chronological" : "chronological"
      })
    )
  }
  const http = RecordingHttp.makeEffect((request, index) => {
    const reply = Effect.sync(() => {
      const status = options.status?.(request, index)
      if (status !== undefined) {
        return RecordingHttp.json({ object: "error", code: "service_unavailable", message: "try again" }, status)
      }
      options.before?.(account, request, index)
      const page = answer(request)
      return RecordingHttp.json(options.lie === undefined ? page : options.lie({ request, index, body: page }, account))
    })
    const ms = options.delay?.(index) ?? 0
    return ms > 0 ? Effect.andThen(Effect.sleep(ms), reply) : reply
  })
  ;(account as { http: RecordingHttp.Recording }).http = http
  return account
}

/** The ids at `from` until `to` of `count` records as made. */
export const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => idOf(from + i))
