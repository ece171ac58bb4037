import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { addMember, createCampaign, createUser } from '../setup/factories.ts';
import { sessionCookieFor } from '../setup/sessions.ts';
import { eventually } from '../setup/wait.ts';
import { mailTo, useApp } from './support.ts';

// What the public forms and the organiser forms give away, over plain HTTP against the real web and
// worker processes: co-signing and sign-in answer the same whether or not an address is known, and
// campaign creation and invitations are limited per account and per IP address (TRUST_PROXY=1, so
// X-Forwarded-For stands for the address).
const e2e = useApp({
  seed: false,
  appEnv: {
    TRUST_PROXY: '1',
    CAMPAIGN_RATE_LIMIT_ACCOUNT: '2',
    CAMPAIGN_RATE_LIMIT_IP: '3',
    INVITATION_RATE_LIMIT_ACCOUNT: '2',
    INVITATION_RATE_LIMIT_IP: '3',
  },
});

const { db } = await import('../../app/utils/db.server.ts');

const uid = () => randomBytes(4).toString('hex');

type Answer = { status: number; location: string | null; contentType: string | null; html: string };

async function post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(e2e.app.baseUrl + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
  });
  return { status: res.status, location: res.headers.get('location'), contentType: res.headers.get('content-type'), html: await res.text() };
}

/** The answer with what the person typed (and per-response nonces) replaced, for comparing two answers. */
function shape(answer: Answer, typed: Record<string, string>) {
  let html = answer.html;
  for (const [placeholder, value] of Object.entries(typed)) html = html.split(value).join(`{${placeholder}}`);
  html = html.replace(/nonce="[^"]*"/g, 'nonce=""');
  return { ...answer, html };
}

describe('co-signing does not tell whether an address is a co-signatory contact', () => {
  function organisation(name: string, contactEmail: string) {
    return {
      kind: 'ORGANISATION',
      name,
      country: 'KZ',
      website: 'https://bureau.example.kz',
      contactEmail,
      representativeName: 'Evgeniy Zhovtis',
      supportLine: 'We stand with them.',
      consent: 'on',
    };
  }

  it('answers a known contact and a new one identically, and emails each of them once', async () => {
    const campaign = await createCampaign();
    const id = uid();
    const known = { name: `Known Bureau ${id}`, email: `known-${id}@bureau.example.kz` };
    const fresh = { name: `Fresh Bureau ${id}`, email: `fresh-${id}@bureau.example.kz` };

    // An existing co-signatory: co-signed, confirmed, some time ago.
    const first = await post(`/c/${campaign.slug}/co-sign`, organisation(known.name, known.email), { 'X-Forwarded-For': '10.1.0.1' });
    expect(first.status).toBe(200);
    await mailTo(e2e.smtp, known.email, 'the first verification email');
    const row = await db.coSignature.findFirstOrThrow({ where: { campaignId: campaign.id, partner: { contactEmail: known.email } } });
    await db.coSignature.update({
      where: { id: row.id },
      data: { status: 'PENDING_APPROVAL', verifiedAt: new Date(), verificationRequestedAt: new Date(Date.now() - 3600_000) },
    });
    const rowsBefore = await db.coSignature.count({ where: { campaignId: campaign.id } });

    const repeat = await post(`/c/${campaign.slug}/co-sign`, organisation(known.name, known.email), { 'X-Forwarded-For': '10.1.0.2' });
    const newcomer = await post(`/c/${campaign.slug}/co-sign`, organisation(fresh.name, fresh.email), { 'X-Forwarded-For': '10.1.0.3' });

    expect(repeat.status).toBe(200);
    expect(repeat.html).toContain('Check your email');
    expect(shape(repeat, { name: known.name, email: known.email })).toEqual(shape(newcomer, { name: fresh.name, email: fresh.email }));

    // Each address gets one email for its submission; the known co-signature is not duplicated.
    const notice = await e2e.smtp.waitFor((m) => m.envelopeTo.includes(known.email) && /^Your co-signature:/.test(m.subject ?? ''));
    expect(notice.text).toContain('already on record');
    await mailTo(e2e.smtp, fresh.email, 'the newcomer verification email');
    expect(e2e.smtp.to(known.email)).toHaveLength(2);
    expect(e2e.smtp.to(fresh.email)).toHaveLength(1);
    expect(await db.coSignature.count({ where: { campaignId: campaign.id } })).toBe(rowsBefore + 1);
    expect(await db.coSignature.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: 'PENDING_APPROVAL' });
  });
});

describe('sign-in link requests', () => {
  it('answer the same whether or not the address has an account, and email only the account', async () => {
    const account = await createUser({ email: `organiser-${uid()}@example.org`, name: 'Aigerim' });
    const stranger = `stranger-${uid()}@example.org`;

    const forAccount = await post('/sign-in', { email: account.email, redirectTo: '/dashboard' }, { 'X-Forwarded-For': '10.2.0.1' });
    const forStranger = await post('/sign-in', { email: stranger, redirectTo: '/dashboard' }, { 'X-Forwarded-For': '10.2.0.2' });
    expect(forAccount.status).toBe(200);
    expect(forAccount.html).toContain('Check your email');
    expect(shape(forAccount, { email: account.email })).toEqual(shape(forStranger, { email: stranger }));

    // The same work was done for both: one token row each, holding the address and no account.
    const tokens = await db.loginToken.findMany({ where: { email: { in: [account.email, stranger] } }, select: { email: true, userId: true, sentAt: true, usedAt: true } });
    expect(tokens.map((t) => t.email).sort()).toEqual([account.email, stranger].sort());

    const mail = await mailTo(e2e.smtp, account.email, 'the sign-in link');
    expect(mail.text).toMatch(/\/sign-in\/[A-Za-z0-9_-]+/);
    // The worker decided about the stranger's request too: retired, never sent.
    const retired = await eventually(async () => {
      const t = await db.loginToken.findFirst({ where: { email: stranger }, select: { usedAt: true, sentAt: true, userId: true } });
      return t?.usedAt ? t : null;
    }, { what: "the worker to retire the stranger's request" });
    expect(retired).toMatchObject({ sentAt: null, userId: null });
    expect(e2e.smtp.to(stranger)).toHaveLength(0);
    expect(await db.user.count({ where: { email: stranger } })).toBe(0);
    await eventually(async () => (await db.loginToken.findFirst({ where: { email: account.email } }))?.userId === account.id, {
      what: 'the account to be linked to its token',
    });
  });
});

