/**
 * The examples in the JSDoc are what the editor shows on hover, so they must be right: every
 * public operation, stream, layer and policy has an `@example`, and every ```ts block of every
 * `@example` in src/ type-checks as a module of its own against the package (imported by name, as
 * a user would), under the repository's compiler options. The blocks are type-checked in memory:
 * nothing is written to disk.
 */
import { assert, describe, it } from "@effect/vitest"
import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"

const root = fileURLToPath(new URL("..", import.meta.url))
const src = join(root, "src")

/** The public modules: src/ except internal folders and the bin. */
const publicModules = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === "internal" ? [] : publicModules(path)
    return entry.name.endsWith(".ts") && entry.name !== "bin.ts" && entry.name !== "index.ts" ? [path] : []
  })

interface Documented {
  readonly module: string // e.g. "Customer", "testing/OmiseFake"
  readonly name: string
  readonly category: string | undefined
  readonly examples: ReadonlyArray<string> // the ```ts blocks of its @example tags
  readonly fenceless: boolean // an @example without a ```ts block
}

const tagText = (tag: ts.JSDocTag): string =>
  typeof tag.comment === "string" ? tag.comment : (tag.comment ?? []).map((part) => part.text).join("")

/** The exported values of a module with their JSDoc. */
const exportsOf = (file: string): Array<Documented> => {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true)
  const module = relative(src, file).replace(/\.ts$/, "")
  const out: Array<Documented> = []
  const add = (node: ts.Node, name: string) => {
    const tags = ts.getJSDocTags(node)
    const examples = tags.filter((tag) => tag.tagName.text === "example").map(tagText)
    const blocks = examples.flatMap((text) => [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!))
    out.push({
      module,
      name,
      category:
        tags.find((tag) => tag.tagName.text === "category") &&
        tagText(tags.find((tag) => tag.tagName.text === "category")!).trim(),
      examples: blocks,
      fenceless: examples.some((text) => !/```ts\n/.test(text))
    })
  }
  for (const statement of source.statements) {
    const exported =
      ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
    if (!exported) continue
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations)
        add(declaration, declaration.name.getText(source))
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
      add(statement, statement.name.text)
    }
  }
  return out
}

const all = publicModules(src).flatMap(exportsOf)

/**
 * Operations, streams and layers anywhere; in Policy, every policy and combinator. (`OmiseList.stream`
 * and `Search.stream`, category "streaming", build a stream from an operation declared inside the
 * package: a user calls the streams they build, which are here as "streams".)
 */
const required = (doc: Documented): boolean =>
  ["operations", "streams", "layers"].includes(doc.category ?? "") ||
  (doc.module === "Policy" && ["constructors", "combinators"].includes(doc.category ?? ""))

describe("JSDoc examples", () => {
  it("every public operation, stream, layer and policy has an @example with a ```ts block", () => {
    const wanted = all.filter(required)
    // The rule must keep finding what it is about, whatever the modules are called by then.
    assert.isAtLeast(wanted.filter((doc) => doc.category === "operations").length, 11)
    assert.isAtLeast(wanted.filter((doc) => doc.category === "layers").length, 3)
    const missing = wanted.filter((doc) => doc.examples.length === 0).map((doc) => `${doc.module}.${doc.name}`)
    assert.deepStrictEqual(missing, [])
    const fenceless = all.filter((doc) => doc.fenceless).map((doc) => `${doc.module}.${doc.name}`)
    assert.deepStrictEqual(fenceless, [])
  })

  it("every @example type-checks", { timeout: 120_000 }, () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      join(root, "tsconfig.json"),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => assert.fail(String(diagnostic.messageText))
      }
    )!
    // A snippet names values to show them, not to use them.
    const options: ts.CompilerOptions = {
      ...config.options,
      noUnusedLocals: false,
      noUnusedParameters: false,
      noEmit: true
    }
    // Each block a module of its own, beside the tests (so that node_modules resolves as for them).
    const snippets = new Map<string, { readonly text: string; readonly from: string }>()
    for (const doc of all) {
      doc.examples.forEach((text, index) => {
        const path = join(root, "test", "__jsdoc__", `${doc.module.replace("/", "_")}.${doc.name}.${index}.ts`)
        snippets.set(path, { text: `${text}\nexport {}\n`, from: `${doc.module}.${doc.name} (@example ${index + 1})` })
      })
    }
    assert.isAtLeast(snippets.size, all.filter(required).length)
    const host = ts.createCompilerHost(options)
    const { fileExists, getSourceFile, readFile } = host
    host.fileExists = (path) => snippets.has(path) || fileExists.call(host, path)
    host.readFile = (path) => snippets.get(path)?.text ?? readFile.call(host, path)
    host.getSourceFile = (path, language, ...rest) => {
      const snippet = snippets.get(path)
      return snippet === undefined
        ? getSourceFile.call(host, path, language, ...rest)
        : ts.createSourceFile(path, snippet.text, language, true)
    }
    const program = ts.createProgram([...snippets.keys()], options, host)
    // Only the snippets' own diagnostics: src is type-checked by `npm run check`.
    const errors = [...snippets.keys()]
      .flatMap((path) => {
        const file = program.getSourceFile(path)!
        return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]
      })
      .map((diagnostic) => {
        const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
        const snippet = snippets.get(diagnostic.file!.fileName)!
        return `${snippet.from}, line ${line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`
      })
    assert.deepStrictEqual(errors, [])
  })
})
