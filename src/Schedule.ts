/**
 * A charge schedule of a customer, with its charge and embedded occurrences.
 *
 * @since 0.1.0
 */
import { identity } from "effect/Function"
import * as Schema from "effect/Schema"
import * as SchemaTransformation from "effect/SchemaTransformation"
import { Id } from "./internal/arguments.js"
import { Currency, IsoDate, Metadata, nullable, nullableString, Timestamp } from "./internal/fields.js"
import { versionTolerant, withDefault } from "./internal/versioned.js"
import { OmiseList } from "./OmiseList.js"

/**
 * A schedule id (`schd_...`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ScheduleId = Id("schd", "ScheduleId", "a schedule id such as schd_test_5xyz")

/**
 * @since 0.1.0
 * @category models
 */
export type ScheduleId = typeof ScheduleId.Type

/**
 * A schedule's status. 2017-11-02 calls `running` `active`; both decode to `running`. Statuses
 * the API may add later decode as plain strings rather than failing.
 *
 * @since 0.1.0
 * @category models
 */
export type Status = "running" | "expiring" | "expired" | "deleted" | "suspended" | (string & {})

const StatusSchema: Schema.Codec<Status, string> = Schema.String.pipe(
  Schema.decodeTo(
    Schema.String,
    SchemaTransformation.transform({ decode: (s: string) => (s === "active" ? "running" : s), encode: identity })
  )
)

/**
 * One run of a schedule.
 *
 * @since 0.1.0
 * @category models
 */
export class Occurrence extends Schema.Class<Occurrence>("Occurrence")(
  versionTolerant(
    {
      object: Schema.Literal("occurrence"),
      id: Schema.String,
      livemode: Schema.Boolean,
      location: Schema.optional(Schema.String),
      /** The schedule's id. */
      schedule: Schema.String,
      /** `scheduled`, `successful`, `failed` or `skipped`. */
      status: Schema.String,
      scheduled_on: IsoDate,
      retry_on: nullable(IsoDate),
      processed_at: nullable(Timestamp),
      message: nullableString,
      /** The id of the charge made, if any. */
      result: nullableString,
      created_at: Timestamp
    },
    { renames: { schedule_date: "scheduled_on", retry_date: "retry_on", created: "created_at" } }
  )
) {}

/**
 * The charge a schedule makes. 2017-11-02 sends only amount, currency, description, customer
 * and card; the rest is absent then.
 *
 * @since 0.1.0
 * @category models
 */
export class ScheduledCharge extends Schema.Class<ScheduledCharge>("ScheduledCharge")(
  versionTolerant(
    {
      object: Schema.optional(Schema.Literal("scheduled_charge")),
      id: Schema.optional(Schema.String),
      livemode: Schema.optional(Schema.Boolean),
      /** In the currency's smallest unit. */
      amount: Schema.Int,
      /** Upper-case ISO 4217 code. */
      currency: Currency,
      description: nullableString,
      customer: Schema.String,
      /** The card charged; `null` means the customer's default card at charge time. */
      card: nullableString,
      default_card: Schema.optional(Schema.Boolean),
      linked_account: Schema.optional(Schema.NullOr(Schema.String)),
      metadata: withDefault(Metadata, () => ({}), { whenNull: true }),
      created_at: Schema.optional(Timestamp)
    },
    { renames: { created: "created_at" } }
  )
) {}

/**
 * When a schedule runs: `weekdays` for weekly schedules, `days_of_month` or `weekday_of_month`
 * for monthly ones, nothing for daily ones.
 *
 * @since 0.1.0
 * @category models
 */
export const On = Schema.Struct({
  weekdays: Schema.optional(Schema.Array(Schema.String)),
  days_of_month: Schema.optional(Schema.Array(Schema.Int)),
  weekday_of_month: Schema.optional(Schema.String)
})

const upgradeSchedule = {
  renames: {
    start_date: "start_on",
    end_date: "end_on",
    next_occurrence_dates: "next_occurrences_on",
    created: "created_at"
  },
  // 2017-11-02 has no `active`; it is true exactly while the schedule runs.
  upgrade: (input: Record<string, unknown>): Record<string, unknown> =>
    !("active" in input) && typeof input.status === "string"
      ? { ...input, active: input.status === "active" || input.status === "running" || input.status === "expiring" }
      : input
}

/**
 * A charge schedule. Decodes both API versions (`start_date`/`start_on`,
 * `next_occurrence_dates`/`next_occurrences_on`, status `active`/`running`, ...).
 *
 * @since 0.1.0
 * @category models
 */
export class Schedule extends Schema.Class<Schedule>("Schedule")(
  versionTolerant(
    {
      object: Schema.Literal("schedule"),
      id: ScheduleId,
      livemode: Schema.Boolean,
      location: Schema.optional(Schema.String),
      deleted: withDefault(Schema.Boolean, () => false),
      status: StatusSchema,
      /** True while the schedule is running or expiring. */
      active: Schema.Boolean,
      /** `Active` or `Paused`, on newer accounts. */
      state: Schema.optional(Schema.String),
      every: Schema.Int,
      period: Schema.Literals(["day", "week", "month"]),
      on: On,
      in_words: Schema.String,
      start_on: IsoDate,
      end_on: nullable(IsoDate),
      ended_at: nullable(Timestamp),
      /** The next run dates (up to 30); empty once the schedule has ended. */
      next_occurrences_on: withDefault(Schema.Array(IsoDate), () => []),
      charge: Schema.optional(ScheduledCharge),
      occurrences: Schema.optional(OmiseList(Occurrence)),
      execute_time: Schema.optional(Schema.NullOr(Schema.String)),
      deleted_by: Schema.optional(Schema.NullOr(Schema.String)),
      created_at: Timestamp
    },
    upgradeSchedule
  )
) {}
