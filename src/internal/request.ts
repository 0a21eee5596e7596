/**
 * One request to the API, as an operation describes it to the transport.
 *
 * @since 0.2.0
 * @internal
 */

/**
 * One request to the API.
 *
 * @since 0.2.0
 * @internal
 */
export interface Request {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE"
  /** Path below the base URL, ids already validated and encoded. */
  readonly path: string
  readonly query?: ReadonlyArray<readonly [string, string]> | undefined
  /** Sent as JSON. */
  readonly body?: { readonly [key: string]: unknown } | undefined
  /** The operation it serves (`Customer.retrieve`), for metrics; default `METHOD other`. */
  readonly operation?: string | undefined
  /** The id of the object it concerns, recorded on the span as `omise.object_id`. */
  readonly objectId?: string | undefined
  /**
   * Whether sending it twice is harmless. Defaults to true for GET, PATCH and DELETE and false
   * for POST; a PATCH that attaches a card token must say false.
   */
  readonly replayable?: boolean | undefined
}

/**
 * Whether `request` may be sent again after an attempt whose outcome is unknown.
 *
 * @since 0.2.0
 * @internal
 */
export const isReplayable = (request: Request): boolean => request.replayable ?? request.method !== "POST"

/**
 * The operation name metrics are tagged with.
 *
 * @since 0.2.0
 * @internal
 */
export const operationOf = (request: Request): string => request.operation ?? `${request.method} other`
