import { data, redirect } from '@remix-run/node';
import type { MemberRole } from '../generated/prisma/enums.ts';
import { findMembership, roleAtLeast } from '../models/membership.server.ts';
import { userForSession, type SessionUser } from '../models/user.server.ts';
import { readSessionId } from '../utils/session.server.ts';

// What a route checks before it acts: who is signed in, and what they may do. Guards sit between
// routes and models (they read sessions and memberships), so utils never import models.

export async function getUser(request: Request): Promise<SessionUser | null> {
  const sessionId = await readSessionId(request);
  return sessionId ? userForSession(sessionId) : null;
}

/** Signed-out visitors are sent to sign in, and brought back afterwards. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (user) return user;
  const url = new URL(request.url);
  throw redirect(`/sign-in?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

export async function requireAdmin(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!user.isAdmin) throw data({ message: 'We could not find that page.' }, { status: 404 });
  return user;
}

const ROLE_NAMES: Record<MemberRole, string> = { OWNER: 'owner', EDITOR: 'editor', VIEWER: 'viewer' };

/**
 * The gate for every organiser route: non-members get the same 404 as a campaign that does not
 * exist (so ids reveal nothing); members whose role is too low get a 403 that says why.
 */
export async function requireCampaignRole(request: Request, campaignId: string, required: MemberRole) {
  const user = await requireUser(request);
  const membership = await findMembership(user.id, campaignId);
  if (!membership) throw data({ message: 'We could not find that campaign.' }, { status: 404 });
  if (!roleAtLeast(membership.role, required)) {
    throw data(
      { message: `As ${ROLE_NAMES[membership.role]} of this campaign you cannot do this; ask one of its owners.` },
      { status: 403 },
    );
  }
  return { user, role: membership.role, campaign: membership.campaign };
}

/**
 * A safe place to go after signing in: only a path on this site. It must start with exactly one
 * `/`, hold no backslash, control character or line separator (browsers drop tabs and newlines
 * from URLs, so `/\t/evil.example` would become `//evil.example`), and resolve to this origin.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/dashboard') {
  if (typeof to !== 'string' || to.length > 2_000) return fallback;
  if (!to.startsWith('/') || to.startsWith('//') || /[\\\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(to)) return fallback;
  const base = 'http://chorus.invalid';
  try {
    const url = new URL(to, base);
    if (url.origin !== base || url.username || url.password) return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}
