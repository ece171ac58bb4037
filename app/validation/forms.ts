import type { z } from 'zod';

// What every form's action does with a failed parse.

/** Field errors keyed by field name, first message each, for re-rendering the form. */
export function fieldErrors(error: z.ZodError): Partial<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'form');
    if (!out[key]) out[key] = issue.message;
  }
  return out;
}
