import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startApp } from '../setup/app-processes.ts';
import { addMember, createCampaign, createUser } from '../setup/factories.ts';
import { browserSessionCookieFor, sessionCookieFor } from '../setup/sessions.ts';
import { useBrowserApp, waitForHydration } from './support.ts';

// The security headers on pages, data requests and static assets, the nonce-based
// Content-Security-Policy in a real browser, and no-store on private pages.
const e2e = useBrowserApp();
const DEMO = '/c/stop-prosecuting-activists-for-facebook-posts';

function directives(csp: string | null): Map<string, string> {
  expect(csp, 'a Content-Security-Policy header').toBeTruthy();
  return new Map(csp!.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values.join(' ')]));
}

function expectCommonHeaders(headers: Headers, what: string) {
  const csp = directives(headers.get('content-security-policy'));
  expect(csp.get('frame-ancestors'), what).toBe("'none'");
  expect(csp.get('object-src'), what).toBe("'none'");
  expect(csp.get('base-uri'), what).toBe("'none'");
  expect(csp.get('script-src'), what).toMatch(/^'self' 'nonce-[A-Za-z0-9+/=]{20,}'$/);
  expect(csp.get('script-src'), what).not.toContain('unsafe');
  expect(headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(headers.get('referrer-policy'), what).toBe('strict-origin-when-cross-origin');
  expect(headers.get('cross-origin-opener-policy'), what).toBe('same-origin');
  expect(headers.get('permissions-policy'), what).toMatch(/camera=\(\).*microphone=\(\).*geolocation=\(\)|camera=\(\)/);
  expect(headers.get('permissions-policy'), what).toContain('geolocation=()');
  expect(headers.get('x-frame-options'), what).toBe('DENY');
  // PUBLIC_URL is http here.
  expect(headers.get('strict-transport-security'), what).toBeNull();
}

/** Records every CSP violation the page reports, from before its first script runs. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) fromConsole.push(m.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return async () => [...fromConsole, ...(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations))];
}

describe('security headers', () => {
  it('sends the headers on a document, with a fresh nonce that every inline script carries', async () => {
    const first = await fetch(`${e2e.app.baseUrl}${DEMO}`);
    const html = await first.text();
    expect(first.status).toBe(200);
    expectCommonHeaders(first.headers, 'campaign page');
    const nonce = directives(first.headers.get('content-security-policy')).get('script-src')!.match(/'nonce-([^']+)'/)![1];
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts) {
      if (/\bsrc=/.test(attributes)) continue;
      expect(attributes, 'an inline script without the nonce').toContain(`nonce="${nonce}"`);
    }
    const second = await fetch(`${e2e.app.baseUrl}${DEMO}`);
    await second.text();
    expect(second.headers.get('content-security-policy')).not.toContain(nonce);
    // Public pages may be cached; they are not marked private.
    expect(first.headers.get('cache-control') ?? '').not.toContain('no-store');
  });

  it('sends the same headers on static assets and on data requests', async () => {
    const html = await (await fetch(`${e2e.app.baseUrl}${DEMO}`)).text();
    const asset = html.match(/\/build\/[^"']+\.(?:js|css)/)?.[0];
    expect(asset, 'a built asset linked from the page').toBeTruthy();
    const res = await fetch(`${e2e.app.baseUrl}${asset}`);
    await res.arrayBuffer();
    expect(res.status).toBe(200);
    expectCommonHeaders(res.headers, asset!);
    expect(res.headers.get('cache-control')).toContain('immutable');

    const data = await fetch(`${e2e.app.baseUrl}${DEMO}.data`);
    await data.arrayBuffer();
    expect(data.status).toBe(200);
    expectCommonHeaders(data.headers, 'single-fetch data request');
  });

  it('hydrates public and organiser pages in Chromium with no CSP violation', async () => {
    const context = await e2e.newContext();
    const page = await context.newPage();
    const violations = await watchViolations(page);

    await page.goto(`${e2e.app.baseUrl}${DEMO}`);
    await waitForHydration(page);
    // A client-side navigation (a single-fetch data request and a lazily loaded route module).
    await page.getByRole('link', { name: 'Organiser sign-in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill('not-an-address');
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    // Shown by the browser-side validation, which only runs if the scripts were allowed.
    await page.getByText(/does not look like an email address/).waitFor();
    expect(await violations()).toEqual([]);

    const user = await createUser();
    const campaign = await createCampaign();
    await addMember(campaign.id, user.id, 'OWNER');
    await context.addCookies([await browserSessionCookieFor(user.id, e2e.app.baseUrl)]);
    await page.goto(`${e2e.app.baseUrl}/dashboard/c/${campaign.id}`);
    await waitForHydration(page);
    await page.getByRole('link', { name: 'Signatures' }).first().click();
    await page.waitForURL(`**/dashboard/c/${campaign.id}/signatures`);
    expect(await violations()).toEqual([]);
    await context.close();
  });

  it('marks organiser pages and pages carrying personal tokens private, no-store', async () => {
    const user = await createUser();
    const campaign = await createCampaign();
    await addMember(campaign.id, user.id, 'OWNER');
    const cookie = await sessionCookieFor(user.id);
    const privatePaths = [
      '/dashboard',
      `/dashboard/c/${campaign.id}`,
      `/dashboard/c/${campaign.id}/signatures`,
      `/dashboard/c/${campaign.id}.data`,
      `/dashboard/c/${campaign.id}/export`,
      '/dashboard/people',
    ];
    for (const path of privatePaths) {
      const res = await fetch(`${e2e.app.baseUrl}${path}`, { headers: { Cookie: cookie }, redirect: 'manual' });
      await res.arrayBuffer();
      expect(res.status, path).toBeLessThan(400);
      expect(res.headers.get('cache-control'), path).toBe('private, no-store');
      expect(res.headers.get('content-security-policy'), path).toBeTruthy();
    }
    // Signed out, the redirect to sign in is private too, and so are token pages, even when the token is wrong.
    const tokenPaths = ['/dashboard', '/sign-in/not-a-token', '/confirm/not-a-token', '/remove/x/not-a-token', '/u/x/not-a-token', '/partners/manage/x/not-a-token', '/partners/verify/x/not-a-token', `/c/${campaign.slug}/thank-you`];
    for (const path of tokenPaths) {
      const res = await fetch(`${e2e.app.baseUrl}${path}`, { redirect: 'manual' });
      await res.arrayBuffer();
      expect(res.status, path).toBeLessThan(500);
      expect(res.headers.get('cache-control'), path).toBe('private, no-store');
    }
    // Any page seen with a session is private; the same page without one is not.
    const signedIn = await fetch(`${e2e.app.baseUrl}${DEMO}`, { headers: { Cookie: cookie } });
    await signedIn.arrayBuffer();
    expect(signedIn.headers.get('cache-control')).toBe('private, no-store');
    const count = await fetch(`${e2e.app.baseUrl}/c/${campaign.slug}/count`);
    await count.arrayBuffer();
    expect(count.headers.get('cache-control')).toBe('public, max-age=5');
  });

  it('sends HSTS only when PUBLIC_URL is https', async () => {
    const https = await startApp({ smtpUrl: `smtp://127.0.0.1:${e2e.smtp.port}`, seed: false, env: { PUBLIC_URL: 'https://chorus.example' } });
    try {
      const res = await fetch(`${https.baseUrl}${DEMO}`);
      await res.arrayBuffer();
      expect(res.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
      const html = await fetch(`${https.baseUrl}/sign-in`);
      await html.arrayBuffer();
      expect(html.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    } finally {
      await https.stop();
    }
    const plain = await fetch(`${e2e.app.baseUrl}${DEMO}`);
    await plain.arrayBuffer();
    expect(plain.headers.get('strict-transport-security')).toBeNull();
  });
});
