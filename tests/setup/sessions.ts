import { db } from '../../app/utils/db.server.ts';
import { consumeLoginToken, loginTokenFor } from '../../app/models/user.server.ts';
import { sha256 } from '../../app/utils/crypto.server.ts';
import { serializeSessionId } from '../../app/utils/session.server.ts';

/**
 * A `Cookie` header for a signed-in user, made the way the emailed link does it: a login token
 * consumed into a session. The app processes share SESSION_SECRET with the test process.
 */
export async function sessionCookieFor(userId: string): Promise<string> {
  // sentAt is set so the reconciler never owes this token a sign-in email.
  const login = await db.loginToken.create({
    data: { userId, tokenHash: `pending-${userId}-${Date.now()}-${Math.random()}`, expiresAt: new Date(Date.now() + 60_000), sentAt: new Date() },
  });
  await db.loginToken.update({ where: { id: login.id }, data: { tokenHash: sha256(loginTokenFor(login.id)) } });
  const session = await consumeLoginToken(loginTokenFor(login.id));
  if (!session.ok) throw new Error(`Could not sign the user in: ${session.reason}`);
  return (await serializeSessionId(session.sessionId)).split(';')[0];
}

/** The same session as a Playwright cookie for the app at `baseUrl`, for context.addCookies(). */
export async function browserSessionCookieFor(userId: string, baseUrl: string): Promise<{ name: string; value: string; url: string }> {
  const pair = await sessionCookieFor(userId);
  const eq = pair.indexOf('=');
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), url: baseUrl };
}
