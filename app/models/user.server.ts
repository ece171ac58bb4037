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
 * Sends a sign-in link if the address has an account (or creates one when registering).
 * The caller shows the same answer in every case, so nobody learns who has an account.
 */
export async function requestSignInLink(input: { email: string; name?: string; register: boolean }, ip: string) {
  const email = normalizeAccountEmail(input.email);
  const [byEmail, byIp] = await Promise.all([
    hitRateLimit(`login-email:${sha256(email)}`, 5, 15 * 60),
    hitRateLimit(`login-ip:${sha256(ip)}`, 30, 3600),
  ]);
  if (!byEmail.allowed || !byIp.allowed) return { sent: false as const, reason: 'rate-limited' as const };

  let user = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (!user && input.register) {
    user = await db.user.upsert({ where: { email }, create: { email, name: input.name || null }, update: {}, select: { id: true } });
  }
  if (!user) return { sent: false as const, reason: 'no-account' as const };

  const row = await db.loginToken.create({
    data: { userId: user.id, tokenHash: 'pending', expiresAt: new Date(Date.now() + LOGIN_TOKEN_MINUTES * 60_000) },
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

export type ConsumeResult = { ok: true; sessionId: string; userId: string } | { ok: false; reason: 'invalid' | 'expired' | 'used' };

/** Single use: the update only succeeds for an unused, unexpired token, so two clicks cannot both sign in. */
export async function consumeLoginToken(token: string): Promise<ConsumeResult> {
  const found = await findLoginToken(token);
  if (!found) return { ok: false, reason: 'invalid' };
  if (found.usedAt) return { ok: false, reason: 'used' };
  if (found.expiresAt.getTime() < Date.now()) return { ok: false, reason: 'expired' };
  const now = new Date();
  const { count } = await db.loginToken.updateMany({
    where: { id: found.id, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (count !== 1) return { ok: false, reason: 'used' };
  const token_ = await db.loginToken.findUniqueOrThrow({ where: { id: found.id }, select: { userId: true } });
  const sessionId = randomToken(32);
  await db.$transaction([
    db.session.create({
      data: { idHash: sha256(sessionId), userId: token_.userId, expiresAt: new Date(Date.now() + SESSION_DAYS * 86_400_000) },
    }),
    db.user.update({ where: { id: token_.userId }, data: { lastSignedInAt: now } }),
  ]);
  return { ok: true, sessionId, userId: token_.userId };
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

/** For the sign-in email: the address and link, or null once used, expired or already sent. */
export async function findOwedSignInLink(loginTokenId: string) {
  const row = await db.loginToken.findUnique({
    where: { id: loginTokenId },
    select: { id: true, sentAt: true, usedAt: true, expiresAt: true, user: { select: { email: true, name: true } } },
  });
  if (!row || row.sentAt || row.usedAt || row.expiresAt.getTime() < Date.now()) return null;
  return row;
}

export async function markSignInLinkSent(loginTokenId: string, at = new Date()) {
  await db.loginToken.updateMany({ where: { id: loginTokenId, sentAt: null }, data: { sentAt: at } });
}
