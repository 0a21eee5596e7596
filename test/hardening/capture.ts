/**
 * Captures what an application's telemetry would see: every span (name, parent, attributes,
 * events, status) through a custom `Tracer`, and every log line at every level through a custom
 * `Logger`, formatted the ways exporters and naive loggers format them.
 */
import * as Cause from "effect/Cause"
import type * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Option from "effect/Option"
import * as References from "effect/References"
import * as Tracer from "effect/Tracer"

export interface RecordedEvent {
  readonly name: string
  readonly attributes: Record<string, unknown>
}

export class RecordedSpan implements Tracer.Span {
  readonly _tag = "Span"
  readonly spanId: string
  readonly traceId: string
  readonly attributes = new Map<string, unknown>()
  readonly events: Array<RecordedEvent> = []
  readonly links: Array<Tracer.SpanLink>
  readonly sampled = true
  status: Tracer.SpanStatus
  exit: Exit.Exit<unknown, unknown> | undefined

  constructor(
    readonly name: string,
    readonly parent: Option.Option<Tracer.AnySpan>,
    readonly annotations: Context.Context<never>,
    links: ReadonlyArray<Tracer.SpanLink>,
    startTime: bigint,
    readonly kind: Tracer.SpanKind,
    id: number
  ) {
    this.spanId = `span-${id}`
    this.traceId = Option.match(parent, { onNone: () => `trace-${id}`, onSome: (span) => span.traceId })
    this.links = [...links]
    this.status = { _tag: "Started", startTime }
  }

  get parentSpanId(): string | undefined {
    return Option.getOrUndefined(Option.map(this.parent, (span) => span.spanId))
  }

  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>): void {
    this.status = { _tag: "Ended", startTime: this.status.startTime, endTime, exit }
    this.exit = exit
  }
  attribute(key: string, value: unknown): void {
    this.attributes.set(key, value)
  }
  event(name: string, _startTime: bigint, attributes?: Record<string, unknown>): void {
    this.events.push({ name, attributes: attributes ?? {} })
  }
  addLinks(links: ReadonlyArray<Tracer.SpanLink>): void {
    this.links.push(...links)
  }
}

export interface Capture {
  readonly spans: Array<RecordedSpan>
  /** Every log line, each rendered by several formatters. */
  readonly logs: Array<string>
  /** Tracer and logger (all levels) for the effect they are provided to. */
  readonly layer: Layer.Layer<never>
  /** Everything captured, as one text to search, leaving out the span attributes `skip` names. */
  readonly text: (skip?: (attribute: string) => boolean) => string
}

const show = (value: unknown): string => {
  if (typeof value === "string") return value
  if (typeof value === "bigint") return `${value}n`
  try {
    return `${String(value)} ${JSON.stringify(value)}`
  } catch {
    return String(value)
  }
}

export const make = (): Capture => {
  const spans: Array<RecordedSpan> = []
  const logs: Array<string> = []
  const tracer = Tracer.make({
    span: ({ annotations, kind, links, name, parent, startTime }) => {
      const span = new RecordedSpan(name, parent, annotations, links, startTime, kind, spans.length + 1)
      spans.push(span)
      return span
    }
  })
  const logger = Logger.make<unknown, void>((options) => {
    const annotations = options.fiber.getRef(References.CurrentLogAnnotations)
    const logSpans = options.fiber.getRef(References.CurrentLogSpans)
    logs.push(
      [
        // What the bundled formatters print, and what a naive logger that prints the message,
        // the cause and the annotations itself would.
        Logger.formatLogFmt.log(options),
        Logger.formatSimple.log(options),
        show(Logger.formatStructured.log(options)),
        Logger.formatJson.log(options),
        ...(Array.isArray(options.message) ? options.message : [options.message]).map(show),
        Cause.pretty(options.cause),
        ...Object.values(annotations).map(show),
        ...logSpans.map(([label]) => label)
      ].join("\n")
    )
  })
  const layer = Layer.mergeAll(
    Layer.succeed(Tracer.Tracer, tracer),
    // effect/http records no headers on its spans unless asked: ask for all of them, as an
    // application debugging its traffic would, so that what could leak is there to be checked.
    Layer.succeed(HttpClient.TracerHeaderFilter, () => true),
    Logger.layer([logger]),
    Layer.succeed(References.MinimumLogLevel, "All")
  )
  const text = (skip: (attribute: string) => boolean = () => false) =>
    [
      ...logs,
      ...spans.flatMap((span) => [
        span.name,
        ...[...span.attributes].filter(([key]) => !skip(key)).map(([key, value]) => `${key}=${show(value)}`),
        ...span.events.flatMap((event) => [
          event.name,
          ...Object.entries(event.attributes).map(([key, value]) => `${key}=${show(value)}`)
        ]),
        // What @effect/opentelemetry records when a span ends: for a failure, the pretty cause
        // (which renders error causes in 4.x) as the exception; for a success, nothing of the value.
        span.exit === undefined || span.exit._tag === "Success"
          ? ""
          : [Cause.pretty(span.exit.cause), ...Cause.prettyErrors(span.exit.cause).map((error) => error.message)].join(
              "\n"
            )
      ])
    ].join("\n")
  return { spans, logs, layer, text }
}

/**
 * Whether `span` is the HTTP client's span of one attempt. effect 4 names it after the method
 * (`GET`; 3.x: `http.client GET`), so it is told apart by its kind.
 */
export const isHttpSpan = (span: RecordedSpan): boolean => span.kind === "client"

/** Runs `effect` with the capture's tracer and logger in force. */
export const within =
  (capture: Capture) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.provide(effect, capture.layer)
