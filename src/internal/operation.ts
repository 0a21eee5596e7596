/**
 * Operations as declarations: an operation states its arguments (name and schema), the request
 * it makes from them once validated, the schema of its success and any recovery. Everything else
 * follows from that: validation before any request, the span named after the operation, the
 * `operation` attribute of its metrics, and its typed public signature (parameter names included:
 * they are those of the `request` function).
 *
 * @since 0.2.0
 * @internal
 */
import * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { OmiseClient } from "../OmiseClient.js"
import type { OmiseError, OmiseInvalidArgumentError } from "../OmiseError.js"
import { validate } from "./arguments.js"
import { type Answer, Answered } from "./execute.js"
import * as Paging from "./paging.js"
import type { Request } from "./request.js"

/**
 * One argument of an operation: its name (as `OmiseInvalidArgumentError.argument` reports it),
 * its schema, and whether it may be left out (it then defaults to `{}`).
 *
 * @since 0.2.0
 * @internal
 */
export interface Arg<S extends Schema.Top = Schema.Top, Optional extends boolean = boolean> {
  readonly name: string
  readonly schema: S
  readonly optional: Optional
}

/**
 * A required argument.
 *
 * @since 0.2.0
 * @internal
 */
export const arg = <S extends Schema.Top>(name: string, schema: S): Arg<S, false> => ({
  name,
  schema,
  optional: false
})

/**
 * An argument that may be left out; absent, it is `{}` (parameters whose every field is optional).
 *
 * @since 0.2.0
 * @internal
 */
export const optional = <S extends Schema.Top>(name: string, schema: S): Arg<S, true> => ({
  name,
  schema,
  optional: true
})

/**
 * The arguments as the request receives them: validated and decoded.
 *
 * @since 0.2.0
 * @internal
 */
export type Decoded<Args extends ReadonlyArray<Arg>> = { readonly [K in keyof Args]: Args[K]["schema"]["Type"] }

type Input<X> = X extends Arg<infer S> ? S["Encoded"] : never

type InputsOf<P extends ReadonlyArray<unknown>, Args extends ReadonlyArray<Arg>, Extra = unknown> = {
  [K in keyof P]: K extends keyof Args ? Input<Args[K]> & Extra : never
}

/**
 * The public parameters: what a caller passes (each schema's encoded side), named after the
 * parameters of the `request` function, the last one optional when its argument is (and, for a
 * stream over the operation, with `Extra` added to it).
 *
 * @since 0.2.0
 * @internal
 */
export type Inputs<P extends ReadonlyArray<unknown>, Args extends ReadonlyArray<Arg>, Extra = unknown> = Extract<
  P["length"] extends Args["length"]
    ? Args extends readonly [...infer Init extends ReadonlyArray<Arg>, Arg<Schema.Top, true>]
      ? P extends readonly [...infer PInit, unknown]
        ? P extends readonly [...PInit, ...infer PLast]
          ? [...InputsOf<PInit, Init>, ...Partial<InputsOf<PLast, readonly [Args[Init["length"]]], Extra>>]
          : never
        : never
      : InputsOf<P, Args>
    : never,
  ReadonlyArray<unknown>
>

/**
 * The request an operation makes; its `operation` is filled in from the declaration.
 *
 * @since 0.2.0
 * @internal
 */
export type RequestOf = Omit<Request, "operation">

/**
 * What an operation states.
 *
 * @since 0.2.0
 * @internal
 */
export interface Declaration<Args extends ReadonlyArray<Arg>, P extends Decoded<Args>, A> {
  readonly args: Args
  /** The request, from the validated arguments. Its parameter names are the public ones. */
  readonly request: (...args: P) => RequestOf
  readonly success: Schema.Decoder<A>
  /** What a failure may still mean (see {@link goneAfterUncertainDelete}). */
  recover?(error: OmiseError, ...args: Decoded<Args>): Effect.Effect<A, OmiseError>
}

/**
 * An operation: its declaration, named, and what follows from it.
 *
 * @since 0.2.0
 * @internal
 */
export interface Operation<Args extends ReadonlyArray<Arg>, P extends Decoded<Args>, A> extends Declaration<
  Args,
  P,
  A
> {
  /** `Resource.operation`: the span, the metrics' `operation`, the errors' `operation`. */
  readonly name: string
  /** The public function: arguments validated before any request, all of it in the span. */
  readonly call: (...inputs: Inputs<P, Args>) => Effect.Effect<A, OmiseError, OmiseClient>
  /** The request in its span, for arguments already validated (the pages of a stream). */
  readonly run: (...args: Decoded<Args>) => Effect.Effect<A, OmiseError, OmiseClient>
  /** The validator of the arguments as `operation` reports them (a stream over this operation). */
  readonly validator: (
    operation: string
  ) => (inputs: ReadonlyArray<unknown>) => Effect.Effect<Decoded<Args>, OmiseInvalidArgumentError>
}

const validator =
  (args: ReadonlyArray<Arg>) =>
  <P>(operation: string): ((inputs: ReadonlyArray<unknown>) => Effect.Effect<P, OmiseInvalidArgumentError>) => {
    const checks = args.map((a) => {
      const check = validate(operation, a.name, a.schema as Schema.Decoder<unknown>)
      return a.optional ? (input: unknown) => check(input === undefined ? {} : input) : check
    })
    // The checks decode each argument to its schema's type, in order: that is `P`.
    return (inputs) =>
      Effect.forEach(checks, (check, i) => check(inputs[i])) as Effect.Effect<P, OmiseInvalidArgumentError>
  }

/**
 * States an operation; {@link make} names it.
 *
 * @since 0.2.0
 * @internal
 */
