/**
 * A bound on how deeply a value nests, checked without recursion.
 *
 * Schema decoding, and the formatting of the values its errors quote, recurse once per level of
 * arrays and objects. A value nested thousands of levels deep (from a hostile server) or a cyclic
 * one (from a caller) would exhaust the stack there and surface as a defect instead of a typed
 * error, so such values are refused before any schema sees them.
 *
 * @since 0.1.0
 * @internal
 */

/**
 * The deepest nesting accepted. Omise bodies nest a handful of levels (a customer, its card
 * list, a card) and metadata a few more; nothing legitimate comes near this.
 *
 * @since 0.1.0
 * @internal
 */
export const maxDepth = 100

interface Frame {
  readonly node: object
  readonly children: ReadonlyArray<unknown>
  next: number
  /** Levels from this node down to its deepest descendant seen so far (1 for a leaf object). */
  height: number
}

/**
 * Why `value` cannot be decoded safely: `"cyclic"`, `"too deep"` (more than `max` levels of
 * arrays and objects), or `undefined` when it is fine. Each object is walked once, so shared
 * (non-cyclic) references cost nothing extra, and the walk stops at the first problem.
 *
 * @since 0.1.0
 * @internal
 */
export const nestingProblem = (value: unknown, max: number = maxDepth): "cyclic" | "too deep" | undefined => {
  if (typeof value !== "object" || value === null) return undefined
  const heights = new Map<object, number>()
  const onPath = new Set<object>()
  const stack: Array<Frame> = [{ node: value, children: Object.values(value), next: 0, height: 1 }]
  onPath.add(value)
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!
    if (frame.next < frame.children.length) {
      const child = frame.children[frame.next++]
      if (typeof child !== "object" || child === null) continue
      if (onPath.has(child)) return "cyclic"
      const known = heights.get(child)
      if (known !== undefined) {
        if (stack.length + known > max) return "too deep"
        frame.height = Math.max(frame.height, known + 1)
        continue
      }
      if (stack.length >= max) return "too deep"
      onPath.add(child)
      stack.push({ node: child, children: Object.values(child), next: 0, height: 1 })
    } else {
      stack.pop()
      onPath.delete(frame.node)
      heights.set(frame.node, frame.height)
      const parent = stack[stack.length - 1]
      if (parent !== undefined) parent.height = Math.max(parent.height, frame.height + 1)
    }
  }
  return undefined
}

/**
 * Whether a value parsed from JSON nests more than `max` levels of arrays and objects. Such a
 * value is a tree (no shared or cyclic references), so the walk needs no bookkeeping beyond a
 * stack of what is left to visit: it is cheap enough for every response body. A decoded body
 * keeps parts of its input (metadata) as they are, and printing a value nested too deep
 * (`JSON.stringify`, `String`, a log line) overflows the stack, so every body is walked.
 *
 * @since 0.2.0
 * @internal
 */
export const jsonTooDeep = (value: unknown, max: number = maxDepth): boolean => {
  if (typeof value !== "object" || value === null) return false
  const values: Array<object> = [value]
  const depths: Array<number> = [1]
  while (values.length > 0) {
    const node = values.pop()!
    const depth = depths.pop()!
    if (depth > max) return true
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const child: unknown = node[i]
        if (typeof child === "object" && child !== null) {
          values.push(child)
          depths.push(depth + 1)
        }
      }
    } else {
      for (const key in node) {
        const child: unknown = (node as Record<string, unknown>)[key]
        if (typeof child === "object" && child !== null) {
          values.push(child)
          depths.push(depth + 1)
        }
      }
    }
  }
  return false
}
