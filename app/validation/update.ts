import { z } from 'zod';

// Shared by the compose form (field limits) and the dashboard action (validation).
export const UPDATE_LIMITS = { title: 200, body: 20_000 } as const;

// Control characters (and bidi overrides) have no place in a subject line.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export const updateSchema = z.object({
  title: z
    .string({ error: 'Please give the update a title.' })
    .transform((v) => v.normalize('NFC').replace(/\s+/g, ' ').trim())
    .pipe(
      z
        .string()
        .min(1, 'Please give the update a title.')
        .max(UPDATE_LIMITS.title, `The title is too long (at most ${UPDATE_LIMITS.title} characters).`)
        .refine((v) => !CONTROL.test(v), 'The title contains characters we cannot accept.'),
    ),
  body: z
    .string({ error: 'Please write the update.' })
    .transform((v) => v.normalize('NFC').replace(/\r\n?/g, '\n').trim())
    .pipe(
      z
        .string()
        .min(1, 'Please write the update.')
        .max(UPDATE_LIMITS.body, `The update is too long (at most ${UPDATE_LIMITS.body.toLocaleString('en')} characters).`),
    ),
});

export type UpdateInput = z.infer<typeof updateSchema>;
