/**
 * Charge schedules (`/schedules`, `/customers/:id/schedules`): state, routes and JSON. Their
 * occurrences are materialised lazily, up to "today" on the clock, so `TestClock` runs them.
 *
 * @since 0.2.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as SchemaTransformation from "effect/SchemaTransformation"
import * as Dates from "../dates.js"
import * as Failure from "../failure.js"
import * as Params from "../params.js"
import * as Render from "../render.js"
import * as Routes from "../routes.js"
import * as State from "../state.js"
import * as Customers from "./customers.js"

interface StoredOccurrence {
  readonly id: string
  readonly seq: number
  readonly created: number
  readonly day: number
  readonly result: string
}

interface StoredSchedule {
  readonly id: string
  readonly seq: number
  readonly created: number
  readonly every: number
  readonly rule: Dates.ScheduleRule
  readonly on: Readonly<Record<string, unknown>>
  readonly startDay: number
  readonly endDay: number
  deleted: boolean
  endedAt: number | null
  readonly charge: {
    readonly id: string
    readonly amount: number
    readonly currency: string
    readonly description: string | null
    readonly customer: string
    readonly card: string | null
    readonly metadata: Readonly<Record<string, unknown>>
  }
  readonly occurrences: Array<StoredOccurrence>
}

const schedules = State.slot("schedules", () => ({
  byId: new Map<string, StoredSchedule>(),
  /** Each customer's schedules, in creation order. */
  byCustomer: new Map<string, Array<StoredSchedule>>()
}))

/** Runs the schedule up to today: one occurrence per date already reached. */
const catchUp = (state: State.State, schedule: StoredSchedule, now: number): void => {
  if (schedule.deleted) return
  const today = Dates.dayOf(now)
  const last = schedule.occurrences[schedule.occurrences.length - 1]
  const to = Math.min(today, schedule.endDay)
  // Recomputed from the start date so `every` keeps its phase.
  for (const day of Dates.occurrences(schedule.rule, schedule.every, schedule.startDay, to, 100_000)) {
    if (last !== undefined && day <= last.day) continue
    const { id, seq } = state.ids.next("occu")
    schedule.occurrences.push({
      id,
      seq,
      created: Math.max(schedule.created, Dates.startOfDay(day)),
      day,
      result: state.ids.next("chrg").id
    })
  }
  if (today > schedule.endDay && schedule.endedAt === null) {
    schedule.endedAt = Math.max(schedule.created, Dates.startOfDay(schedule.endDay + 1))
  }
}

const renderOccurrence = (version: Render.Version, schedule: StoredSchedule, item: StoredOccurrence): Render.Json => {
  const base = {
    object: "occurrence",
    id: item.id,
    livemode: false,
    location: `/occurrences/${item.id}`,
    schedule: schedule.id
  }
  if (Render.isLegacy(version)) {
    return {
      ...base,
      schedule_date: Dates.isoDate(item.day),
      retry_date: null,
      processed_at: Dates.iso(item.created),
      status: "successful",
      message: null,
      result: item.result,
      created: Dates.iso(item.created)
    }
  }
  return {
    ...base,
    result: item.result,
    message: null,
    status: "successful",
    processed_at: Dates.iso(item.created),
    created_at: Dates.iso(item.created),
    scheduled_on: Dates.isoDate(item.day),
    retry_on: null,
    execute_time: null,
    split_metadata: null,
    transfer_amount: 0
  }
}

/** The next 30 dates after today, counted from the start date so `every` keeps its phase. */
const upcomingDays = (schedule: StoredSchedule, today: number): ReadonlyArray<number> => {
  const passed =
    today < schedule.startDay
      ? 0
      : Dates.occurrences(schedule.rule, schedule.every, schedule.startDay, today, 100_000).length
  return Dates.occurrences(schedule.rule, schedule.every, schedule.startDay, schedule.endDay, passed + 30).slice(passed)
}

/** `deleted`, `expired` once past the end date, else running (`active` before 2019-05-29). */
const status = (version: Render.Version, schedule: StoredSchedule, now: number): string => {
  if (schedule.deleted) return "deleted"
  if (Dates.dayOf(now) > schedule.endDay) return "expired"
  return Render.isLegacy(version) ? "active" : "running"
}

