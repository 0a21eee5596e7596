/**
 * What the vault derives from a card number: validity, brand and fingerprint.
 *
 * @since 0.1.0
 */
import * as Base64 from "./base64.js"

/**
 * Brand from the leading digits, as Omise names them; `undefined` when not supported.
 *
 * @since 0.1.0
 * @category cards
 */
export const brand = (number: string): string | undefined => {
  if (/^4/.test(number)) return "Visa"
  if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(number)) return "MasterCard"
  if (/^35(2[89]|[3-8]\d)/.test(number)) return "JCB"
  if (/^3[47]/.test(number)) return "American Express"
  if (/^3(0[0-5]|[689])/.test(number)) return "Diners Club"
  if (/^62/.test(number)) return "UnionPay"
  if (/^6(011|5|4[4-9])/.test(number)) return "Discover"
  return undefined
}

/**
 * The Luhn checksum every real card number satisfies.
 *
 * @since 0.1.0
 * @category cards
 */
export const luhn = (number: string): boolean => {
  let sum = 0
  for (let i = 0; i < number.length; i++) {
    let digit = number.charCodeAt(number.length - 1 - i) - 48
    if (i % 2 === 1) {
      digit *= 2
      if (digit > 9) digit -= 9
    }
    sum += digit
  }
  return sum % 10 === 0
}

/**
 * Digits only (spaces and dashes are how people type numbers), or `undefined` if anything else is there.
 *
 * @since 0.1.0
 * @category cards
 */
export const normalise = (input: string): string | undefined => {
  const digits = input.replace(/[\s-]/g, "")
  return /^\d{12,19}$/.test(digits) ? digits : undefined
}

const fingerprints = new Map<string, string>()

/**
 * Like Omise's: base64 of a hash of the number, identical for identical numbers.
 *
 * @since 0.1.0
 * @category cards
 */
export const fingerprint = (number: string): string => {
  const cached = fingerprints.get(number)
  if (cached !== undefined) return cached
  // Bounded: seeding reuses a handful of test numbers.
  if (fingerprints.size >= 4096) fingerprints.clear()
  const value = Base64.encode(sha256(new TextEncoder().encode(`omise-fake:${number}`)))
  fingerprints.set(number, value)
  return value
}

const K = Uint32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
])

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n))

/**
 * SHA-256 in plain TypeScript: the in-memory fake must run wherever the
 * client runs (workers, Deno), so no `node:crypto`, and `crypto.subtle` is async.
 *
 * @since 0.1.0
 * @category cards
 */
export const sha256 = (message: Uint8Array): Uint8Array => {
  const length = message.length
  const padded = new Uint8Array(Math.ceil((length + 9) / 64) * 64)
  padded.set(message)
  padded[length] = 0x80
  const view = new DataView(padded.buffer)
  view.setUint32(padded.length - 8, Math.floor(length / 0x20000000))
  view.setUint32(padded.length - 4, (length * 8) >>> 0)
  const h = Uint32Array.from([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
  ])
  const w = new Uint32Array(64)
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4)
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15]!
      const y = w[i - 2]!
      const s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)
      const s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10)
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) >>> 0
    }
    let a = h[0]!,
      b = h[1]!,
      c = h[2]!,
      d = h[3]!,
      e = h[4]!,
      f = h[5]!,
      g = h[6]!,
      k = h[7]!
    for (let i = 0; i < 64; i++) {
      const S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
      const ch = (e & f) ^ (~e & g)
      const t1 = (k + S1 + ch + K[i]! + w[i]!) >>> 0
      const S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
      const maj = (a & b) ^ (a & c) ^ (b & c)
      const t2 = (S0 + maj) >>> 0
      k = g
      g = f
      f = e
      e = (d + t1) >>> 0
      d = c
      c = b
      b = a
      a = (t1 + t2) >>> 0
    }
    h[0] = (h[0]! + a) >>> 0
    h[1] = (h[1]! + b) >>> 0
    h[2] = (h[2]! + c) >>> 0
    h[3] = (h[3]! + d) >>> 0
    h[4] = (h[4]! + e) >>> 0
    h[5] = (h[5]! + f) >>> 0
    h[6] = (h[6]! + g) >>> 0
    h[7] = (h[7]! + k) >>> 0
  }
  const out = new Uint8Array(32)
  const outView = new DataView(out.buffer)
  for (let i = 0; i < 8; i++) outView.setUint32(i * 4, h[i]!)
  return out
}
