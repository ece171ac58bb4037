import { z } from 'zod';

export const emailField = z
  .string({ error: 'Please enter your email address.' })
  .trim()
  .min(1, 'Please enter your email address.')
  .max(254, 'That email address is too long.')
  .pipe(z.email('That does not look like an email address. Please check it.'));

export const signInSchema = z.object({ email: emailField, redirectTo: z.string().optional() });

export const registerSchema = z.object({
  email: emailField,
  name: z
    .string({ error: 'Please enter your name.' })
    .trim()
    .min(1, 'Please enter your name.')
    .max(120, 'Your name is too long (at most 120 characters).'),
});
