import * as z from 'zod/mini';
import { hasControlCharacters, multiLine, oneLine } from './fields.ts';

// Shared by the compose form (field limits, validation in the browser) and the dashboard action (validation).
export const UPDATE_LIMITS = { title: 200, body: 20_000 } as const;

export const updateSchema = z.object({
  // Control characters (and bidi overrides) have no place in a subject line.
  title: z.pipe(
    z.pipe(z.string({ error: 'Please give the update a title.' }), z.transform(oneLine)),
    z.string().check(
      z.minLength(1, 'Please give the update a title.'),
      z.maxLength(UPDATE_LIMITS.title, `The title is too long (at most ${UPDATE_LIMITS.title} characters).`),
      z.refine((v) => !hasControlCharacters(v), 'The title contains characters we cannot accept.'),
    ),
  ),
  body: z.pipe(
    z.pipe(z.string({ error: 'Please write the update.' }), z.transform(multiLine)),
    z.string().check(
      z.minLength(1, 'Please write the update.'),
      z.maxLength(UPDATE_LIMITS.body, `The update is too long (at most ${UPDATE_LIMITS.body.toLocaleString('en')} characters).`),
    ),
  ),
});

export type UpdateInput = z.infer<typeof updateSchema>;
