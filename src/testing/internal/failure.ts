/**
 * The errors the fake answers with, in Omise's `{object:"error",...}` form.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"

/**
 * An error the fake answers with, as Omise would: status plus the `{object:"error",...}` fields.
 *
 * @since 0.1.0
 * @category errors
 */
export class ApiFailure extends Data.TaggedError("ApiFailure")<{
  readonly status: number
  readonly code: string
  readonly message: string
}> {}

/**
 * The `location` Omise puts in error bodies: its error docs anchor for the code.
 *
 * @since 0.1.0
 * @category errors
 */
export const location = (code: string): string => `https://www.omise.co/api-errors#${code.replace(/_/g, "-")}`

/**
 * The JSON body of an Omise error.
 *
 * @since 0.1.0
 * @category errors
 */
export const body = (failure: { readonly code: string; readonly message: string }) => ({
  object: "error",
  location: location(failure.code),
  code: failure.code,
  message: failure.message
})

/**
 * 404 `not_found`: `customer cust_x was not found`.
 *
 * @since 0.1.0
 * @category errors
 */
export const notFound = (kind: string, id: string): ApiFailure =>
  new ApiFailure({ status: 404, code: "not_found", message: `${kind} ${id} was not found` })

/**
 * A 400 with `code` (default `bad_request`).
 *
 * @since 0.1.0
 * @category errors
 */
export const badRequest = (message: string, code: string = "bad_request"): ApiFailure =>
  new ApiFailure({ status: 400, code, message })

/**
 * 401 `authentication_failure`, for a missing, malformed or wrong key.
 *
 * @since 0.1.0
 * @category errors
 */
export const authenticationFailure: ApiFailure = new ApiFailure({
  status: 401,
  code: "authentication_failure",
  message: "authentication failed"
})
