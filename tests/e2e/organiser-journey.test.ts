// One organiser's journey from nothing to a sent update, in headless Chromium against the real app
// (web + worker processes, PostgreSQL, Redis, SMTP): register and sign in with the emailed link,
// create and publish a campaign, a visitor signs and confirms, the dashboard counts and exports the
// signature, an update reaches the signer, who unsubscribes in one click (RFC 8058), so the next
// update reaches nobody; the addressees' letters arrive. The steps share state and run in order.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { confirmLinkFrom, listUnsubscribeOf, type CapturedMail } from '../setup/smtp.ts';
import { db } from '../../app/utils/db.server.ts';
import { mailTo, outputDir, registerAndSignIn, useBrowserApp, waitForHydration } from './support.ts';
import { eventually } from '../setup/wait.ts';
import { parseCsv } from '../setup/parse-csv.ts';

const run = randomBytes(3).toString('hex');
const organiser = { name: 'Dana Organiser', email: `organiser-${run}@example.org` };
const campaign = { title: 'Free the Almaty Four', slug: `almaty-four-${run}` };
const demands = ['Release the four bloggers at once.', 'Drop every charge against them.', 'Repeal Article 274 of the Criminal Code.'];
const perSignature = { name: 'Prosecutor General', role: 'Head of the prosecution service', email: `prosecutor-${run}@example.org` };
const digest = { name: 'Ministry of Justice', role: 'Ministry', email: `justice-${run}@example.org` };
// A comment with a comma and quotes, so the CSV check needs a real parser.
const visitor = {
  fullName: 'Айгүл Серікова',
  email: `aigul-${run}@example.net`,
  city: 'Алматы',
  comment: 'Free them, now — "all four".',
};
const firstUpdate = { title: 'The hearing is on 12 December', body: 'We will be at the court **from 9:00**.\n\n- Bring a sign\n- Tell a friend' };
const secondUpdate = { title: 'The verdict is postponed', body: 'The court moved the verdict to January.' };

let campaignId = '';
let signatureId = '';
let firstUpdateMail: CapturedMail;

// Moderation off: publishing is the organiser's own step, no reviewer in between.
const e2e = useBrowserApp({ seed: false, appEnv: { MODERATION: 'off' }, contextOptions: { acceptDownloads: true } });

async function goto(p: Page, pathname: string) {
  await p.goto(e2e.app.baseUrl + pathname);
  await waitForHydration(p);
}

const tab = (name: string) => e2e.page.locator('.dash-nav').getByRole('link', { name, exact: true });
const updateRow = (title: string) => e2e.page.getByTestId('update-row').filter({ hasText: title });

/** Reloads the Overview until `testId`'s stat reads `expected` (the numbers are read on each view). */
async function overviewStat(testId: string, expected: RegExp) {
  await eventually(
    async () => {
      if (expected.test(await e2e.page.getByTestId(testId).innerText())) return true;
      await e2e.page.reload();
      await waitForHydration(e2e.page);
      return false;
    },
    { timeoutMs: 15_000, intervalMs: 300, what: `${testId} to read ${expected}` },
  );
}

/** Writes, previews and sends an update from the Updates tab, through the confirmation step. */
async function sendUpdate(
  update: { title: string; body: string },
  recipients: number,
  { checkPreview, screenshot }: { checkPreview?: (preview: Locator) => Promise<void>; screenshot?: string } = {},
) {
  await tab('Updates').click();
  await e2e.page.getByRole('heading', { level: 3, name: 'Write an update' }).waitFor();
  await e2e.page.getByLabel('Title').fill(update.title);
  await e2e.page.getByLabel('Message').fill(update.body);
  await e2e.page.getByRole('button', { name: 'Preview' }).click();
  const preview = e2e.page.getByTestId('update-preview');
  await preview.waitFor();
  await expect(preview.getByRole('heading', { level: 3 }).innerText()).resolves.toBe(update.title);
  await checkPreview?.(preview);
  // What was typed stays in the form.
  await expect(e2e.page.getByLabel('Message').inputValue()).resolves.toBe(update.body);
  if (screenshot) await e2e.page.screenshot({ path: path.join(outputDir, screenshot), fullPage: true });

  const signers = `${recipients} ${recipients === 1 ? 'signer' : 'signers'}`;
  await e2e.page.getByRole('button', { name: `Send to ${signers}` }).click();
  const confirm = e2e.page.getByTestId('confirm-send');
  await confirm.getByRole('heading', { name: `Send “${update.title}” to ${signers}?` }).waitFor();
  await confirm.getByLabel(`I understand this emails ${recipients} ${recipients === 1 ? 'person' : 'people'}.`).check();
  await confirm.getByRole('button', { name: 'Send now' }).click();
  await e2e.page.waitForURL(/\/updates\?sent=/);
  await e2e.page.getByText('Your update is being sent.').waitFor();
  const row = updateRow(update.title);
  // The list revalidates every 3 s while an update is SENDING.
  await eventually(async () => (await row.getByTestId('update-status').innerText()) === 'Sent', {
    what: `“${update.title}” to show as Sent`,
    timeoutMs: 25_000,
  });
  await expect(row.getByTestId('update-progress').innerText()).resolves.toBe(`${recipients} / ${recipients}`);
  return db.update.findFirstOrThrow({ where: { campaignId, title: update.title } });
}

