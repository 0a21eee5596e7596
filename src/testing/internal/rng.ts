/**
 * A small seeded PRNG (sfc32), so ids, request ids and rate-based faults are
 * reproducible for a given seed without touching global randomness.
 *
 * @since 0.1.0
 */

/**
 * A source of floats in [0, 1).
 *
 * @since 0.1.0
 * @category randomness
 */
export interface Rng {
  /** A float in [0, 1). */
  readonly next: () => number
}

/**
 * A generator seeded with `seed`.
 *
 * @since 0.1.0
 * @category randomness
 */
export const make = (seed: number): Rng => {
  let a = 0x9e3779b9
  let b = 0x243f6a88
  let c = 0xb7e15162
  let d = seed >>> 0
  const step = (): number => {
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    const t = (a + b) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    d = (d + 1) | 0
    const out = (t + d) | 0
    c = (c + out) | 0
    return (out >>> 0) / 4294967296
  }
  for (let i = 0; i < 12; i++) step()
  return { next: step }
}

const base36 = "0123456789abcdefghijklmnopqrstuvwxyz"
const hex = "0123456789abcdef"

const randomChars = (rng: Rng, alphabet: string, length: number): string => {
  let out = ""
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(rng.next() * alphabet.length)]
  return out
}

/**
 * Omise-style object ids: `<prefix>_test_` and 19 lower-case alphanumerics. The
 * first 7 carry a sequence number so ids never collide and sort by creation.
 *
 * @since 0.1.0
 * @category randomness
 */
export const objectId = (rng: Rng, prefix: string, sequence: number): string =>
  `${prefix}_test_${sequence.toString(36).padStart(7, "0")}${randomChars(rng, base36, 12)}`

/**
 * A version-4-shaped UUID, as in Omise's `X-Request-Id`.
 *
 * @since 0.1.0
 * @category randomness
 */
export const uuid = (rng: Rng): string => {
  const h = randomChars(rng, hex, 32)
  const variant = hex[8 + Math.floor(rng.next() * 4)]
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`
}