export const declare = <const Args extends ReadonlyArray<Arg>, P extends Decoded<Args>, A>(
  declaration: Declaration<Args, P, A>
): Declaration<Args, P, A> => declaration

/**
 * Builds the operation `name` from its declaration; validators are built here, once.
 *
 * @since 0.2.0
 * @internal
 */
export const make = <Args extends ReadonlyArray<Arg>, P extends Decoded<Args>, A>(
  name: string,
  declaration: Declaration<Args, P, A>
): Operation<Args, P, A> => {
  const { recover, request, success } = declaration
  const validatorFor = validator(declaration.args)
  const execute = (args: Decoded<Args>): Effect.Effect<A, OmiseError, OmiseClient> => {
    // `Decoded<Args>` is what `P` was declared from.
    const made = OmiseClient.use((client) =>
      client.execute({ ...request(...(args as unknown as P)), operation: name }, success)
    )
    return recover === undefined ? made : Effect.catch(made, (error) => recover(error, ...args))
  }
  const validateArgs = validatorFor<Decoded<Args>>(name)
  const call = Effect.fn(name)(function* (...inputs: ReadonlyArray<unknown>) {
    return yield* execute(yield* validateArgs(inputs))
  })
  return {
    ...declaration,
    name,
    call,
    run: (...args) => Effect.withSpan(execute(args), name),
    validator: (operation) => validatorFor<Decoded<Args>>(operation)
  }
}

/**
 * A resource's operations from their declarations, each named `Resource.key`.
 *
 * @since 0.2.0
 * @internal
 */
export const table = <T extends Record<string, { readonly args: ReadonlyArray<Arg> }>>(
  resource: string,
  declarations: T
): {
  readonly [K in keyof T]: T[K] extends Declaration<infer Args, infer P, infer A> ? Operation<Args, P, A> : never
} =>
  Object.fromEntries(
    Object.entries(declarations).map(([key, declaration]) => [
      key,
      // Every entry is a `Declaration` (the mapped type says which).
      make(`${resource}.${key}`, declaration as Declaration<ReadonlyArray<Arg>, never, unknown>)
    ])
  ) as never

/**
 * The recovery of a DELETE: a 404 after an attempt that may have reached Omise means that
 * attempt deleted the object, so the deletion is reported as done (`deleted` builds what the API
 * would have answered); a 404 otherwise stays an error.
 *
 * @since 0.2.0
 * @internal
 */
export const goneAfterUncertainDelete =
  <P extends ReadonlyArray<unknown>, A>(deleted: (...args: P) => A) =>
  (error: OmiseError, ...args: P): Effect.Effect<A, OmiseError> =>
    error._tag === "OmiseNotFoundError" && error.mayHaveTakenEffect
      ? Effect.succeed(deleted(...args))
      : Effect.fail(error)

/**
 * An operation whose last argument is its paging parameters, of type `Params`.
 *
 * @since 0.2.0
 * @internal
 */
export type Paged<Args extends ReadonlyArray<Arg>, P extends Decoded<Args>, Page, Params> = Operation<Args, P, Page> & {
  readonly args: readonly [...ReadonlyArray<Arg>, Arg<Schema.Top & { readonly Type: Params }, true>]
}

// The page with the attempts and request id of the call that got it.
const answered = <Page>(
  call: Effect.Effect<Page, OmiseError, OmiseClient>
): Effect.Effect<Paging.Answered<Page>, OmiseError, OmiseClient> =>
  Effect.suspend(() => {
    let answer: Answer | undefined
    return Effect.map(
      Effect.provideService(call, Answered, (told) => {
        answer = told
      }),
      (value) => ({ value, answer })
    )
  })

/**
 * A stream over a paged operation: the caller passes the operation's arguments (the last one with
 * `concurrency` added), all validated before any request, as `name` reports them; `pages` walks
 * the pages from the validated parameters, asking for each with the other arguments fixed
 * (`requestAt` is the method and path of such a request, and each page comes with how its
 * request went, for the errors the walk reports itself).
 *
 * @since 0.2.0
 * @internal
 */
export const stream = <Args extends ReadonlyArray<Arg>, P extends Decoded<Args>, Page, Params, A>(
  name: string,
  operation: Paged<Args, P, Page, Params>,
  pages: (
    params: Params,
    concurrency: number,
    pageAt: (params: Params) => Effect.Effect<Paging.Answered<Page>, OmiseError, OmiseClient>,
    requestAt: (params: Params) => { readonly method: string; readonly path: string }
  ) => Stream.Stream<A, OmiseError, OmiseClient>
): ((...inputs: Inputs<P, Args, Paging.StreamOptions>) => Stream.Stream<A, OmiseError, OmiseClient>) => {
  const validateArgs = operation.validator(name)
  const options = Paging.streamOptions(name)
  const last = operation.args.length - 1
  return (...inputs) => {
    // Inside the stream, so that nothing is read from the arguments before it runs.
    const valid = Effect.suspend(() => {
      const [params, streamOptions] = options.split(inputs[last])
      return Effect.flatMap(validateArgs([...inputs.slice(0, last), params]), (args) =>
        Effect.map(options.concurrency(streamOptions), (concurrency) => {
          const fixed = args.slice(0, last)
          // The arguments before the last, then paging parameters: `Decoded<Args>` (see `Paged`).
          const argsAt = (page: Params) => [...fixed, page] as unknown as Decoded<Args>
          const pageAt = (page: Params) => answered(operation.run(...argsAt(page)))
          // `Decoded<Args>` is what `P` was declared from (see `make`).
          const requestAt = (page: Params) => operation.request(...(argsAt(page) as unknown as P))
          return pages(args[last] as Params, concurrency, pageAt, requestAt)
        })
      )
    })
    return Stream.unwrap(valid)
  }
}
