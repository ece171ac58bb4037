// Signers' rights in headless Chromium against the real app (web + worker, PostgreSQL, Redis,
// SMTP): a signer removes their signature from the emailed link, an owner removes a signer from the
// dashboard, and every page links to the privacy page.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { createCampaign, signer } from '../setup/factories.ts';
import { parseCsv } from '../setup/parse-csv.ts';
import { browserSessionCookieFor } from '../setup/sessions.ts';
import { confirmLinkFrom } from '../setup/smtp.ts';
import { eventually } from '../setup/wait.ts';
import { mailTo, useBrowserApp, waitForHydration } from './support.ts';

// The app's children inherit this, so the cookie signed here is valid there.
process.env.SESSION_SECRET = `e2e-privacy-session-secret-${randomBytes(8).toString('hex')}`;

const { db } = await import('../../app/utils/db.server.ts');
const { confirmationToken } = await import('../../app/utils/crypto.server.ts');
const { createSignature, confirmSignature } = await import('../../app/models/signature.server.ts');

const digestEmail = `digest-${randomBytes(3).toString('hex')}@interior.example.org`;
const staying = signer({ fullName: 'Айгүл Серікова', city: 'Алматы', showName: true });
const spam = signer({ fullName: 'Spam Bot Name', city: 'Nowhere', listPublicly: true });
const leaver = { fullName: 'Марат Тұрымбетов', email: `marat-${randomBytes(4).toString('hex')}@example.net`, city: 'Нукус' };
let campaign: Awaited<ReturnType<typeof createCampaign>>;
let addresseeId: string;

// Registered before useBrowserApp's, so the campaign and its signatures exist before the app starts.
beforeAll(async () => {
  campaign = await createCampaign({ addressees: [{ name: 'Ministry of Internal Affairs', email: digestEmail, deliveryMode: 'DIGEST', digestIntervalMinutes: 1 }] });
  const addressee = await db.addressee.findFirstOrThrow({ where: { campaignId: campaign.id } });
  addresseeId = addressee.id;
  // Paused until the removal is done, so the digest this test waits for is the next one after it.
  await db.addressee.update({ where: { id: addressee.id }, data: { paused: true } });
  for (const [i, input] of [staying, spam].entries()) {
    const { signatureId } = await createSignature(campaign.slug, input, `192.0.2.${80 + i}`);
    await confirmSignature(confirmationToken(signatureId!));
  }
});

const e2e = useBrowserApp({ seed: false });

async function countFromApi(): Promise<number> {
  const res = await fetch(`${e2e.app.baseUrl}/c/${campaign.slug}/count`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { count: number }).count;
}

const waitForCount = (n: number) =>
  eventually(async () => (await countFromApi()) === n, { what: `the campaign count to be ${n}`, timeoutMs: 20_000, intervalMs: 200 });

/** A browser context signed in as a new member of the campaign with the given role. */
async function memberContext(role: 'OWNER' | 'EDITOR'): Promise<{ context: BrowserContext; page: Page; name: string }> {
  const name = `Dana ${role.toLowerCase()}`;
  const user = await db.user.create({ data: { email: `${role.toLowerCase()}-${randomBytes(4).toString('hex')}@example.org`, name } });
  await db.campaignMember.create({ data: { campaignId: campaign.id, userId: user.id, role, notifiedAt: new Date() } });
  const context = await e2e.newContext();
  await context.addCookies([await browserSessionCookieFor(user.id, e2e.app.baseUrl)]);
  return { context, page: await context.newPage(), name };
}

async function ownerExport(page: Page): Promise<string[][]> {
  const res = await page.request.get(`${e2e.app.baseUrl}/dashboard/c/${campaign.id}/export`);
  expect(res.status()).toBe(200);
  return parseCsv((await res.text()).replace(/^\uFEFF/, ''));
}

