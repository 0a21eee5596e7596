/**
 * What a well-formed key is, once, for the fake and the `omise-fake` bin alike: a test key of
 * its kind, `skey_test_` or `pkey_test_` followed by letters and digits, as Omise issues them.
 * The fake never takes a live key, pinned or not, so a live key pasted into a test setup fails
 * loudly instead of being used.
 *
 * @since 0.2.0
 */

/**
 * Which key: the secret key for the API, the public key for the vault.
 *
 * @since 0.2.0
 * @category keys
 */
export type Kind = "skey" | "pkey"

// Built once: `accepts` runs on every request.
const patterns: { readonly [K in Kind]: RegExp } = {
  skey: /^skey_test_[0-9A-Za-z]+$/,
  pkey: /^pkey_test_[0-9A-Za-z]+$/
}

/**
 * Whether `key` is a well-formed test key of `kind`.
 *
 * @since 0.2.0
 * @category keys
 */
export const wellFormed = (kind: Kind, key: string): boolean => patterns[kind].test(key)

/**
 * A well-formed key of `kind`, for messages.
 *
 * @since 0.2.0
 * @category keys
 */
export const example = (kind: Kind): string => `${kind}_test_5abc`

/**
 * Whether a request carrying `key` gets in where `kind` is wanted: a well-formed key of that
 * kind, and the pinned one when a key is pinned (so a key pinned as the other kind opens
 * nothing, and a public key never opens the API).
 *
 * @since 0.2.0
 * @category keys
 */
export const accepts = (kind: Kind, pinned: string | undefined, key: string | undefined): boolean =>
  key !== undefined && wellFormed(kind, key) && (pinned === undefined || key === pinned)
