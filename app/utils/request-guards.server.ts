import type { IncomingHttpHeaders } from 'node:http';

// Checks a request must pass before Remix sees it, so that a malformed request gets a clear 4xx
// saying nothing was saved, never a 500 (docs/decisions/006-security-headers-and-request-guards.md).
// server.ts runs them for every request that is not a static file: the method, the origin of a
// POST (the same rule as Remix's own check, which would otherwise throw a 500), the size (refused
// before reading), the content type and encoding, and whether the body can be read as a form.

/** The largest body a form may have. The biggest form (a campaign's statement) is far smaller. */
export const MAX_BODY_BYTES = 1024 * 1024;

export const ALLOWED_METHODS = ['GET', 'HEAD', 'POST'] as const;

export type Refusal = { status: 400 | 403 | 405 | 413 | 415; reason: string };

const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

/** The refusal for the request line and headers alone, before any of the body is read. */
export function checkHeaders(method: string, headers: IncomingHttpHeaders): Refusal | null {
  if (method === 'GET' || method === 'HEAD') return null;
  if (method !== 'POST') {
    return { status: 405, reason: 'This address does not accept that kind of request.' };
  }
  if (!sameOrigin(headers)) {
    return { status: 403, reason: 'The form was sent from another website, so it was refused.' };
  }
  const length = headers['content-length'];
  if (length !== undefined && (!/^\d+$/.test(length) || Number(length) > MAX_BODY_BYTES)) {
    return /^\d+$/.test(length)
      ? { status: 413, reason: 'What was sent is too large (the limit is 1 MB).' }
      : { status: 400, reason: 'The request could not be read.' };
  }
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    return { status: 415, reason: 'The form arrived compressed, which this site does not accept.' };
  }
  const type = mediaType(headers['content-type']);
  if (!type || !FORM_TYPES.has(type.essence)) {
    return { status: 415, reason: 'The form arrived in a format this page does not accept.' };
  }
  if (type.essence === 'multipart/form-data' && !type.params.get('boundary')) {
    return { status: 400, reason: 'The form arrived damaged and could not be read.' };
  }
  const charset = type.params.get('charset');
  if (charset && !/^utf-?8$/i.test(charset)) {
    return { status: 415, reason: 'The form arrived in a character set this site does not accept (only UTF-8).' };
  }
  return null;
}

/** The refusal for a body that was read in full (at most MAX_BODY_BYTES), or null if Remix can read it as a form. */
export async function checkBody(contentType: string | undefined, body: Buffer): Promise<Refusal | null> {
  if (mediaType(contentType)?.essence !== 'multipart/form-data') return null; // URL-encoded text always parses
  try {
    await new Response(new Uint8Array(body), { headers: { 'Content-Type': contentType! } }).formData();
    return null;
  } catch {
    return { status: 400, reason: 'The form arrived damaged and could not be read.' };
  }
}

export const TOO_LARGE: Refusal = { status: 413, reason: 'What was sent is too large (the limit is 1 MB).' };

/**
 * Remix refuses an action whose Origin header names another host than X-Forwarded-Host (first
 * value) or Host, by throwing, which becomes a 500. The same rule, answered 403 here. An Origin of
 * "null" or one that is not a URL is refused too (Remix would also fail on those).
 */
export function sameOrigin(headers: IncomingHttpHeaders): boolean {
  const origin = headers.origin;
  if (origin === undefined || origin === '') return true;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  if (!originHost) return false;
  const forwarded = headerValue(headers['x-forwarded-host'])?.split(',')[0]?.trim();
  const host = forwarded || headerValue(headers.host);
  return !!host && host === originHost;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function mediaType(header: string | undefined): { essence: string; params: Map<string, string> } | null {
  if (!header) return null;
  const [essence, ...rest] = header.split(';');
  const params = new Map<string, string>();
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return { essence: essence.trim().toLowerCase(), params };
}

/** What was not done, in the words of the page the form belongs to. */
export function notSavedMessage(pathname: string): string {
  const path = pathname.replace(/\.data$/, '');
  if (/^\/c\/[^/]+\/co-sign$/.test(path)) return 'Your co-signature was NOT recorded.';
  if (/^\/c\/[^/]+$/.test(path)) return 'Your signature was NOT recorded.';
  if (path === '/register') return 'You were NOT registered and no sign-in link was sent.';
  if (path === '/sign-in') return 'No sign-in link was sent.';
  if (/^\/sign-in\/[^/]+$/.test(path)) return 'You were NOT signed in.';
  if (path === '/sign-out') return 'You were NOT signed out.';
  if (/^\/confirm\//.test(path)) return 'Your signature was NOT confirmed.';
  if (/^\/remove\//.test(path)) return 'Your signature was NOT removed.';
  if (/^\/u\//.test(path)) return 'You were NOT unsubscribed.';
  if (/^\/partners\/verify\//.test(path)) return 'Your co-signature was NOT confirmed.';
  return 'Nothing was saved.';
}

/** The page a refusal links back to: the form's own page. */
export function backPath(pathname: string): string {
  const path = pathname.replace(/\.data$/, '');
  return path === '/_root' ? '/' : path || '/';
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A small page for a refused request: what was not done, why, and a link back to the form. */
export function refusalPage(pathname: string, refusal: Refusal): { html: string; text: string } {
  const notSaved = notSavedMessage(pathname);
  const back = backPath(pathname);
  const text = `${notSaved} ${refusal.reason} Please go back to the page and send the form again from there.`;
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(notSaved)} — Chorus</title></head>
<body><main role="alert"><h1>${escapeHtml(notSaved)}</h1>
<p>${escapeHtml(refusal.reason)}</p>
<p>Please go back to the page and send the form again from there: <a href="${escapeHtml(encodeURI(back))}">back to the form</a>.</p>
</main></body></html>
`;
  return { html, text };
}

/**
 * A Location header value that HTTP can carry: characters outside printable ASCII (Cyrillic in a
 * slug, spaces, control characters) percent-encoded, existing %XX escapes kept.
 */
export function encodeLocation(location: string): string {
  return location.replace(/%(?![0-9A-Fa-f]{2})|[^\x21-\x7E]/gu, (c) => {
    try {
      return encodeURIComponent(c);
    } catch {
      return '%EF%BF%BD'; // a lone surrogate: the replacement character
    }
  });
}
