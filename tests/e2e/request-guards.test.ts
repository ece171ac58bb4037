import { describe, expect, it } from 'vitest';
import { db } from '../../app/utils/db.server.ts';
import { createCampaign, createUser } from '../setup/factories.ts';
import { sessionCookieFor } from '../setup/sessions.ts';
import { useApp } from './support.ts';

// Malformed requests get a 4xx that says what was NOT done, never a 500, and write nothing.
const e2e = useApp({ seed: false });

const signFields = { fullName: 'Dana Kaliyeva', email: 'dana@example.org', city: 'Almaty', country: 'KZ', consent: 'on' };

async function post(path: string, body: BodyInit | null, headers: Record<string, string>) {
  const res = await fetch(`${e2e.app.baseUrl}${path}`, { method: 'POST', body, headers, redirect: 'manual' });
  return { status: res.status, text: await res.text(), location: res.headers.get('location'), headers: res.headers };
}

async function rowCounts() {
  const [signatures, coSignatures, partners, users, loginTokens] = await Promise.all([
    db.signature.count(),
    db.coSignature.count(),
    db.partner.count(),
    db.user.count(),
    db.loginToken.count(),
  ]);
  return { signatures, coSignatures, partners, users, loginTokens };
}

describe('request guards', () => {
  it('answers 415 to a sign, co-sign, register or sign-in post that is not a form, saying it was NOT recorded', async () => {
    const campaign = await createCampaign();
    const before = await rowCounts();
    const forms: Array<[string, RegExp]> = [
      [`/c/${campaign.slug}`, /Your signature was NOT recorded\./],
      [`/c/${campaign.slug}.data`, /Your signature was NOT recorded\./],
      [`/c/${campaign.slug}/co-sign`, /Your co-signature was NOT recorded\./],
      ['/register', /You were NOT registered and no sign-in link was sent\./],
      ['/sign-in', /No sign-in link was sent\./],
      ['/confirm/some-token', /Your signature was NOT confirmed\./],
      ['/remove/some-id/some-token', /Your signature was NOT removed\./],
    ];
    const bodies: Array<[string, BodyInit | null, Record<string, string>]> = [
      ['JSON', JSON.stringify(signFields), { 'Content-Type': 'application/json' }],
      ['text/plain', new URLSearchParams(signFields).toString(), { 'Content-Type': 'text/plain' }],
      ['no type', new URLSearchParams(signFields).toString(), {}],
      ['Latin-1 charset', new URLSearchParams(signFields).toString(), { 'Content-Type': 'application/x-www-form-urlencoded; charset=iso-8859-1' }],
      ['gzip', new URLSearchParams(signFields).toString(), { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Encoding': 'gzip' }],
    ];
    for (const [path, message] of forms) {
      for (const [what, body, headers] of bodies) {
        const answer = await post(path, body, headers);
        expect(answer.status, `${what} to ${path}`).toBe(415);
        expect(answer.text, `${what} to ${path}`).toMatch(message);
        expect(answer.text).toMatch(/format|compressed|character set/);
      }
    }
    expect(await rowCounts()).toEqual(before);
  });

  it('answers 400 to a damaged multipart form, and still accepts a well-formed one', async () => {
    const campaign = await createCampaign();
    const before = await rowCounts();
    const broken = await post(`/c/${campaign.slug}`, '--xyz\r\nContent-Disposition: form-data; name="fullName"\r\n\r\nDana', {
      'Content-Type': 'multipart/form-data; boundary=xyz',
    });
    expect(broken.status).toBe(400);
    expect(broken.text).toContain('Your signature was NOT recorded.');
    expect(broken.text).toContain('damaged');
    const noBoundary = await post(`/c/${campaign.slug}/co-sign`, 'whatever', { 'Content-Type': 'multipart/form-data' });
    expect(noBoundary.status).toBe(400);
    expect(noBoundary.text).toContain('Your co-signature was NOT recorded.');
    expect(await rowCounts()).toEqual(before);

    const form = new FormData();
    for (const [name, value] of Object.entries(signFields)) form.append(name, value);
    const ok = await post(`/c/${campaign.slug}`, form, {});
    expect(ok.status).toBe(303);
    expect(await db.signature.count({ where: { campaignId: campaign.id } })).toBe(1);
  });

  it('answers 413 to a body over 1 MB, declared or streamed, before reading it', async () => {
    const campaign = await createCampaign();
    const before = await rowCounts();
    const big = new URLSearchParams({ ...signFields, comment: 'x'.repeat(1_100_000) }).toString();
    const declared = await post(`/c/${campaign.slug}`, big, { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(declared.status).toBe(413);
    expect(declared.text).toContain('Your signature was NOT recorded.');
    expect(declared.text).toContain('too large');

    // Chunked, with no Content-Length: refused once 1 MB has arrived.
    const chunk = new TextEncoder().encode('comment=' + 'y'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 40) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await fetch(`${e2e.app.baseUrl}/register`, {
      method: 'POST',
      body: stream,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      duplex: 'half',
    } as RequestInit).catch((error: Error) => error);
    // The server answers and closes; the client may see the answer or a reset while still sending.
    if (res instanceof Response) {
      expect(res.status).toBe(413);
      expect(await res.text()).toContain('You were NOT registered');
    } else {
      expect(String(res.cause ?? res)).toMatch(/ECONNRESET|EPIPE|other side closed|socket/i);
    }
    expect(await rowCounts()).toEqual(before);
  });

  it('answers 403 to a cross-site post (Remix would refuse it with a 500), and accepts a same-site one', async () => {
    const campaign = await createCampaign();
    const before = await rowCounts();
    const body = new URLSearchParams(signFields).toString();
    for (const origin of ['https://evil.example', 'null', 'not a url', 'http://127.0.0.1:1']) {
      const answer = await post(`/c/${campaign.slug}`, body, { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin });
      expect(answer.status, origin).toBe(403);
      expect(answer.text).toContain('Your signature was NOT recorded.');
      expect(answer.text).toContain('another website');
    }
    const spoofed = await post('/sign-in', 'email=a%40example.org', {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: e2e.app.baseUrl,
      'X-Forwarded-Host': 'evil.example',
    });
    expect(spoofed.status).toBe(403);
    expect(await rowCounts()).toEqual(before);

    const same = await post(`/c/${campaign.slug}`, body, { 'Content-Type': 'application/x-www-form-urlencoded', Origin: e2e.app.baseUrl });
    expect(same.status).toBe(303);
    expect(await db.signature.count({ where: { campaignId: campaign.id } })).toBe(1);
  });

  it('answers 405 to other methods', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const res = await fetch(`${e2e.app.baseUrl}/sign-in`, { method, body: method === 'OPTIONS' ? undefined : 'email=x', redirect: 'manual' });
      await res.arrayBuffer();
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD, POST');
    }
  });

  it('encodes a redirect built from a slug with odd characters instead of failing', async () => {
    const before = await rowCounts();
    // The honeypot answers every slug with a redirect to its check-email page.
    for (const slug of ['%D0%B6%D0%B0%D2%A3%D0%B0', 'a%0Ab', 'a%20b%22%3C', '%F0%9F%98%80']) {
      const answer = await post(`/c/${slug}`, new URLSearchParams({ ...signFields, website: 'http://spam.example' }).toString(), {
        'Content-Type': 'application/x-www-form-urlencoded',
      });
      expect(answer.status, slug).toBe(303);
      expect(answer.location, slug).toBe(`/c/${encodeURIComponent(decodeURIComponent(slug))}/check-email`);
    }
    expect(await rowCounts()).toEqual(before);
  });

  it('never sends a signed-in organiser to another site after sign-in', async () => {
    const user = await createUser();
    const cookie = await sessionCookieFor(user.id);
    const unsafe = [
      '%2F%09%2Fevil.example',
      '%2F%0A%2Fevil.example',
      '%2F%0D%2Fevil.example',
      '%2F%2Fevil.example',
      '%2F%5Cevil.example',
      '%5C%5Cevil.example',
      'https%3A%2F%2Fevil.example',
      '%09%2F%2Fevil.example',
      '%2F%E2%80%A8%2Fevil.example',
      '%2F%00%2Fevil.example',
      'evil.example',
      '',
    ];
    for (const redirectTo of unsafe) {
      const res = await fetch(`${e2e.app.baseUrl}/sign-in?redirectTo=${redirectTo}`, { headers: { Cookie: cookie }, redirect: 'manual' });
      await res.arrayBuffer();
      expect(res.status, redirectTo).toBe(302);
      expect(res.headers.get('location'), redirectTo).toBe('/dashboard');
    }
    const safe = await fetch(`${e2e.app.baseUrl}/sign-in?redirectTo=${encodeURIComponent('/dashboard/people?q=a')}`, { headers: { Cookie: cookie }, redirect: 'manual' });
    await safe.arrayBuffer();
    expect(safe.headers.get('location')).toBe('/dashboard/people?q=a');
  });
});
