/**
 * Every response body captured by the official clients that is a customer, card, schedule, list
 * or search decodes with the matching schema. The captures live beside the project (in
 * ../shared/fixtures, read-only reference data, not copied here); where they are absent the
 * suite is skipped, and test/fixtures/bodies.ts covers the same shapes from the facts.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { Card, DeletedCard } from "../src/Card.js"
import { Customer, DeletedCustomer } from "../src/Customer.js"
import { OmiseList } from "../src/OmiseList.js"
import { Schedule } from "../src/Schedule.js"
import { SearchResult } from "../src/Search.js"

const root = fileURLToPath(new URL("../../shared/fixtures", import.meta.url))

const walk = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : path.endsWith(".json") ? [path] : []
  })

const bodiesOf = (file: string): Array<unknown> => {
  const parsed: unknown = JSON.parse(readFileSync(file, "utf8"))
  // ExVCR cassettes hold request/response pairs with the body as a string.
  if (Array.isArray(parsed)) {
    return parsed.map((exchange: { response: { body: string } }) => JSON.parse(exchange.response.body))
  }
  return [parsed]
}

const itemSchema = (file: string, item: { object?: unknown } | undefined): Schema.Codec<unknown, unknown> =>
  item?.object === "customer"
    ? Customer
    : item?.object === "card"
      ? Card
      : item?.object === "schedule"
        ? Schedule
        : /cards/.test(file)
          ? Card
          : /schedules/.test(file)
            ? Schedule
            : /customer/.test(file)
              ? Customer
              : Schema.Unknown

const schemaFor = (file: string, body: Record<string, unknown>): Schema.Decoder<unknown> | undefined => {
  const deleted = body.deleted === true
  switch (body.object) {
    case "customer":
      return deleted ? DeletedCustomer : Customer
    case "card":
      return deleted ? DeletedCard : Card
    case "schedule":
      return Schedule
    case "list":
      return OmiseList(itemSchema(file, (body.data as Array<{ object?: unknown }>)[0]))
    case "search":
      return body.scope === "customer" ? SearchResult(Customer) : SearchResult(Schema.Unknown)
    default:
      return undefined
  }
}

describe.skipIf(!existsSync(root))("official captured fixtures", () => {
  const files = existsSync(root) ? walk(root) : []
  const cases = files.flatMap((file) =>
    bodiesOf(file).flatMap((body, index) => {
      const schema = schemaFor(file, body as Record<string, unknown>)
      return schema === undefined ? [] : [{ name: `${relative(root, file)}#${index}`, file, body, schema }]
    })
  )

  it("finds the captures", () => {
    assert.isAtLeast(cases.length, 25)
  })

  for (const { body, name, schema } of cases) {
    // omise-java's capture is hand-edited and mixes versions (see its README); it is still decoded.
    it(`${name} decodes`, () => {
      const result = Schema.decodeUnknownResult(schema)(body)
      assert.isTrue(Result.isSuccess(result), Result.isFailure(result) ? String(result.failure) : "")
    })
  }
})
