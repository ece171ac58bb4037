import * as z from 'zod/mini';
import { emailAddressField } from './email.ts';
import { LINK_IN_NAME_MESSAGE, containsLink } from './links.ts';

export const emailField = emailAddressField('Please enter your email address.');

export const signInSchema = z.object({ email: emailField, redirectTo: z.optional(z.string()) });

export const registerSchema = z.object({
  email: emailField,
  name: z
    .string({ error: 'Please enter your name.' })
    .check(
      z.trim(),
      z.minLength(1, 'Please enter your name.'),
      z.maxLength(120, 'Your name is too long (at most 120 characters).'),
      // The sign-in email greets this name at an address not yet proven to be theirs: no links.
      z.refine((v) => !containsLink(v), LINK_IN_NAME_MESSAGE),
    ),
});
