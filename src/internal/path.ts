/**
 * Builds request paths from validated ids.
 *
 * @since 0.1.0
 * @internal
 */

/**
 * Joins path segments, URL-encoding each one. Ids are validated before they get here; encoding
 * them as well means no value can ever change which path is requested.
 *
 * @since 0.1.0
 * @internal
 */
export const path = (...segments: ReadonlyArray<string>): string =>
  segments.map((segment) => `/${encodeURIComponent(segment)}`).join("")
