// Updates to signers through the real app (web + worker processes, PostgreSQL, Redis, SMTP) and
// headless Chromium: an editor writes, previews and sends an update; signers receive it; a mail
// provider's RFC 8058 one-click POST and the page's button both unsubscribe; later updates skip them.
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { listUnsubscribeOf } from '../setup/smtp.ts';
import { createCampaign, signer } from '../setup/factories.ts';
import { sessionCookieFor } from '../setup/sessions.ts';
import { db } from '../../app/utils/db.server.ts';
import { confirmationToken } from '../../app/utils/crypto.server.ts';
import { confirmSignature, createSignature } from '../../app/models/signature.server.ts';
import { createUpdateDraft, startSendingUpdate } from '../../app/models/update.server.ts';
import { outputDir, useBrowserApp, waitForHydration } from './support.ts';
import { eventually } from '../setup/wait.ts';

const e2e = useBrowserApp({ seed: false });

type Campaign = Awaited<ReturnType<typeof createCampaign>>;
type Signer = { id: string; email: string };
let campaign: Campaign;
let oneClick: Signer; // unsubscribes through the List-Unsubscribe header
let viaPage: Signer; // unsubscribes with the link and button in the email
let stays: Signer;
let editorCookie: string;
let viewerCookie: string;
let firstUpdateId: string;

const hex = () => randomBytes(4).toString('hex');

async function addSigner(ip: string): Promise<Signer> {
  const input = signer({ wantsUpdates: true, email: `signer-${hex()}@example.net` });
  const { signatureId } = await createSignature(campaign.slug, input, ip);
  expect(await confirmSignature(confirmationToken(signatureId!))).toMatchObject({ ok: true });
  return { id: signatureId!, email: input.email };
}

/** A new member of the campaign, signed in; returns the session cookie's value. */
async function organiser(role: 'EDITOR' | 'VIEWER'): Promise<string> {
  const user = await db.user.create({ data: { email: `${role.toLowerCase()}-${hex()}@example.org`, name: `Test ${role.toLowerCase()}` } });
  await db.campaignMember.create({ data: { campaignId: campaign.id, userId: user.id, role } });
  return (await sessionCookieFor(user.id)).slice('chorus_session='.length);
}

const updateMailsTo = (updateId: string, email: string) =>
  e2e.smtp.messages.filter((m) => m.messageId?.startsWith(`<update-${updateId}-`) && m.envelopeTo.includes(email));

beforeAll(async () => {
  campaign = await createCampaign();
  [oneClick, viaPage, stays] = [await addSigner('203.0.113.10'), await addSigner('203.0.113.11'), await addSigner('203.0.113.12')];
  // Not recipients: a signer who did not ask for updates.
  await createSignature(campaign.slug, signer({ wantsUpdates: false }), '203.0.113.13');
  [editorCookie, viewerCookie] = [await organiser('EDITOR'), await organiser('VIEWER')];
  await e2e.context.addCookies([{ name: 'chorus_session', value: editorCookie, url: e2e.app.baseUrl }]);
});

