/**
 * effect-omise/testing: a fake Omise for tests, in memory or over HTTP.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as FakeFault from "./FakeFault.js"

/**
 * @since 0.1.0
 */
export * as FakeHttp from "./FakeHttp.js"

/**
 * @since 0.1.0
 */
export * as FakeServer from "./FakeServer.js"

/**
 * The fake's former name, kept for existing code: use `OmiseFake`.
 *
 * @since 0.1.0
 * @deprecated Use `OmiseFake`.
 */

/**
 * @since 0.1.0
 */
export * as OmiseFake from "./OmiseFake.js"
