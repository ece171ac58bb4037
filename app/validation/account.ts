import * as z from 'zod/mini';

export const emailField = z.pipe(
  z
    .string({ error: 'Please enter your email address.' })
    .check(z.trim(), z.minLength(1, 'Please enter your email address.'), z.maxLength(254, 'That email address is too long.')),
  z.email('That does not look like an email address. Please check it.'),
);

export const signInSchema = z.object({ email: emailField, redirectTo: z.optional(z.string()) });

export const registerSchema = z.object({
  email: emailField,
  name: z
    .string({ error: 'Please enter your name.' })
    .check(z.trim(), z.minLength(1, 'Please enter your name.'), z.maxLength(120, 'Your name is too long (at most 120 characters).')),
});
