/**
 * The `message` of every member of the error union: one implementation, the exact texts.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Errors from "../src/OmiseError.js"

const response = {
  method: "PATCH",
  path: "/customers/cust_test_1",
  attempts: 3,
  mayHaveTakenEffect: true,
  status: 500,
  code: "internal_error",
  detail: "boom",
  requestId: "req-1"
}

describe("OmiseError messages", () => {
  it("every member says where, what, how many attempts, whether a write may have landed, and the request id", () => {
    const cases: ReadonlyArray<readonly [Error, string]> = [
      [
        new Errors.OmiseNotFoundError({ ...response, status: 404, code: "not_found", mayHaveTakenEffect: false }),
        "PATCH /customers/cust_test_1 HTTP 404 not_found: boom (after 3 attempts) [request id req-1]"
      ],
      [
        new Errors.OmiseAuthenticationError({ ...response, status: 401, attempts: 1, mayHaveTakenEffect: false }),
        "PATCH /customers/cust_test_1 HTTP 401 internal_error: boom [request id req-1]"
      ],
      [
        new Errors.OmiseInvalidRequestError(response),
        "PATCH /customers/cust_test_1 HTTP 500 internal_error: boom (after 3 attempts) (the request may have taken effect) [request id req-1]"
      ],
      [
        new Errors.OmiseRateLimitError({ ...response, status: 429, retryAfterMillis: 2000 }),
        "PATCH /customers/cust_test_1 HTTP 429 internal_error: boom (retry after 2000 ms) (after 3 attempts) (the request may have taken effect) [request id req-1]"
      ],
      [
        new Errors.OmiseServerError(response),
        "PATCH /customers/cust_test_1 HTTP 500 internal_error: boom (after 3 attempts) (the request may have taken effect) [request id req-1]"
      ],
      [
        new Errors.OmiseTransportError({ method: "GET", path: "/customers", detail: "socket hang up" }),
        "GET /customers: socket hang up"
      ],
      [
        new Errors.OmiseTimeoutError({
          method: "DELETE",
          path: "/customers/cust_test_1",
          attempts: 2,
          mayHaveTakenEffect: true,
          timeoutMillis: 1000,
          kind: "attempt"
        }),
        "DELETE /customers/cust_test_1: no response within the per-attempt timeout of 1000 ms (after 2 attempts) (the request may have taken effect)"
      ],
      [
        new Errors.OmiseTimeoutError({ method: "GET", path: "/customers", timeoutMillis: 5000, kind: "deadline" }),
        "GET /customers: the deadline of 5000 ms passed"
      ],
      [
        new Errors.OmiseDecodeError({
          method: "GET",
          path: "/customers",
          status: 200,
          detail: "the body is empty",
          body: ""
        }),
        "GET /customers HTTP 200: unexpected response: the body is empty"
      ],
      [
        new Errors.OmiseInvalidArgumentError({
          operation: "Customer.retrieve",
          argument: "id",
          detail: "Expected cust_"
        }),
        "Customer.retrieve: invalid id: Expected cust_"
      ]
    ]
    for (const [error, message] of cases) {
      assert.strictEqual(error.message, message)
      assert.include(String(error), message)
    }
  })

  it("the nine members share one `message` implementation", () => {
    const getters = new Set(
      Errors.OmiseError.members.map((member) => Object.getOwnPropertyDescriptor(member.prototype, "message")?.get)
    )
    assert.strictEqual(Errors.OmiseError.members.length, 9)
    assert.strictEqual(getters.size, 1)
    assert.isFunction([...getters][0])
  })
})
