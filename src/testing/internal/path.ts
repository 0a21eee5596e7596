/**
 * Path patterns, shared by the route table and fault targets: `:name` matches one segment and a
 * final `*` one or more; trailing and repeated slashes do not count.
 *
 * @since 0.2.0
 */

/**
 * The non-empty segments of a path (a query string, if any, is left out).
 *
 * @since 0.2.0
 * @category paths
 */
export const segments = (path: string): ReadonlyArray<string> => {
  const question = path.indexOf("?")
  return (question < 0 ? path : path.slice(0, question)).split("/").filter((part) => part.length > 0)
}

/**
 * A path with one slash between segments and none at the end: `/customers/cust_1`.
 *
 * @since 0.2.0
 * @category paths
 */
export const normalise = (path: string): string => `/${segments(path).join("/")}`

/**
 * The `:name` segments a path gives for a pattern, or `undefined` when it does not match.
 *
 * @since 0.2.0
 * @category paths
 */
export const match = (
  pattern: ReadonlyArray<string>,
  path: ReadonlyArray<string>
): Readonly<Record<string, string>> | undefined => {
  const captured: Record<string, string> = {}
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i]!
    if (part === "*" && i === pattern.length - 1) return path.length > i ? captured : undefined
    const actual = path[i]
    if (actual === undefined) return undefined
    if (part.startsWith(":")) captured[part.slice(1)] = actual
    else if (part !== actual) return undefined
  }
  return pattern.length === path.length ? captured : undefined
}
