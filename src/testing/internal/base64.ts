/**
 * Base64 without `atob`/`btoa`: decoding reports bad input instead of throwing, and any bytes encode.
 *
 * @since 0.1.0
 */
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

const lookup: ReadonlyMap<string, number> = new Map(Array.from(alphabet, (char, index) => [char, index]))

/**
 * Standard base64 with padding.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encode = (bytes: Uint8Array): string => {
  let out = ""
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!
    const b = bytes[i + 1]
    const c = bytes[i + 2]
    out += alphabet[a >> 2]
    out += alphabet[((a & 3) << 4) | ((b ?? 0) >> 4)]
    out += b === undefined ? "=" : alphabet[((b & 15) << 2) | ((c ?? 0) >> 6)]
    out += c === undefined ? "=" : alphabet[c & 63]
  }
  return out
}

/**
 * Decodes standard base64 (padding optional); `undefined` for anything else, instead of atob's exception.
 *
 * @since 0.1.0
 * @category encoding
 */
export const decode = (text: string): Uint8Array | undefined => {
  const clean = text.trim().replace(/=+$/, "")
  if (clean.length % 4 === 1) return undefined
  const out: Array<number> = []
  let buffer = 0
  let bits = 0
  for (const char of clean) {
    const value = lookup.get(char)
    if (value === undefined) return undefined
    buffer = (buffer << 6) | value
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out.push((buffer >> bits) & 255)
    }
  }
  return Uint8Array.from(out)
}
