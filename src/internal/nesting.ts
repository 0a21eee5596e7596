/**
 * A bound on how deeply a value nests, checked without recursion.
 *
 * Schema decoding, and the formatting of the values its errors quote, recurse once per level of
 * arrays and objects. A value nested thousands of levels deep (from a hostile server) or a cyclic
 * one (from a caller) would exhaust the stack there and surface as a defect instead of a typed
 * error, so such values are refused before any schema sees them.
 *
 * @since 0.1.0
 */
import type * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"

/**
 * The deepest nesting accepted. Omise bodies nest a handful of levels (a customer, its card
 * list, a card) and metadata a few more; nothing legitimate comes near this.
 *
 * @since 0.1.0
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

const boundedCache = new WeakMap<SchemaAST.AST, boolean>()

// A union member picked by a required literal field (a "sentinel"). Effect 4 looks such a field
// up in a map and never stringifies it (effect 3 did, recursing as deep as the value), so this is
// caution rather than necessity: a body for such a union is walked first.
const hasLiteralKey = (ast: SchemaAST.AST): boolean => {
  const encoded = SchemaAST.toEncoded(ast)
  switch (encoded._tag) {
    case "Objects":
      return encoded.propertySignatures.some((p) => !SchemaAST.isOptional(p.type) && SchemaAST.isLiteral(p.type))
    case "Arrays":
      return encoded.elements.some((e) => !SchemaAST.isOptional(e) && SchemaAST.isLiteral(e))
    case "Suspend":
      return true
    default:
      return false
  }
}

/**
 * Whether decoding with `schema` can only recurse as deep as the schema itself, whatever the
 * value: true unless it contains `Schema.suspend` (the only way to declare a recursive schema) or
 * a union told apart by a literal field (see `hasLiteralKey`). Every node is followed through its
 * encoding links too. Declarations are taken to check their own value without descending into
 * it, as the built-in ones (classes, dates) and this library's own do. A body decoded with such
 * a schema needs no depth walk before decoding; only formatting an error, which quotes values,
 * still does. When unsure the answer is false, which only costs a walk.
 *
 * @since 0.1.0
 */
export const decodesAtBoundedDepth = (schema: Schema.Top): boolean => {
  const ast = schema.ast
  const cached = boundedCache.get(ast)
  if (cached !== undefined) return cached
  const seen = new Set<SchemaAST.AST>()
  const bounded = (node: SchemaAST.AST): boolean => {
    if (seen.has(node)) return true
    seen.add(node)
    if (node.encoding !== undefined && !node.encoding.every((link) => bounded(link.to))) return false
    switch (node._tag) {
      case "Suspend":
        return false
      case "Declaration":
        return node.typeParameters.every(bounded)
      case "Arrays":
        return node.elements.every(bounded) && node.rest.every(bounded)
      case "Objects":
        return (
          node.propertySignatures.every((property) => bounded(property.type)) &&
          node.indexSignatures.every((index) => bounded(index.parameter) && bounded(index.type))
        )
      case "Union":
        return !node.types.some(hasLiteralKey) && node.types.every(bounded)
      default:
        return true
    }
  }
  const result = bounded(ast)
  boundedCache.set(ast, result)
  return result
}