describe("an organiser's journey: register, publish, collect, export, update", () => {
  test('1. registers at /register and signs in through the emailed link', async () => {
    const link = await registerAndSignIn(e2e, e2e.page, organiser);
    expect(link.startsWith(`${e2e.app.baseUrl}/sign-in/`)).toBe(true);
  });

  test('2. creates a campaign with three demands and two addressees, and publishes it', async () => {
    await e2e.page.getByRole('link', { name: 'Start a new campaign' }).click();
    await e2e.page.waitForURL('**/dashboard/new');
    await e2e.page.getByRole('heading', { level: 1, name: 'Start a new campaign' }).waitFor();
    await e2e.page.getByLabel('Title', { exact: true }).fill(campaign.title);
    await e2e.page.getByLabel('Web address').fill(campaign.slug);
    await e2e.page.getByLabel('Summary').fill('Four bloggers face prison for sharing posts about a state bank.');
    await e2e.page.getByLabel('Statement', { exact: true }).fill('We demand justice for the **Almaty Four**.');
    await e2e.page.getByLabel('Signature goal').fill('1000');
    await e2e.page.getByRole('button', { name: 'Create the draft' }).click();
    await e2e.page.waitForURL((u) => /^\/dashboard\/c\/[^/]+\/edit$/.test(u.pathname) && u.searchParams.get('notice') === 'created');
    campaignId = new URL(e2e.page.url()).pathname.split('/')[3];
    await e2e.page.getByText('Your draft campaign was created.').waitFor();

    await tab('Demands').click();
    await e2e.page.getByRole('heading', { level: 2, name: 'Demands' }).waitFor();
    for (const [i, text] of demands.entries()) {
      await e2e.page.getByLabel('New demand').fill(text);
      await e2e.page.getByRole('button', { name: 'Add demand' }).click();
      await eventually(async () => (await e2e.page.getByTestId('demand').count()) === i + 1, { what: `demand ${i + 1} to be listed` });
      await eventually(async () => (await e2e.page.getByLabel('New demand').inputValue()) === '', { what: 'the add form to be cleared' });
    }
    await expect(e2e.page.getByTestId('demand').locator('.demand-text').allInnerTexts()).resolves.toEqual(demands);

    await tab('Addressees').click();
    await e2e.page.getByRole('heading', { level: 2, name: 'Addressees' }).waitFor();
    for (const [i, a] of [perSignature, digest].entries()) {
      const form = e2e.page.getByRole('form', { name: 'Add an addressee' });
      await form.getByLabel('Name').fill(a.name);
      await form.getByLabel('Role or title').fill(a.role);
      await form.getByLabel('Email', { exact: true }).fill(a.email);
      if (a === digest) {
        await form.getByLabel('Delivery').selectOption('DIGEST');
        await form.getByLabel('Digest interval (minutes)').fill('15');
      }
      await form.getByRole('button', { name: 'Add addressee' }).click();
      await eventually(async () => (await e2e.page.getByTestId('addressee-row').count()) === i + 1, { what: `addressee ${i + 1} to be listed` });
    }
    const rows = await e2e.page.getByTestId('addressee-row').allInnerTexts();
    expect(rows[0]).toContain(`${perSignature.name}, ${perSignature.role}`);
    expect(rows[0]).toContain('A letter per signature');
    expect(rows[1]).toContain(`${digest.name}, ${digest.role}`);
    expect(rows[1]).toContain('Digest every 15 minutes');

    await tab('Publish & status').click();
    await expect(e2e.page.getByTestId('campaign-status').innerText()).resolves.toContain('Draft');
    await e2e.page.getByRole('button', { name: 'Publish the campaign' }).click();
    await e2e.page.getByText('The campaign is published').waitFor();
    await expect(e2e.page.getByTestId('campaign-status').innerText()).resolves.toContain('Published');
    expect(await db.campaign.findUniqueOrThrow({ where: { id: campaignId }, select: { status: true } })).toEqual({ status: 'PUBLISHED' });
  });

  test('3. a visitor without cookies signs with updates ticked, and confirms from the email', async () => {
    const visitorContext = await e2e.newContext();
    try {
      const p = await visitorContext.newPage();
      await goto(p, `/c/${campaign.slug}`);
      await p.getByRole('heading', { level: 1, name: campaign.title, exact: true }).waitFor();
      await expect(p.getByText('Preview — not public.').count()).resolves.toBe(0);
      await expect(p.locator('ol.demands > li').allInnerTexts()).resolves.toEqual(demands);

      const form = p.getByRole('form', { name: 'Sign this campaign' });
      await form.getByLabel('Full name', { exact: true }).fill(visitor.fullName);
      await form.getByLabel('Email', { exact: true }).fill(visitor.email);
      await form.getByLabel('City or town', { exact: true }).fill(visitor.city);
      await form.getByLabel('Country', { exact: true }).selectOption('KZ');
      await form.getByLabel('Why are you signing? (optional)', { exact: true }).fill(visitor.comment);
      await form.getByLabel(/Show my full name publicly/).check();
      await form.getByLabel('Email me updates about this campaign.').check();
      await form.getByLabel(/I agree that Chorus stores/).check();
      await form.getByRole('button', { name: 'Sign' }).click();
      await p.waitForURL(`**/c/${campaign.slug}/check-email`);
      await p.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor();

      const link = confirmLinkFrom(await mailTo(e2e.smtp, visitor.email, 'The confirmation email'));
      expect(link.startsWith(`${e2e.app.baseUrl}/confirm/`)).toBe(true);
      await goto(p, new URL(link).pathname);
      await p.getByRole('heading', { level: 1, name: 'Confirm your signature' }).waitFor();
      await p.getByRole('button', { name: 'Confirm my signature' }).click();
      await p.waitForURL(`**/c/${campaign.slug}/thank-you`);
      await p.getByRole('heading', { level: 1, name: 'Thank you — your signature is confirmed', exact: true }).waitFor();
    } finally {
      await visitorContext.close();
    }

    const signature = await db.signature.findFirstOrThrow({ where: { campaignId, email: visitor.email } });
    expect(signature).toMatchObject({ status: 'CONFIRMED', wantsUpdates: true, showName: true, unsubscribedAt: null });
    signatureId = signature.id;
  });

  test('4. the dashboard counts the signature, draws the chart, and exports it as CSV', async () => {
    await tab('Overview').click();
    await e2e.page.getByRole('heading', { level: 2, name: 'Numbers' }).waitFor();
    await overviewStat('stat-confirmed', /^1\s+confirmed$/);
    await expect(e2e.page.getByTestId('stat-pending').innerText()).resolves.toMatch(/^0\s+waiting for confirmation$/);
    await expect(e2e.page.getByTestId('stat-submitted').innerText()).resolves.toMatch(/^1\s+submitted in all$/);

    // The chart is drawn on a canvas once React has hydrated; before that a table stands in.
    const canvas = e2e.page.locator('.chart-box canvas');
    await canvas.waitFor({ state: 'visible' });
    const box = await canvas.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(100);
    await e2e.page.screenshot({ path: path.join(outputDir, 'journey-dashboard-overview.png'), fullPage: true });

    const [download] = await Promise.all([
      e2e.page.waitForEvent('download'),
      e2e.page.getByRole('link', { name: 'Download confirmed signatures (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${campaign.slug}-signatures-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0), 'a UTF-8 byte-order mark for spreadsheet programs').toBe(0xfeff);
    const [header, ...rows] = parseCsv(csv.slice(1));
    expect(header).toEqual(['name', 'fullName', 'email', 'city', 'country', 'comment', 'commentHidden', 'wantsUpdates', 'unsubscribedAt', 'confirmedAt']);
    expect(rows).toHaveLength(1);
    const row = Object.fromEntries(header.map((column, i) => [column, rows[0][i]]));
    expect(row).toMatchObject({
      name: visitor.fullName,
      fullName: visitor.fullName,
      email: visitor.email,
      city: visitor.city,
      country: 'Kazakhstan',
      comment: visitor.comment,
      commentHidden: 'false',
      wantsUpdates: 'true',
      unsubscribedAt: '',
    });
    expect(Number.isNaN(Date.parse(row.confirmedAt))).toBe(false);
    expect(rows[0]).toHaveLength(header.length);

    // The download is logged with who and how many rows.
    await e2e.page.reload();
    await waitForHydration(e2e.page);
    const cells = await e2e.page.getByTestId('exports').locator('tbody tr').first().locator('td').allInnerTexts();
    expect(cells.slice(1)).toEqual([`${organiser.name} (${organiser.email})`, 'Signatures (CSV)', '1']);
  });

  test('5. composes, previews and sends an update; the signer receives it with one-click unsubscribe headers', async () => {
    const sent = await sendUpdate(firstUpdate, 1, {
      screenshot: 'journey-update-preview.png',
      // The Markdown rendered (and sanitised) on the server, as the email and the campaign page show it.
      checkPreview: async (preview) => {
        await expect(preview.locator('strong').innerText()).resolves.toBe('from 9:00');
        await expect(preview.locator('li').allInnerTexts()).resolves.toEqual(['Bring a sign', 'Tell a friend']);
      },
    });
    expect(sent).toMatchObject({ status: 'SENT', recipientCount: 1, sentCount: 1 });

    firstUpdateMail = await e2e.smtp.waitFor((m) => m.envelopeTo.includes(visitor.email) && m.messageId?.startsWith(`<update-${sent.id}-`) === true);
    expect(firstUpdateMail.subject).toBe(`${firstUpdate.title} — ${campaign.title}`);
    expect(firstUpdateMail.html).toContain('<strong>from 9:00</strong>');
    expect(firstUpdateMail.text).toContain('We will be at the court from 9:00.');
    const { url, postLine } = listUnsubscribeOf(firstUpdateMail);
    expect(url.startsWith(`${e2e.app.baseUrl}/u/${signatureId}/`)).toBe(true);
    expect(postLine).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    // Signers only: the organiser and the addressees get no update.
    for (const address of [organiser.email, perSignature.email, digest.email]) {
      expect(e2e.smtp.to(address).filter((m) => m.messageId?.startsWith(`<update-${sent.id}-`))).toHaveLength(0);
    }
  });

  test('6. the signer unsubscribes in one click, and the next update reaches nobody', async () => {
    const { url } = listUnsubscribeOf(firstUpdateMail);
    // What a mail provider sends (RFC 8058): a form POST, no cookies, no redirects followed.
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      redirect: 'manual',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You are unsubscribed');
    const signature = await db.signature.findUniqueOrThrow({ where: { id: signatureId } });
    expect(signature.unsubscribedAt).toBeInstanceOf(Date);
    expect(signature.status).toBe('CONFIRMED'); // the signature still counts

    const second = await sendUpdate(secondUpdate, 0);
    expect(second).toMatchObject({ status: 'SENT', recipientCount: 0, sentCount: 0 });
    expect(await db.updateDelivery.count({ where: { updateId: second.id } })).toBe(0);
    expect(e2e.smtp.to(visitor.email).filter((m) => m.subject?.startsWith(secondUpdate.title))).toHaveLength(0);

    await tab('Overview').click();
    await e2e.page.getByRole('heading', { level: 2, name: 'Numbers' }).waitFor();
    await overviewStat('stat-unsubscribed', /^1\s+unsubscribed from updates$/);
    await expect(e2e.page.getByTestId('stat-confirmed').innerText()).resolves.toMatch(/^1\s+confirmed$/);
  });

  test('7. the per-signature addressee gets a letter naming the signer; the digest addressee a digest', async () => {
    const letter = await mailTo(e2e.smtp, perSignature.email, 'The per-signature letter');
    expect(letter.subject).toBe(`${campaign.title}: a letter from ${visitor.fullName}, ${visitor.city}`);
    expect(letter.text).toContain(`To: ${perSignature.name}, ${perSignature.role}`);
    demands.forEach((demand, i) => expect(letter.text).toContain(`${i + 1}. ${demand}`));
    expect(`${letter.text}\n${letter.html}`).not.toContain(visitor.email);
    expect(e2e.smtp.to(perSignature.email)).toHaveLength(1);

    // A digest addressee that never had one is due at once; later ones wait for the interval.
    const digestMail = await mailTo(e2e.smtp, digest.email, 'The first digest');
    expect(digestMail.subject).toBe(`${campaign.title}: 1 new signature`);
    expect(digestMail.text).toContain(`- ${visitor.fullName}, ${visitor.city}`);
    expect(digestMail.attachments).toHaveLength(1);
    expect(digestMail.attachments[0].contentType).toMatch(/^text\/csv/);
    expect(digestMail.attachments[0].content.toString('utf8')).toContain(visitor.fullName);
    expect(e2e.smtp.to(digest.email)).toHaveLength(1);

    // The Overview's delivery table shows one letter to each.
    await e2e.page.reload();
    await waitForHydration(e2e.page);
    await eventually(
      async () => {
        const rows = e2e.page.getByTestId('addressee-numbers');
        const cells = await Promise.all([0, 1].map((i) => rows.nth(i).locator('td').allInnerTexts()));
        // Addressee, emails accepted, signatures delivered, pending, failed, last delivered.
        const counts = cells.map((c) => c.slice(1, 5).join(' '));
        if ((await rows.count()) === 2 && counts.every((c) => c === '1 1 0 0')) return true;
        await e2e.page.reload();
        throw new Error(`the rows read ${JSON.stringify(counts)}`);
      },
      { timeoutMs: 15_000, intervalMs: 500, what: 'each addressee to show 1 email accepted, 1 signature delivered' },
    );
  });
});
