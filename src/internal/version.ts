/**
 * The package version, sent in the `User-Agent`. A test keeps it equal to package.json.
 *
 * @since 0.1.0
 * @internal
 */
export const version = "0.2.0"
