import { createCookie } from '@remix-run/node';
import { env } from './env.server.ts';

export const SESSION_DAYS = 30;

let cookie: ReturnType<typeof createCookie> | undefined;

/** Signed, HttpOnly, SameSite=Lax; Secure whenever the site is served over https. */
export function sessionCookie() {
  const config = env();
  return (cookie ??= createCookie('chorus_session', {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.PUBLIC_URL.startsWith('https://'),
    path: '/',
    maxAge: SESSION_DAYS * 24 * 3600,
    secrets: [config.SESSION_SECRET],
  }));
}

export async function readSessionId(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get('Cookie'));
  return typeof value === 'string' && value.length > 10 ? value : null;
}

export function serializeSessionId(sessionId: string) {
  return sessionCookie().serialize(sessionId);
}

export function clearSessionCookie() {
  return sessionCookie().serialize('', { maxAge: 0 });
}
