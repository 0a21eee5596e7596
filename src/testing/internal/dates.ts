/**
 * Date arithmetic for the fake, in UTC. Instants are epoch milliseconds, calendar dates are epoch days.
 *
 * @since 0.1.0
 */

const DAY = 86_400_000

const isoCache = new Map<number, string>()

/**
 * `2025-03-20T09:12:02Z`: Omise's second-resolution UTC format.
 *
 * @since 0.1.0
 * @category dates
 */
export const iso = (ms: number): string => {
  const seconds = Math.floor(ms / 1000)
  const cached = isoCache.get(seconds)
  if (cached !== undefined) return cached
  // Bounded: pages render the same few creation seconds over and over.
  if (isoCache.size >= 4096) isoCache.clear()
  const text = new Date(seconds * 1000).toISOString().replace(".000Z", "Z")
  isoCache.set(seconds, text)
  return text
}

/**
 * `2025-03-20` for an epoch day.
 *
 * @since 0.1.0
 * @category dates
 */
export const isoDate = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10)

/**
 * The epoch day an instant falls on.
 *
 * @since 0.1.0
 * @category dates
 */
export const dayOf = (ms: number): number => Math.floor(ms / DAY)

/**
 * Midnight UTC of an epoch day, in ms.
 *
 * @since 0.1.0
 * @category dates
 */
export const startOfDay = (day: number): number => day * DAY

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/
const dateTimePattern = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i

/**
 * An epoch day for a real `YYYY-MM-DD` calendar date.
 *
 * @since 0.1.0
 * @category dates
 */
export const parseDate = (text: string): number | undefined => {
  const match = datePattern.exec(text)
  if (match === null) return undefined
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
  return isoDate(ms / DAY) === text ? ms / DAY : undefined
}

/**
 * Epoch ms for an ISO 8601 date-time (a bare date is its midnight UTC; no zone means UTC).
 *
 * @since 0.1.0
 * @category dates
 */
export const parseDateTime = (text: string): number | undefined => {
  const trimmed = text.trim()
  const day = parseDate(trimmed)
  if (day !== undefined) return startOfDay(day)
  if (!dateTimePattern.test(trimmed)) return undefined
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed) ? trimmed : `${trimmed}Z`
  const ms = Date.parse(zoned.replace(" ", "T"))
  return Number.isNaN(ms) ? undefined : ms
}

/**
 * A search `created` filter as an inclusive [from, to] window in ms: an exact
 * date or date-time, an `A..B` range (either side may be open), or one of the
 * relative words the Omise search docs list.
 *
 * @since 0.1.0
 * @category dates
 */
export const parseCreatedFilter = (
  text: string,
  now: number
): { readonly from: number; readonly to: number } | undefined => {
  const today = dayOf(now)
  const weekStart = today - ((new Date(startOfDay(today)).getUTCDay() + 6) % 7)
  const monthStart = (offset: number): number => {
    const date = new Date(startOfDay(today))
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1) / DAY
  }
  const days = (from: number, toExclusive: number) => ({ from: startOfDay(from), to: startOfDay(toExclusive) - 1 })
  switch (text.trim().toLowerCase()) {
    case "today":
      return days(today, today + 1)
    case "yesterday":
      return days(today - 1, today)
    case "this_week":
      return days(weekStart, weekStart + 7)
    case "last_week":
      return days(weekStart - 7, weekStart)
    case "this_month":
      return days(monthStart(0), monthStart(1))
    case "last_month":
      return days(monthStart(-1), monthStart(0))
  }
  const bound = (part: string, end: boolean): number | undefined => {
    const day = parseDate(part)
    if (day !== undefined) return end ? startOfDay(day + 1) - 1 : startOfDay(day)
    return parseDateTime(part)
  }
  const range = text.split("..")
  if (range.length === 1) {
    const day = parseDate(text.trim())
    if (day !== undefined) return days(day, day + 1)
    const at = parseDateTime(text)
    return at === undefined ? undefined : { from: at, to: at + 999 }
  }
  if (range.length !== 2) return undefined
  const [left, right] = range as [string, string]
  const from = left.trim() === "" ? 0 : bound(left.trim(), false)
  const to = right.trim() === "" ? Number.MAX_SAFE_INTEGER : bound(right.trim(), true)
  if (from === undefined || to === undefined || (left.trim() === "" && right.trim() === "")) return undefined
  return { from, to }
}

const weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const

/**
 * A weekday as schedules spell it (`monday`).
 *
 * @since 0.1.0
 * @category dates
 */
export type Weekday = (typeof weekdays)[number]

/**
 * Whether text is a weekday name schedules accept.
 *
 * @since 0.1.0
 * @category dates
 */
