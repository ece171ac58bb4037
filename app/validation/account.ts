import { z } from 'zod';
import { emailAddressField } from './email.ts';
import { LINK_IN_NAME_MESSAGE, containsLink } from './links.ts';

export const emailField = emailAddressField('Please enter your email address.');

export const signInSchema = z.object({ email: emailField, redirectTo: z.string().optional() });

export const registerSchema = z.object({
  email: emailField,
  name: z
    .string({ error: 'Please enter your name.' })
    .trim()
    .min(1, 'Please enter your name.')
    .max(120, 'Your name is too long (at most 120 characters).')
    // The sign-in email greets this name at an address not yet proven to be theirs: no links.
    .refine((v) => !containsLink(v), LINK_IN_NAME_MESSAGE),
});
