// One way to read and validate a posted form, the same in the browser and on the server.
// Schemas are built with zod/mini, so what reaches the browser is a few kilobytes, not the whole library.
import * as z from 'zod/mini';
import type * as core from 'zod/v4/core';

/** The first message for each field, keyed by field name ("form" for errors about the whole form). */
export type FieldErrors = Partial<Record<string, string>>;

/** The submitted text of a form's fields, to show again with the errors. */
export type FormValues = Partial<Record<string, string>>;

export type FormResult<S extends core.$ZodType> =
  | { success: true; data: core.output<S>; values: FormValues }
  | { success: false; errors: FieldErrors; values: FormValues };

/** The field names a form schema reads: the keys of its object (also through a refinement or transform). */
export function formFields(schema: core.$ZodType): string[] {
  const def = schema._zod.def as { type: string; shape?: Record<string, unknown>; in?: core.$ZodType };
  if (def.type === 'object' && def.shape) return Object.keys(def.shape);
  if (def.type === 'pipe' && def.in) return formFields(def.in);
  throw new Error(`A form schema must be an object (got ${def.type}).`);
}

/**
 * The text of the schema's fields as the form sent them. A field the browser did not send (an unticked
 * checkbox) stays absent; each value is cut at `maxLength` so a huge post is neither parsed nor echoed.
 * Line breaks become LF: the browser posts CRLF but its `new FormData(form)` has LF, and a textarea's
 * maxlength counts a line break as one character, so lengths count the same everywhere.
 */
export function formInput(form: FormData, fields: readonly string[], maxLength = 60_000): FormValues {
  const values: FormValues = {};
  for (const key of fields) {
    const value = form.get(key);
    if (typeof value === 'string') values[key] = value.replace(/\r\n?/g, '\n').slice(0, maxLength);
  }
  return values;
}

/** Field errors keyed by field name, first message each, for re-rendering the form. */
export function fieldErrors(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form');
    if (!out[key]) out[key] = issue.message;
  }
  return out;
}

/** Validates submitted values with the form's schema: the parsed data, or the first message per field. */
export function validateValues<S extends core.$ZodType>(schema: S, values: FormValues): FormResult<S> {
  const parsed = z.safeParse(schema, values);
  return parsed.success ? { success: true, data: parsed.data, values } : { success: false, errors: fieldErrors(parsed.error), values };
}

/** Reads and validates a submitted form: what a route's action and the browser both call. */
export function validateForm<S extends core.$ZodType>(schema: S, form: FormData, maxLength?: number): FormResult<S> {
  return validateValues(schema, formInput(form, formFields(schema), maxLength));
}