export const isWeekday = (text: string): text is Weekday => (weekdays as ReadonlyArray<string>).includes(text)

const ordinals = ["first", "second", "third", "fourth", "last"] as const

/**
 * `second_monday`, `last_friday`, ...
 *
 * @since 0.1.0
 * @category dates
 */
export const parseWeekdayOfMonth = (text: string): { readonly nth: number; readonly weekday: number } | undefined => {
  const [ordinal, weekday] = text.split("_")
  const nth = (ordinals as ReadonlyArray<string | undefined>).indexOf(ordinal)
  const day = (weekdays as ReadonlyArray<string | undefined>).indexOf(weekday)
  return nth < 0 || day < 0 ? undefined : { nth: nth === 4 ? -1 : nth + 1, weekday: day }
}

/**
 * When a schedule runs, from its `period` and `on`.
 *
 * @since 0.1.0
 * @category dates
 */
export type ScheduleRule =
  | { readonly period: "day" }
  | { readonly period: "week"; readonly weekdays: ReadonlyArray<Weekday> }
  | { readonly period: "month"; readonly daysOfMonth: ReadonlyArray<number> }
  | { readonly period: "month"; readonly weekdayOfMonth: string }

const lastDayOfMonth = (year: number, month: number): number => new Date(Date.UTC(year, month + 1, 0)).getUTCDate()

/**
 * The dates a schedule runs on, in order, from `start` to `end` (epoch days,
 * inclusive), stopping after `max`. A day missing from a month (the 31st in
 * April) runs on the month's last day, as Omise documents.
 *
 * @since 0.1.0
 * @category dates
 */
export const occurrences = (
  rule: ScheduleRule,
  every: number,
  start: number,
  end: number,
  max: number
): ReadonlyArray<number> => {
  const out: Array<number> = []
  const push = (day: number): boolean => {
    if (day > end) return false
    if (day >= start && out[out.length - 1] !== day) out.push(day)
    return out.length < max
  }
  if (rule.period === "day") {
    for (let day = start; push(day); day += every);
    return out
  }
  if (rule.period === "week") {
    const mondayOfStart = start - ((new Date(startOfDay(start)).getUTCDay() + 6) % 7)
    const offsets = rule.weekdays.map((day) => (weekdays.indexOf(day) + 6) % 7).sort((a, b) => a - b)
    for (let week = mondayOfStart; week <= end; week += 7 * every) {
      for (const offset of offsets) if (!push(week + offset)) return out
    }
    return out
  }
  const first = new Date(startOfDay(start))
  for (let index = 0; ; index += every) {
    const year = first.getUTCFullYear() + Math.floor((first.getUTCMonth() + index) / 12)
    const month = (first.getUTCMonth() + index) % 12
    const monthStart = Date.UTC(year, month, 1) / DAY
    if (monthStart > end) return out
    const last = lastDayOfMonth(year, month)
    const days: Array<number> = []
    if ("daysOfMonth" in rule) {
      for (const day of rule.daysOfMonth) days.push(monthStart + Math.min(day, last) - 1)
    } else {
      const spec = parseWeekdayOfMonth(rule.weekdayOfMonth)
      if (spec === undefined) return out
      const firstWeekday = new Date(startOfDay(monthStart)).getUTCDay()
      const firstMatch = 1 + ((spec.weekday - firstWeekday + 7) % 7)
      const date =
        spec.nth === -1 ? firstMatch + 7 * Math.floor((last - firstMatch) / 7) : firstMatch + 7 * (spec.nth - 1)
      if (date <= last) days.push(monthStart + date - 1)
    }
    days.sort((a, b) => a - b)
    for (const day of days) if (!push(day)) return out
  }
}

const ordinalSuffix = (n: number): string => {
  if (n % 100 >= 11 && n % 100 <= 13) return `${n}th`
  return `${n}${["th", "st", "nd", "rd"][n % 10] ?? "th"}`
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

const joinWords = (words: ReadonlyArray<string>): string =>
  words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`

/**
 * Omise's `in_words`: `Every 2 day(s)`, `Every 1 month(s) on the 15th`, ...
 *
 * @since 0.1.0
 * @category dates
 */
export const inWords = (rule: ScheduleRule, every: number): string => {
  switch (rule.period) {
    case "day":
      return `Every ${every} day(s)`
    case "week":
      return `Every ${every} week(s) on ${joinWords(rule.weekdays.map(capitalise))}`
    case "month":
      return "daysOfMonth" in rule
        ? `Every ${every} month(s) on the ${joinWords(rule.daysOfMonth.map(ordinalSuffix))}`
        : `Every ${every} month(s) on the ${rule.weekdayOfMonth
            .split("_")
            .map((part, i) => (i === 0 ? part : capitalise(part)))
            .join(" ")}`
  }
}
