import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { env } from './env.server.ts';

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A keyed hash: without HASH_SECRET, the stored value cannot be reversed by guessing inputs. */
export function keyedHash(purpose: string, value: string): string {
  return createHmac('sha256', env().HASH_SECRET).update(`${purpose}:${value}`).digest('hex');
}

/**
 * Confirmation tokens are derived from the signature id, so a re-sent email carries the same link
 * and the token never has to be stored; only its sha256 is kept, for lookup.
 */
export function confirmationToken(signatureId: string): string {
  return createHmac('sha256', env().HASH_SECRET).update(`confirm:${signatureId}`).digest('base64url');
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