/** A schedule, caught up to now, with its first page of occurrences and the next 30 dates. */
const render = (context: Routes.Context, schedule: StoredSchedule): Render.Json => {
  const { version, now } = context
  catchUp(context.state, schedule, now)
  const current = status(version, schedule, now)
  const window = Render.firstPage(now)
  const occurrences = State.select(schedule.occurrences, window)
  const occurrenceList = Render.list(version, {
    data: occurrences.data.map((item) => renderOccurrence(version, schedule, item)),
    window,
    total: occurrences.total,
    location: `/schedules/${schedule.id}/occurrences`,
    embedded: true
  })
  const upcoming =
    current === "deleted" || current === "expired" ? [] : upcomingDays(schedule, Dates.dayOf(now)).map(Dates.isoDate)
  const base = { object: "schedule", id: schedule.id, livemode: false, location: `/schedules/${schedule.id}` }
  const charge = schedule.charge
  if (Render.isLegacy(version)) {
    return {
      ...base,
      status: current,
      every: schedule.every,
      period: schedule.rule.period,
      on: schedule.on,
      in_words: Dates.inWords(schedule.rule, schedule.every),
      start_date: Dates.isoDate(schedule.startDay),
      end_date: Dates.isoDate(schedule.endDay),
      charge: {
        amount: charge.amount,
        currency: charge.currency.toLowerCase(),
        description: charge.description,
        customer: charge.customer,
        card: charge.card
      },
      occurrences: occurrenceList,
      next_occurrence_dates: upcoming,
      created: Dates.iso(schedule.created)
    }
  }
  return {
    ...base,
    deleted: schedule.deleted,
    every: schedule.every,
    occurrences: occurrenceList,
    on: schedule.on,
    in_words: Dates.inWords(schedule.rule, schedule.every),
    period: schedule.rule.period,
    status: current,
    active: current === "running",
    state: current === "running" ? "Active" : "Inactive",
    charge: {
      object: "scheduled_charge",
      id: charge.id,
      livemode: false,
      currency: charge.currency.toUpperCase(),
      amount: charge.amount,
      default_card: charge.card === null,
      card: charge.card,
      customer: charge.customer,
      linked_account: null,
      description: charge.description,
      metadata: charge.metadata,
      created_at: Dates.iso(schedule.created)
    },
    next_occurrences_on: upcoming,
    ended_at: schedule.endedAt === null ? null : Dates.iso(schedule.endedAt),
    start_on: Dates.isoDate(schedule.startDay),
    end_on: Dates.isoDate(schedule.endDay),
    created_at: Dates.iso(schedule.created),
    execute_time: null,
    deleted_by: null
  }
}

const OneOrMany = <S extends Schema.Top>(item: S) =>
  Schema.Union([
    Schema.Array(item),
    item.pipe(
      Schema.decodeTo(
        Schema.Array(Schema.toType(item)),
        SchemaTransformation.transform<ReadonlyArray<S["Type"]>, S["Type"]>({
          decode: (one) => [one],
          encode: (many) => many[0]
        })
      )
    )
  ])

const ScheduleOn = Schema.Struct({
  weekdays: Schema.optional(OneOrMany(Params.Text.pipe(Schema.refine(Dates.isWeekday)))),
  days_of_month: Schema.optional(OneOrMany(Params.Int.check(Schema.isBetween({ minimum: 1, maximum: 31 })))),
  weekday_of_month: Schema.optional(
    Params.Text.check(Schema.makeFilter((text: string) => Dates.parseWeekdayOfMonth(text) !== undefined))
  )
})

const CalendarDate = Params.textAs((text) => Dates.parseDate(text.trim()), Dates.isoDate, "not a date")

const decodeCreate = Params.decode(
  Schema.Struct({
    every: Params.Int.check(Schema.isGreaterThanOrEqualTo(1)),
    period: Schema.Literals(["day", "week", "month"]),
    on: Schema.optional(ScheduleOn),
    start_date: Schema.optional(CalendarDate),
    end_date: CalendarDate,
    charge: Schema.Struct({
      customer: Params.Text,
      amount: Params.Int.check(Schema.isGreaterThanOrEqualTo(1)),
      currency: Schema.optional(Params.Text.check(Schema.isPattern(/^[A-Za-z]{3}$/))),
      card: Schema.optional(Params.Text),
      description: Schema.optional(Params.Text),
      metadata: Schema.optional(Params.Metadata)
    })
  })
)

