/**
 * effect-omise: an Effect-native client for the Omise Customer API.
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as Card from "./Card.js"

/**
 * @since 0.1.0
 */
export * as Customer from "./Customer.js"

/**
 * @since 0.1.0
 */
export * as OmiseClient from "./OmiseClient.js"

/**
 * @since 0.1.0
 */
export * as OmiseError from "./OmiseError.js"

/**
 * @since 0.1.0
 */
export * as OmiseList from "./OmiseList.js"

/**
 * @since 0.1.0
 */
export * as OmiseMetrics from "./OmiseMetrics.js"

/**
 * @since 0.1.0
 */
export * as Policy from "./Policy.js"

/**
 * @since 0.1.0
 */
export * as Schedule from "./Schedule.js"

/**
 * @since 0.1.0
 */
export * as Search from "./Search.js"
