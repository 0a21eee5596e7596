/**
 * What the vault derives from a card number: validity, brand and fingerprint.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"

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

/**
 * Like Omise's: base64 of a hash of the number, identical for identical numbers. Not cached by
 * number: a cache would keep every card number entered, for as long as the process runs.
 *
 * @since 0.1.0
 * @category cards
 */
export const fingerprint = (number: string): string =>
  createHash("sha256").update(`omise-fake:${number}`).digest("base64")