const scheduleRule = (period: "day" | "week" | "month", on: typeof ScheduleOn.Type | undefined) => {
  switch (period) {
    case "day":
      return Effect.succeed({ rule: { period } as const, on: {} })
    case "week":
      return on?.weekdays !== undefined && on.weekdays.length > 0
        ? Effect.succeed({ rule: { period, weekdays: on.weekdays }, on: { weekdays: on.weekdays } })
        : Effect.fail(Failure.badRequest("on must contain weekdays"))
    case "month":
      if (on?.days_of_month !== undefined && on.days_of_month.length > 0) {
        return Effect.succeed({
          rule: { period, daysOfMonth: on.days_of_month },
          on: { days_of_month: on.days_of_month }
        })
      }
      return on?.weekday_of_month !== undefined
        ? Effect.succeed({
            rule: { period, weekdayOfMonth: on.weekday_of_month },
            on: { weekday_of_month: on.weekday_of_month }
          })
        : Effect.fail(Failure.badRequest("on must contain one of these keys: days_of_month, weekday_of_month"))
  }
}

const create = (context: Routes.Context) =>
  Effect.gen(function* () {
    const params = yield* decodeCreate(context.params)
    const { state } = context
    const customer = yield* Effect.fromResult(Customers.find(state, params.charge.customer))
    if (params.charge.card !== undefined)
      yield* Effect.fromResult(Customers.findCard(state, customer, params.charge.card))
    const { on, rule } = yield* scheduleRule(params.period, params.on)
    const today = Dates.dayOf(context.now)
    const startDay = params.start_date ?? today
    if (startDay < today) return yield* Effect.fail(Failure.badRequest("start_date cannot be in the past"))
    if (params.end_date <= startDay) return yield* Effect.fail(Failure.badRequest("end_date must be after start_date"))
    if (Dates.occurrences(rule, params.every, startDay, params.end_date, 1).length === 0) {
      return yield* Effect.fail(Failure.badRequest("schedule has no occurrence between start_date and end_date"))
    }
    const { id, seq } = state.ids.next("schd")
    const schedule: StoredSchedule = {
      id,
      seq,
      created: context.now,
      every: params.every,
      rule,
      on,
      startDay,
      endDay: params.end_date,
      deleted: false,
      endedAt: null,
      charge: {
        id: state.ids.next("rchg").id,
        amount: params.charge.amount,
        currency: (params.charge.currency ?? "thb").toLowerCase(),
        description: params.charge.description ?? null,
        customer: customer.id,
        card: params.charge.card ?? null,
        metadata: params.charge.metadata ?? {}
      },
      occurrences: []
    }
    const all = state.get(schedules)
    all.byId.set(id, schedule)
    const ofCustomer = all.byCustomer.get(customer.id) ?? []
    State.insert(ofCustomer, schedule)
    all.byCustomer.set(customer.id, ofCustomer)
    return render(context, schedule)
  })

const named = (context: Routes.Context) => {
  const schedule = context.state.get(schedules).byId.get(context.path.id!)
  return schedule === undefined ? Effect.fail(Failure.notFound("schedule", context.path.id!)) : Effect.succeed(schedule)
}

const ofCustomer = (context: Routes.Context) =>
  Effect.gen(function* () {
    const customer = yield* Effect.fromResult(Customers.find(context.state, context.path.id!))
    const window = yield* Params.listWindow(context.params, context.now)
    const page = State.select(context.state.get(schedules).byCustomer.get(customer.id) ?? [], window)
    return Render.list(context.version, {
      data: page.data.map((schedule) => render(context, schedule)),
      window,
      total: page.total,
      location: `/customers/${customer.id}/schedules`,
      embedded: false
    })
  })

/**
 * The schedule routes.
 *
 * @since 0.2.0
 * @category resources
 */
export const resource: Routes.Resource = {
  routes: [
    Routes.route("POST", "/schedules", create),
    Routes.route("GET", "/schedules/:id", (context) => Effect.map(named(context), (s) => render(context, s))),
    Routes.route("DELETE", "/schedules/:id", (context) =>
      Effect.map(named(context), (schedule) => {
        catchUp(context.state, schedule, context.now)
        if (!schedule.deleted) {
          schedule.deleted = true
          schedule.endedAt = context.now
        }
        return render(context, schedule)
      })
    ),
    Routes.route("GET", "/customers/:id/schedules", ofCustomer)
  ]
}