describe('rate limits on organiser actions', () => {
  function campaignForm(slug: string) {
    return { title: `Free the reporters ${slug}`, slug, summary: 'Four reporters are in jail.', statement: 'We **demand** their release.', goal: '1000', imageUrl: '', replyTo: '' };
  }

  async function newCampaign(cookie: string, ip: string) {
    const slug = `rate-${uid()}`;
    const answer = await post('/dashboard/new', campaignForm(slug), { Cookie: cookie, 'X-Forwarded-For': ip });
    return { slug, answer };
  }

  it('limits new campaigns per account and per IP address: 429, the form kept, nothing written', async () => {
    const alice = await createUser();
    const aliceCookie = await sessionCookieFor(alice.id);
    // Per account (2): the third from another address is refused.
    expect((await newCampaign(aliceCookie, '10.3.0.1')).answer.status).toBe(303);
    expect((await newCampaign(aliceCookie, '10.3.0.2')).answer.status).toBe(303);
    const refused = await newCampaign(aliceCookie, '10.3.0.3');
    expect(refused.answer.status).toBe(429);
    expect(refused.answer.html).toContain('You have started too many campaigns in a short time. Nothing was created; please try again later.');
    expect(refused.answer.html).toContain(`value="${refused.slug}"`);
    expect(refused.answer.html).toContain(`value="Free the reporters ${refused.slug}"`);
    expect(await db.campaign.count({ where: { slug: refused.slug } })).toBe(0);
    expect(await db.campaign.count({ where: { createdById: alice.id } })).toBe(2);

    // Per IP address (3): three accounts sharing one address; the fourth campaign from it is refused.
    const ip = '10.3.1.1';
    const cookies = await Promise.all([createUser(), createUser(), createUser()].map(async (u) => sessionCookieFor((await u).id)));
    expect((await newCampaign(cookies[0], ip)).answer.status).toBe(303);
    expect((await newCampaign(cookies[0], ip)).answer.status).toBe(303);
    expect((await newCampaign(cookies[1], ip)).answer.status).toBe(303);
    const fromIp = await newCampaign(cookies[2], ip);
    expect(fromIp.answer.status).toBe(429);
    expect(await db.campaign.count({ where: { slug: fromIp.slug } })).toBe(0);
    // The same account from another address is not limited.
    expect((await newCampaign(cookies[2], '10.3.1.2')).answer.status).toBe(303);
  });

  it('limits member invitations per account and per IP address: 429, the form kept, nobody invited', async () => {
    const invite = async (campaignId: string, cookie: string, ip: string) => {
      const email = `invitee-${uid()}@example.org`;
      const answer = await post(`/dashboard/c/${campaignId}/members`, { intent: 'invite', email, role: 'EDITOR' }, { Cookie: cookie, 'X-Forwarded-For': ip });
      return { email, answer };
    };
    const nothingFor = async (email: string) => ({
      users: await db.user.count({ where: { email } }),
      members: await db.campaignMember.count({ where: { user: { email } } }),
    });

    const owner = await createUser();
    const campaign = await createCampaign({ status: 'DRAFT' });
    await addMember(campaign.id, owner.id, 'OWNER');
    const cookie = await sessionCookieFor(owner.id);
    expect((await invite(campaign.id, cookie, '10.4.0.1')).answer.status).toBe(303);
    expect((await invite(campaign.id, cookie, '10.4.0.2')).answer.status).toBe(303);
    const refused = await invite(campaign.id, cookie, '10.4.0.3');
    expect(refused.answer.status).toBe(429);
    expect(refused.answer.html).toContain('You have sent too many invitations in a short time. Nobody was invited; please try again later.');
    expect(refused.answer.html).toContain(`value="${refused.email}"`);
    expect(await nothingFor(refused.email)).toEqual({ users: 0, members: 0 });

    // Per IP address: three owners behind one address.
    const ip = '10.4.1.1';
    const owners = await Promise.all([0, 1, 2].map(async () => {
      const user = await createUser();
      const c = await createCampaign({ status: 'DRAFT' });
      await addMember(c.id, user.id, 'OWNER');
      return { campaignId: c.id, cookie: await sessionCookieFor(user.id) };
    }));
    expect((await invite(owners[0].campaignId, owners[0].cookie, ip)).answer.status).toBe(303);
    expect((await invite(owners[1].campaignId, owners[1].cookie, ip)).answer.status).toBe(303);
    expect((await invite(owners[1].campaignId, owners[1].cookie, ip)).answer.status).toBe(303);
    const fromIp = await invite(owners[2].campaignId, owners[2].cookie, ip);
    expect(fromIp.answer.status).toBe(429);
    expect(await nothingFor(fromIp.email)).toEqual({ users: 0, members: 0 });
  });
});
