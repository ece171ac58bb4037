import * as z from 'zod/mini';

// The organisers' moderation of signatures: hiding a public comment and removing a signature, each with
// a reason. Shared by the signatures page (validation in the browser), its action and the models.

export const HIDE_REASON_MAX = 300;
export const REMOVAL_REASON_MAX = 500;

const signatureId = z.string().check(z.minLength(1), z.maxLength(100));

/** A reason that must be given, trimmed, of at most `max` characters. */
const reason = (missing: string, max: number) =>
  z.string({ error: missing }).check(z.trim(), z.minLength(1, missing), z.maxLength(max, `The reason is too long (at most ${max} characters).`));

export const hideCommentSchema = z.object({ signatureId, reason: reason('Please give a reason for hiding this comment.', HIDE_REASON_MAX) });
export const showCommentSchema = z.object({ signatureId });
export const removeSignatureSchema = z.object({ signatureId, reason: reason('Please give a reason for removing this signature.', REMOVAL_REASON_MAX) });
