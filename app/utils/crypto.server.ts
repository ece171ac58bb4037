import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { env } from './env.server.ts';

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function hmac(purpose: string, value: string) {
  return createHmac('sha256', env().HASH_SECRET).update(`${purpose}:${value}`);
}

/** A keyed hash: without HASH_SECRET, the stored value cannot be reversed by guessing inputs. */
export function keyedHash(purpose: string, value: string): string {
  return hmac(purpose, value).digest('hex');
}

/**
 * A token derived from a row id for one purpose ('confirm', 'login', 'unsubscribe', 'partner'):
 * nothing to store, a re-sent email carries the same link, and a token for one purpose is useless
 * for another.
 */
export function derivedToken(purpose: string, id: string): string {
  return hmac(purpose, id).digest('base64url');
}

/**
 * Confirmation tokens are derived from the signature id, so a re-sent email carries the same link
 * and the token never has to be stored; only its sha256 is kept, for lookup.
 */
export function confirmationToken(signatureId: string): string {
  return derivedToken('confirm', signatureId);
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
