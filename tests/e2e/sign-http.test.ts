import { describe, expect, it } from 'vitest';
import { createCampaign } from '../setup/factories.ts';
import { useApp } from './support.ts';

// The sign form's answers over plain HTTP (a browser without JavaScript): every bad input gets a
// clear 4xx with what was typed, and never a half-written row.
const e2e = useApp({ appEnv: { SIGNATURE_RATE_LIMIT: '3' } });

const valid = {
  fullName: 'Нұрғали Ақжігітов',
  email: 'nurgali@example.kz',
  city: 'Өскемен',
  country: 'KZ',
  comment: "Free them — it's time",
  consent: 'on',
};

async function sign(slug: string, fields: Record<string, string>) {
  const res = await fetch(`${e2e.app.baseUrl}/c/${slug}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  return { status: res.status, location: res.headers.get('location'), html: await res.text(), retryAfter: res.headers.get('retry-after') };
}

async function rows(campaignId: string) {
  const { db } = await import('../../app/utils/db.server.ts');
  return db.signature.count({ where: { campaignId } });
}

describe('the sign form over HTTP', () => {
  it('answers 400 per field, keeping what was typed, for over-long, malformed and missing input', async () => {
    const campaign = await createCampaign();
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ ...valid, fullName: 'Ә'.repeat(121) }, /Your full name is too long/],
      [{ ...valid, city: 'Ө'.repeat(101) }, /Your city is too long/],
      [{ ...valid, comment: 'x'.repeat(1001) }, /Your comment is too long/],
      [{ ...valid, email: 'nurgali-at-example.kz' }, /does not look like an email address/],
      [{ ...valid, consent: '' }, /tick the box to agree/],
      [{ ...valid, country: 'XX' }, /choose your country/],
    ];
    for (const [fields, message] of cases) {
      const answer = await sign(campaign.slug, fields);
      expect(answer.status, JSON.stringify(fields).slice(0, 80)).toBe(400);
      expect(answer.html).toMatch(message);
      // What was typed comes back in the form.
      expect(answer.html).toContain(`value="${fields.city}"`);
      expect(answer.html).toContain(`value="${fields.fullName}"`);
    }
    expect(await rows(campaign.id)).toBe(0);
  });

  it('answers 404 for an unknown or draft campaign and 409 for a closed one, writing nothing', async () => {
    expect((await sign('no-such-campaign', valid)).status).toBe(404);
    const draft = await createCampaign({ status: 'DRAFT' });
    expect((await sign(draft.slug, valid)).status).toBe(404);
    const closed = await createCampaign({ status: 'CLOSED' });
    const answer = await sign(closed.slug, valid);
    expect(answer.status).toBe(409);
    expect(answer.html).toContain('no longer collecting signatures');
    expect(await rows(closed.id)).toBe(0);
    expect(await rows(draft.id)).toBe(0);
  });

  it('stores nothing from a bot that fills the hidden field, and answers like a success', async () => {
    const campaign = await createCampaign();
    const answer = await sign(campaign.slug, { ...valid, website: 'http://spam.example' });
    expect(answer.status).toBe(303);
    expect(answer.location).toBe(`/c/${campaign.slug}/check-email`);
    expect(await rows(campaign.id)).toBe(0);
  });

  it('answers 429 with Retry-After once an address has signed too often for one campaign', async () => {
    const campaign = await createCampaign();
    for (let i = 0; i < 3; i++) expect((await sign(campaign.slug, { ...valid, email: `limit-${i}@example.org` })).status).toBe(303);
    const answer = await sign(campaign.slug, { ...valid, email: 'limit-4@example.org' });
    expect(answer.status).toBe(429);
    expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    expect(answer.html).toContain('Too many signatures');
    expect(await rows(campaign.id)).toBe(3);
  });

  it('answers the same to a repeat signature, revealing nothing', async () => {
    const campaign = await createCampaign();
    const first = await sign(campaign.slug, { ...valid, email: 'Repeat.Signer+x@gmail.com' });
    const again = await sign(campaign.slug, { ...valid, email: 'repeatsigner@GMAIL.com' });
    expect([first.status, again.status]).toEqual([303, 303]);
    expect(again.location).toBe(first.location);
    expect(await rows(campaign.id)).toBe(1);
  });
});