describe('updates to signers', () => {
  test('an editor writes, previews and sends an update; opted-in signers receive it', async () => {
    await e2e.page.goto(`${e2e.app.baseUrl}/dashboard/c/${campaign.id}/updates`);
    await waitForHydration(e2e.page);
    await e2e.page.getByRole('heading', { name: 'Write an update' }).waitFor();

    const title = 'The hearing is on 12 December';
    const body = 'We will be at the court **from 9:00**.\n\n<script>window.hacked = 1</script>\n\n- Bring a sign\n- Tell a friend';
    await e2e.page.getByLabel('Title').fill(title);
    await e2e.page.getByLabel('Message').fill(body);
    await e2e.page.getByRole('button', { name: 'Preview' }).click();

    // The preview shows the sanitised HTML, and what was typed stays in the form.
    const preview = e2e.page.getByTestId('update-preview');
    await preview.waitFor();
    expect(await preview.locator('strong').innerText()).toBe('from 9:00');
    expect(await preview.locator('li').allInnerTexts()).toEqual(['Bring a sign', 'Tell a friend']);
    expect(await preview.innerHTML()).not.toContain('<script');
    expect(await e2e.page.getByLabel('Title').inputValue()).toBe(title);
    expect(await e2e.page.getByLabel('Message').inputValue()).toBe(body);

    // Sending asks for a confirmation first; without the tick, nothing is sent.
    await e2e.page.getByRole('button', { name: 'Send to 3 signers' }).click();
    const confirm = e2e.page.getByTestId('confirm-send');
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Send now' }).click();
    await confirm.getByText('Please tick the box to confirm that this update will be emailed.').waitFor();
    await e2e.page.screenshot({ path: path.join(outputDir, 'update-confirm-send.png'), fullPage: true });
    const draft = await db.update.findFirstOrThrow({ where: { campaignId: campaign.id } });
    firstUpdateId = draft.id;
    expect(draft).toMatchObject({ status: 'DRAFT', title });

    await confirm.getByLabel('I understand this emails 3 people.').check();
    await confirm.getByRole('button', { name: 'Send now' }).click();
    await e2e.page.waitForURL(/\?sent=/);
    await e2e.page.getByText('Your update is being sent.').waitFor();

    for (const who of [oneClick, viaPage, stays]) {
      const mail = await e2e.smtp.waitFor((m) => updateMailsTo(firstUpdateId, who.email).includes(m));
      expect(mail.subject).toBe(`${title} — ${campaign.title}`);
      expect(mail.html).toContain('<strong>from 9:00</strong>');
      expect(mail.html).not.toContain('<script');
      expect(mail.text).toContain('We will be at the court from 9:00.');
    }

    // The list refreshes itself while sending, and ends at SENT with every recipient reached.
    const row = e2e.page.getByTestId('update-row').filter({ hasText: title });
    await eventually(async () => (await row.getByTestId('update-status').innerText()) === 'Sent', { what: 'status Sent', timeoutMs: 20_000 });
    expect(await row.getByTestId('update-progress').innerText()).toBe('3 / 3');
    expect(await db.update.findUniqueOrThrow({ where: { id: firstUpdateId } })).toMatchObject({ status: 'SENT', sentCount: 3, recipientCount: 3 });

    // The campaign page shows it in its Updates section.
    await e2e.page.goto(`${e2e.app.baseUrl}/c/${campaign.slug}`);
    const published = e2e.page.getByTestId('campaign-update').filter({ hasText: title });
    await published.waitFor();
    expect(await published.locator('strong').innerText()).toBe('from 9:00');
    await published.screenshot({ path: path.join(outputDir, 'campaign-page-update.png') });
    expect(await e2e.page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();
  });

  test('viewers see the progress but cannot write or send', async () => {
    const res = await fetch(`${e2e.app.baseUrl}/dashboard/c/${campaign.id}/updates`, { headers: { Cookie: `chorus_session=${viewerCookie}` } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('The hearing is on 12 December');
    expect(html).toContain('3 / 3');
    expect(html).not.toContain('Write an update');

    const post = await fetch(`${e2e.app.baseUrl}/dashboard/c/${campaign.id}/updates`, {
      method: 'POST',
      headers: { Cookie: `chorus_session=${viewerCookie}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ intent: 'send', title: 'Sneaky', body: 'Not allowed' }).toString(),
      redirect: 'manual',
    });
    expect(post.status).toBe(403);
    expect(await db.update.count({ where: { campaignId: campaign.id } })).toBe(1);
  });

  test("a mail provider's one-click POST unsubscribes without cookies; bad links are 404", async () => {
    const mail = updateMailsTo(firstUpdateId, oneClick.email)[0];
    const { url, postLine } = listUnsubscribeOf(mail);
    expect(url.startsWith(`${e2e.app.baseUrl}/u/${oneClick.id}/`)).toBe(true);
    expect(postLine).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');

    // What Gmail and others send (RFC 8058): a form POST, no cookies, no CSRF token, no redirects followed.
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You are unsubscribed');
    expect((await db.signature.findUniqueOrThrow({ where: { id: oneClick.id } })).unsubscribedAt).toBeInstanceOf(Date);

    // Repeating it is harmless.
    const again = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(again.status).toBe(200);

    const badToken = `${e2e.app.baseUrl}/u/${stays.id}/${url.split('/').pop()}`;
    for (const method of ['GET', 'POST']) {
      const bad = await fetch(badToken, {
        method,
        headers: method === 'POST' ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {},
        body: method === 'POST' ? 'List-Unsubscribe=One-Click' : undefined,
      });
      expect(bad.status).toBe(404);
      expect(await bad.text()).toContain('This unsubscribe link is not valid');
    }
    expect((await db.signature.findUniqueOrThrow({ where: { id: stays.id } })).unsubscribedAt).toBeNull();
  });

  test('the visible link opens a page whose button unsubscribes', async () => {
    const mail = updateMailsTo(firstUpdateId, viaPage.email)[0];
    const link = mail.text?.match(/https?:\/\/\S+\/u\/[^\s/]+\/[A-Za-z0-9_-]+/)?.[0];
    expect(link).toBeTruthy();
    expect(mail.html).toContain(`href="${link}"`);

    // Opening the link changes nothing (mail scanners follow links).
    await e2e.page.goto(link!);
    await waitForHydration(e2e.page);
    await e2e.page.getByRole('heading', { name: `Unsubscribe from updates about ${campaign.title}` }).waitFor();
    await e2e.page.screenshot({ path: path.join(outputDir, 'unsubscribe-page.png') });
    expect((await db.signature.findUniqueOrThrow({ where: { id: viaPage.id } })).unsubscribedAt).toBeNull();

    await e2e.page.getByRole('button', { name: 'Unsubscribe' }).click();
    await e2e.page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
    expect((await db.signature.findUniqueOrThrow({ where: { id: viaPage.id } })).unsubscribedAt).toBeInstanceOf(Date);
  });

  test('a later update reaches only the signer who stayed subscribed', async () => {
    const editor = await db.campaignMember.findFirstOrThrow({ where: { campaignId: campaign.id, role: 'EDITOR' } });
    const { id } = await createUpdateDraft(campaign.id, editor.userId, { title: 'Second update', body: 'Thank you.' });
    expect(await startSendingUpdate(campaign.id, id)).toEqual({ ok: true, recipientCount: 1 });

    await e2e.smtp.waitFor((m) => updateMailsTo(id, stays.email).includes(m));
    await eventually(async () => (await db.update.findUniqueOrThrow({ where: { id } })).status === 'SENT', { what: 'the second update to be SENT' });
    expect(updateMailsTo(id, oneClick.email)).toHaveLength(0);
    expect(updateMailsTo(id, viaPage.email)).toHaveLength(0);
    expect(updateMailsTo(firstUpdateId, stays.email)).toHaveLength(1);
  });
});
