/**
 * What the request log keeps of secrets: no key and no card data. Credentials headers keep
 * their scheme (`Basic <redacted>`); a card's `number` keeps its last four digits
 * (`<redacted ending 4242>`, what the card's `last_digits` shows) and its `security_code`
 * nothing, wherever the `card` object sits and whether it came in the query string, a form or
 * JSON.
 *
 * @since 0.2.0
 */
import * as CardNumber from "./cardNumber.js"
import * as Params from "./params.js"

/**
 * What a redacted value is recorded as.
 *
 * @since 0.2.0
 * @category redaction
 */
export const redacted = "<redacted>"

const credentialHeaders = new Set(["authorization", "proxy-authorization"])

/**
 * The headers as logged: credentials keep their scheme and lose the rest.
 *
 * @since 0.2.0
 * @category redaction
 */
export const headers = (input: Readonly<Record<string, string>>): Readonly<Record<string, string>> => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(input)) {
    if (!credentialHeaders.has(name.toLowerCase())) out[name] = value
    else {
      const scheme = /^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s+\S/.exec(value)
      out[name] = scheme === null ? redacted : `${scheme[1]} ${redacted}`
    }
  }
  return out
}

const cardFields = new Set(["number", "security_code"])

/**
 * The one rule for card data: the value at a path is card data when the path goes through a
 * `card` object's `number` or `security_code` (`card[number]`, `card[number][]`,
 * `{ "card": { "security_code": ... } }`). Gives that field, or `undefined`.
 *
 * @since 0.2.0
 * @category redaction
 */
export const cardField = (path: ReadonlyArray<string>): string | undefined => {
  for (let i = 0; i + 1 < path.length; i++) if (path[i] === "card" && cardFields.has(path[i + 1]!)) return path[i + 1]
  return undefined
}

/** A number keeps its last four digits when it reads as a card number; anything else, nothing. */
const redactValue = (field: string, value: unknown): string => {
  if (field === "number" && (typeof value === "string" || typeof value === "number")) {
    const digits = CardNumber.normalise(String(value))
    if (digits !== undefined) return `<redacted ending ${digits.slice(-4)}>`
  }
  return redacted
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** The same value when it holds no card data (the common case costs no copy). */
const walk = (path: Array<string>, value: unknown): unknown => {
  const field = cardField(path)
  if (field !== undefined) return redactValue(field, value)
  if (Array.isArray(value)) {
    let out: Array<unknown> | undefined
    for (let i = 0; i < value.length; i++) {
      path.push(String(i))
      const next = walk(path, value[i])
      path.pop()
      if (next !== value[i]) (out ??= [...value])[i] = next
    }
    return out ?? value
  }
  if (!isRecord(value)) return value
  let changed = false
  const entries = Object.entries(value).map(([key, child]): [string, unknown] => {
    path.push(key)
    const next = walk(path, child)
    path.pop()
    if (next !== child) changed = true
    return [key, next]
  })
  // `Object.fromEntries` defines own properties, so a key `__proto__` stays a key.
  return changed ? Object.fromEntries(entries) : value
}

/**
 * Parameters as logged: card data redacted.
 *
 * @since 0.2.0
 * @category redaction
 */
export const params = (input: Params.Params): Params.Params => walk([], input) as Params.Params

/**
 * A query string as logged: card data redacted, by the same rule as {@link params}.
 *
 * @since 0.2.0
 * @category redaction
 */
export const query = (search: URLSearchParams): string => {
  const entries = [...search]
  if (!entries.some(([key]) => cardField(Params.keyPath(key)) !== undefined)) return search.toString()
  const out = new URLSearchParams()
  for (const [key, value] of entries) {
    const field = cardField(Params.keyPath(key))
    out.append(key, field === undefined ? value : redactValue(field, value))
  }
  return out.toString()
}
