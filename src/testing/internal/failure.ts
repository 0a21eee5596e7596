import * as Data from "effect/Data"

/** An error the fake answers with, as Omise would: status plus the `{object:"error",...}` fields. */
export class ApiFailure extends Data.TaggedError("ApiFailure")<{
  readonly status: number
  readonly code: string
  readonly message: string
}> {}

/** The `location` Omise puts in error bodies: its error docs anchor for the code. */
export const location = (code: string): string => `https://www.omise.co/api-errors#${code.replace(/_/g, "-")}`

export const body = (failure: { readonly code: string; readonly message: string }) => ({
  object: "error",
  location: location(failure.code),
  code: failure.code,
  message: failure.message
})

export const notFound = (kind: string, id: string): ApiFailure =>
  new ApiFailure({ status: 404, code: "not_found", message: `${kind} ${id} was not found` })

export const badRequest = (message: string, code: string = "bad_request"): ApiFailure =>
  new ApiFailure({ status: 400, code, message })

export const authenticationFailure: ApiFailure = new ApiFailure({
  status: 401,
  code: "authentication_failure",
  message: "authentication failed"
})
