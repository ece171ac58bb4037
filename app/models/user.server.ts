import { db } from '../utils/db.server.ts';
import { derivedToken, randomToken, sha256 } from '../utils/crypto.server.ts';
import { env } from '../utils/env.server.ts';
import { hitRateLimit } from '../utils/rate-limit.server.ts';
import { enqueueOrDefer, enqueueSignInLink } from '../queues.server.ts';
import { SESSION_DAYS } from '../utils/session.server.ts';

export const LOGIN_TOKEN_MINUTES = 15;

export function normalizeAccountEmail(email: string) {
  return email.trim().toLowerCase();
}

export function isPlatformAdmin(email: string) {
  return env().ADMIN_EMAILS.includes(normalizeAccountEmail(email));
}

/** Sign-in tokens are derived from their row id, so the worker can put the link in the email. */
export function loginTokenFor(loginTokenId: string) {
  return derivedToken('login', loginTokenId);
}

/**
 * Asks for a sign-in link for an address (creating its account first when registering). The
 * request does the same work whether or not the address has an account: the rate limits, one
 * token row holding the address, one job. The worker decides whether to send (only to an existing
 * account), so neither the answer nor its timing tells anyone who has an account.
 */
export async function requestSignInLink(input: { email: string; name?: string; register: boolean }, ip: string) {
  const email = normalizeAccountEmail(input.email);
  const [byEmail, byIp] = await Promise.all([
    hitRateLimit(`login-email:${sha256(email)}`, 5, 15 * 60),
    hitRateLimit(`login-ip:${sha256(ip)}`, 30, 3600),
  ]);
  if (!byEmail.allowed || !byIp.allowed) return { sent: false as const, reason: 'rate-limited' as const };

  if (input.register) {
    await db.user.upsert({ where: { email }, create: { email, name: input.name || null }, update: {}, select: { id: true } });
  }

  const row = await db.loginToken.create({
    data: { email, tokenHash: `pending-${randomToken(16)}`, expiresAt: new Date(Date.now() + LOGIN_TOKEN_MINUTES * 60_000) },
    select: { id: true },
  });
  await db.loginToken.update({ where: { id: row.id }, data: { tokenHash: sha256(loginTokenFor(row.id)) } });
  await enqueueOrDefer(`sign-in link ${row.id}`, () => enqueueSignInLink(row.id));
  return { sent: true as const, loginTokenId: row.id };
}

export function findLoginToken(token: string) {
  if (!token || token.length > 200) return Promise.resolve(null);
  return db.loginToken.findUnique({
    where: { tokenHash: sha256(token) },
    select: { id: true, expiresAt: true, usedAt: true, user: { select: { email: true } } },
  });
}

/** The address a usable sign-in link signs in as; null when the token was never linked to an account. */
export function signInEmailOf(token: { user: { email: string } | null }) {
  return token.user?.email ?? null;
}

export type ConsumeResult = { ok: true; sessionId: string; userId: string } | { ok: false; reason: 'invalid' | 'expired' | 'used' };

/** Single use: the update only succeeds for an unused, unexpired token, so two clicks cannot both sign in. */
export async function consumeLoginToken(token: string): Promise<ConsumeResult> {
  const found = await findLoginToken(token);
  // A token never linked to an account was never emailed: nobody can hold it.
  if (!found || !found.user) return { ok: false, reason: 'invalid' };
  if (found.usedAt) return { ok: false, reason: 'used' };
  if (found.expiresAt.getTime() < Date.now()) return { ok: false, reason: 'expired' };
  const now = new Date();
  const { count } = await db.loginToken.updateMany({
    where: { id: found.id, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (count !== 1) return { ok: false, reason: 'used' };
  const token_ = await db.loginToken.findUniqueOrThrow({ where: { id: found.id }, select: { userId: true } });
  const userId = token_.userId!;
  const sessionId = randomToken(32);
  await db.$transaction([
    db.session.create({
      data: { idHash: sha256(sessionId), userId, expiresAt: new Date(Date.now() + SESSION_DAYS * 86_400_000) },
    }),
    db.user.update({ where: { id: userId }, data: { lastSignedInAt: now } }),
  ]);
  return { ok: true, sessionId, userId };
}

export async function userForSession(sessionId: string) {
  const session = await db.session.findUnique({
    where: { idHash: sha256(sessionId) },
    select: { expiresAt: true, user: { select: { id: true, email: true, name: true } } },
  });
  if (!session || session.expiresAt.getTime() < Date.now()) return null;
  return { ...session.user, isAdmin: isPlatformAdmin(session.user.email) };
}

export type SessionUser = NonNullable<Awaited<ReturnType<typeof userForSession>>>;

export async function endSession(sessionId: string) {
  await db.session.deleteMany({ where: { idHash: sha256(sessionId) } });
}

/**
 * For the sign-in email (worker side): the account and link, or null once used, expired or already
 * sent. This is where a request meets the account: the token is linked to the account of its
 * address, or, when the address has none, retired (usedAt) so nothing is ever sent for it and the
 * reconciler stops offering it.
 */
export async function findOwedSignInLink(loginTokenId: string) {
  const row = await db.loginToken.findUnique({
    where: { id: loginTokenId },
    select: { id: true, email: true, sentAt: true, usedAt: true, expiresAt: true, user: { select: { id: true, email: true, name: true } } },
  });
  if (!row || row.sentAt || row.usedAt || row.expiresAt.getTime() < Date.now()) return null;
  let user = row.user;
  if (!user && row.email) {
    user = await db.user.findUnique({ where: { email: row.email }, select: { id: true, email: true, name: true } });
    if (user) await db.loginToken.updateMany({ where: { id: row.id, userId: null }, data: { userId: user.id } });
  }
  if (!user) {
    await db.loginToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: new Date() } });
    return null;
  }
  return { id: row.id, user };
}

export async function markSignInLinkSent(loginTokenId: string, at = new Date()) {
  await db.loginToken.updateMany({ where: { id: loginTokenId, sentAt: null }, data: { sentAt: at } });
}
