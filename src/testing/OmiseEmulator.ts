/**
 * The names the fake had before it was one module: `OmiseEmulator.make` is `OmiseFake.make`,
 * the `OmiseEmulator` handle is `OmiseFake.Service`. Kept so existing code compiles; new code
 * uses `OmiseFake`.
 *
 * @since 0.1.0
 * @deprecated Use `OmiseFake`.
 */
import * as OmiseFake from "./OmiseFake.js"

/**
 * @since 0.1.0
 * @category models
 * @deprecated Use `OmiseFake.FakeOptions`.
 */
export type Options = OmiseFake.FakeOptions

/**
 * @since 0.1.0
 * @category models
 * @deprecated Use `OmiseFake.CardInput`.
 */
export type CardInput = OmiseFake.CardInput

/**
 * @since 0.1.0
 * @category models
 * @deprecated Use `OmiseFake.CustomerInput`.
 */
export type CustomerInput = OmiseFake.CustomerInput

/**
 * @since 0.1.0
 * @category models
 * @deprecated Use `OmiseFake.FakeCard`.
 */
export type FakeCard = OmiseFake.FakeCard

/**
 * @since 0.1.0
 * @category models
 * @deprecated Use `OmiseFake.FakeCustomer`.
 */
export type FakeCustomer = OmiseFake.FakeCustomer

/**
 * @since 0.1.0
 * @category models
 * @deprecated Use `OmiseFake.RecordedRequest`.
 */
export type RecordedRequest = OmiseFake.RecordedRequest

/**
 * @since 0.1.0
 * @category models
 * @deprecated Use `OmiseFake.InjectOptions`.
 */
export type InjectOptions = OmiseFake.InjectOptions

/**
 * @since 0.1.0
 * @category models
 * @deprecated Use `OmiseFake.InjectRateOptions`.
 */
export type InjectRateOptions = OmiseFake.InjectRateOptions

/**
 * @since 0.1.0
 * @category models
 * @deprecated Use `OmiseFake.Service`.
 */
export type OmiseEmulator = OmiseFake.Service

/**
 * @since 0.1.0
 * @category errors
 * @deprecated Use `OmiseFake.FakeSeedError`.
 */
export const FakeSeedError = OmiseFake.FakeSeedError

/**
 * @since 0.1.0
 * @category errors
 * @deprecated Use `OmiseFake.FakeSeedError`.
 */
export type FakeSeedError = OmiseFake.FakeSeedError

/**
 * @since 0.1.0
 * @category constructors
 * @deprecated Use `OmiseFake.make`.
 */
export const make: (options?: OmiseFake.FakeOptions) => ReturnType<typeof OmiseFake.make> = OmiseFake.make