describe('signers’ rights', () => {
  test('a signer removes their signature with the emailed link: count down, gone from the export and the next digest', async () => {
    const page = e2e.page;
    await waitForCount(2);
    await page.goto(`${e2e.app.baseUrl}/c/${campaign.slug}`);
    await waitForHydration(page);
    const form = page.getByRole('form', { name: 'Sign this campaign' });
    // The form says what is public and links to the privacy page.
    await expect(form.getByRole('link', { name: /What we store/ }).getAttribute('href')).resolves.toBe('/privacy');
    await expect(form.getByText('Nothing about me is shown publicly unless I tick one of the boxes above.').count()).resolves.toBe(1);
    await form.getByLabel('Full name', { exact: true }).fill(leaver.fullName);
    await form.getByLabel('Email', { exact: true }).fill(leaver.email);
    await form.getByLabel('City or town', { exact: true }).fill(leaver.city);
    await form.getByLabel('Country', { exact: true }).selectOption('UZ');
    await form.getByLabel(/Show my full name publicly/).check();
    await form.getByLabel(/I agree that Chorus stores/).check();
    await form.getByRole('button', { name: 'Sign' }).click();
    await page.waitForURL(`**/c/${campaign.slug}/check-email`);

    const confirmation = await mailTo(e2e.smtp, leaver.email, 'The confirmation email');
    const removeLink = confirmation.text?.match(/https?:\/\/\S+\/remove\/[A-Za-z0-9-]+\/[A-Za-z0-9_-]+/)?.[0];
    expect(removeLink, 'a removal link in the confirmation email').toBeTruthy();
    expect(confirmation.html).toContain(`href="${removeLink}"`);

    await page.goto(confirmLinkFrom(confirmation));
    await waitForHydration(page);
    await page.getByRole('button', { name: 'Confirm my signature' }).click();
    await page.waitForURL(`**/c/${campaign.slug}/thank-you`);
    // The thank-you page carries the same personal removal link.
    await expect(page.getByRole('link', { name: 'remove your signature' }).getAttribute('href')).resolves.toBe(new URL(removeLink!).pathname);
    await waitForCount(3);
    const signatureId = new URL(removeLink!).pathname.split('/')[2];
    expect(await db.signature.count({ where: { id: signatureId, status: 'CONFIRMED' } })).toBe(1);

    // Opening the link (as a mail scanner would) shows a button and removes nothing.
    await page.goto(removeLink!);
    await waitForHydration(page);
    await page.getByRole('heading', { level: 1, name: 'Remove your signature' }).waitFor();
    expect(await db.signature.count({ where: { id: signatureId } })).toBe(1);
    expect(await countFromApi()).toBe(3);

    await page.getByRole('button', { name: 'Remove my signature' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your signature is removed' }).waitFor();
    expect(await db.signature.count({ where: { id: signatureId } })).toBe(0);
    await waitForCount(2);

    // The campaign page no longer lists the signer.
    await page.goto(`${e2e.app.baseUrl}/c/${campaign.slug}`);
    await waitForHydration(page);
    await expect(page.locator('body').innerText()).resolves.not.toContain(leaver.fullName);

    // The owner's export leaves them out.
    const owner = await memberContext('OWNER');
    const rows = await ownerExport(owner.page);
    const emails = rows.slice(1).map((r) => r[rows[0].indexOf('email')]);
    expect(emails.sort()).toEqual([spam.email, staying.email].sort());

    // The next digest (the addressee was paused until now) carries the others, not the removed signer.
    await db.addressee.update({ where: { id: addresseeId }, data: { paused: false } });
    const digest = await mailTo(e2e.smtp, digestEmail, 'The digest', 30_000);
    const csv = digest.attachments[0].content.toString('utf8');
    expect(digest.text).toContain(staying.fullName);
    expect(csv).toContain(staying.fullName);
    expect(`${digest.text}\n${csv}`).not.toContain(leaver.fullName);
    expect(`${digest.text}\n${csv}`).not.toContain(leaver.email);
    await owner.context.close();
  });

  test('an owner removes a signer from the signatures list, with a reason that is logged; editors cannot', async () => {
    const editor = await memberContext('EDITOR');
    await editor.page.goto(`${e2e.app.baseUrl}/dashboard/c/${campaign.id}/signatures`);
    await waitForHydration(editor.page);
    await editor.page.getByTestId('signature-total').waitFor();
    await expect(editor.page.getByText('Remove…').count()).resolves.toBe(0);
    const spamRow = await db.signature.findFirstOrThrow({ where: { campaignId: campaign.id, email: spam.email } });
    const refused = await editor.page.request.post(`${e2e.app.baseUrl}/dashboard/c/${campaign.id}/signatures`, {
      form: { intent: 'remove', signatureId: spamRow.id, reason: 'Editors may not' },
      headers: { Origin: e2e.app.baseUrl },
    });
    expect(refused.status()).toBe(403);
    expect(await db.signature.count({ where: { id: spamRow.id } })).toBe(1);
    await editor.context.close();

    const owner = await memberContext('OWNER');
    const page = owner.page;
    await page.goto(`${e2e.app.baseUrl}/dashboard/c/${campaign.id}/signatures`);
    await waitForHydration(page);
    const row = page.getByTestId('signature-row').filter({ hasText: spam.email });
    await row.getByText('Remove…').click();
    // Without a reason: refused, nothing removed.
    await row.getByRole('button', { name: 'Remove this signature' }).click();
    await page.getByText('Please give a reason for removing this signature.').waitFor();
    expect(await db.signature.count({ where: { id: spamRow.id } })).toBe(1);

    const again = page.getByTestId('signature-row').filter({ hasText: spam.email });
    await again.getByLabel(/Reason for removing/).fill('A fake signature from a bot');
    await again.getByRole('button', { name: 'Remove this signature' }).click();
    await page.getByText('The signature is removed.').waitFor();
    await expect(page.getByTestId('signature-row').filter({ hasText: spam.email }).count()).resolves.toBe(0);
    expect(await db.signature.count({ where: { id: spamRow.id } })).toBe(0);
    await waitForCount(1);

    const log = page.getByTestId('removal-log');
    const logText = await log.innerText();
    expect(logText).toContain(owner.name);
    expect(logText).toContain('A fake signature from a bot');
    expect(logText).toContain('The signer, with their removal link');
    expect(logText).not.toContain(spam.fullName);
    expect(logText).not.toContain(spam.email);
    await owner.context.close();
  });

  test('every page links to the privacy page, which states the retention periods', async () => {
    const publicPaths = [
      '/',
      `/c/${campaign.slug}`,
      `/c/${campaign.slug}/check-email`,
      `/c/${campaign.slug}/thank-you`,
      `/c/${campaign.slug}/co-sign`,
      '/privacy',
      '/sign-in',
      '/register',
      '/confirm/not-a-real-token',
      `/remove/00000000-0000-0000-0000-000000000000/${'x'.repeat(64)}`,
      '/no-such-page',
    ];
    const organiserPaths = [
      '/dashboard',
      '/dashboard/new',
      '/dashboard/people',
      '/dashboard/people/new',
      ...['', '/edit', '/demands', '/addressees', '/members', '/partners', '/people', '/signatures', '/status', '/timeline', '/updates', '/deliveries'].map(
        (tab) => `/dashboard/c/${campaign.id}${tab}`,
      ),
    ];
    const owner = await memberContext('OWNER');
    const walk = async (page: Page, paths: string[]) => {
      for (const path of paths) {
        await page.goto(e2e.app.baseUrl + path);
        const footerLink = page.locator('footer.site-footer a[href="/privacy"]');
        await expect(footerLink.count(), `the footer of ${path}`).resolves.toBe(1);
      }
    };
    await walk(e2e.page, publicPaths);
    await walk(owner.page, organiserPaths);
    await owner.context.close();

    await e2e.page.goto(`${e2e.app.baseUrl}/privacy`);
    const text = await e2e.page.locator('main').innerText();
    for (const period of ['works for 30 days', 'deleted 30 days after', 'erased after 90 days', 'kept for 365 days']) expect(text).toContain(period);
  });
});
