import { z } from 'zod';
import { hasControlCharacters } from './fields.ts';

// Shared by the compose form (field limits) and the dashboard action (validation).
export const UPDATE_LIMITS = { title: 200, body: 20_000 } as const;

export const updateSchema = z.object({
  title: z
    .string({ error: 'Please give the update a title.' })
    .transform((v) => v.normalize('NFC').replace(/\s+/g, ' ').trim())
    .pipe(
      z
        .string()
        .min(1, 'Please give the update a title.')
        .max(UPDATE_LIMITS.title, `The title is too long (at most ${UPDATE_LIMITS.title} characters).`)
        .refine((v) => !hasControlCharacters(v), 'The title contains characters we cannot accept.'),
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
