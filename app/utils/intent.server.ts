import { data } from '@remix-run/node';
import type * as core from 'zod/v4/core';
import { validateForm } from '../validation/forms.ts';
import { DomainError, type DomainErrorFields } from './domain-error.ts';

// One way for a page with several buttons to handle its posts: each button sends `intent`, the action
// hands the form to the handler of that name. What is refused is answered the same way everywhere: an
// unknown intent with 400 and a plain message, a DomainError from a model with its status and messages.

export const UNKNOWN_INTENT = 'That action is not known. Please use the buttons on this page.';

/** The posted `intent` ('' when missing or not text). */
export function intentOf(form: FormData): string {
  const intent = form.get('intent');
  return typeof intent === 'string' ? intent : '';
}

type Handler = (form: FormData, intent: string) => unknown;
type Fail<F> = (errors: DomainErrorFields, status: number) => F;

const failWithErrors = (errors: DomainErrorFields, status: number) => data({ errors }, { status });

/**
 * A handler that runs `next` with the fields of `schema` parsed from the form (`validateForm`), or answers
 * `invalid(errors, values)` with the first message per field and the text that was sent.
 */
export function withFields<S extends core.$ZodType, R, F>(
  schema: S,
  invalid: (errors: DomainErrorFields, values: Partial<Record<string, string>>) => F,
  next: (input: core.output<S>, form: FormData) => R,
) {
  return async (form: FormData): Promise<Awaited<R> | F> => {
    const parsed = validateForm(schema, form);
    return parsed.success ? await next(parsed.data, form) : invalid(parsed.errors, parsed.values);
  };
}

/**
 * Runs the handler named by the form's `intent`. `fail` says how this page shows errors (by default
 * `{ errors }`, which `FormError` and the fields read); it receives `{ form: UNKNOWN_INTENT }` with 400 for an
 * intent without a handler, and a DomainError's field messages with its status. Other errors (and thrown
 * responses) go on up.
 */
export async function dispatchIntent<H extends Record<string, Handler>, F = ReturnType<typeof failWithErrors>>(
  form: FormData,
  handlers: H,
  fail: Fail<F> = failWithErrors as Fail<F>,
): Promise<Awaited<ReturnType<H[keyof H]>> | F> {
  const intent = intentOf(form);
  if (!Object.hasOwn(handlers, intent)) return fail({ form: UNKNOWN_INTENT }, 400);
  try {
    return (await handlers[intent](form, intent)) as Awaited<ReturnType<H[keyof H]>>;
  } catch (error) {
    if (error instanceof DomainError) return fail(error.fieldErrors, error.status);
    throw error;
  }
}
