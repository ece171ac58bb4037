// A signed-in organiser opens a campaign's dashboard in headless Chromium against the real app
// (web + worker, PostgreSQL, Redis, SMTP): sees the numbers and the chart, downloads the CSV.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../setup/app-processes.ts';
import { TestSmtpServer } from '../setup/smtp.ts';
import { createCampaign, signer } from '../setup/factories.ts';
import { ensureOutputDir, launchBrowser, trackReactCommits, waitForHydration } from './support.ts';

// The app's children inherit this, so the cookie signed here is valid there.
process.env.SESSION_SECRET = `e2e-dashboard-session-secret-${randomBytes(8).toString('hex')}`;

const { db } = await import('../../app/utils/db.server.ts');
const { confirmationToken } = await import('../../app/utils/crypto.server.ts');
const { consumeLoginToken, loginTokenFor } = await import('../../app/models/user.server.ts');
const { sha256 } = await import('../../app/utils/crypto.server.ts');
const { serializeSessionId } = await import('../../app/utils/session.server.ts');
const { createSignature, confirmSignature } = await import('../../app/models/signature.server.ts');

let smtp: TestSmtpServer;
let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let outputDir: string;
const browserLog: string[] = [];

const signers = [
  signer({ fullName: 'Нұрғали Ақжігітов', city: 'Өскемен', comment: '=1+1' }),
  signer({ fullName: 'Айгүл Серікова', city: 'Алматы', showName: true }),
  signer({ fullName: 'Ержан Төлеуов', city: 'Семей' }),
];
let campaign: Awaited<ReturnType<typeof createCampaign>>;

/** A member with a live session, signed in the way the sign-in link does it; returns its cookie. */
async function organiserCookie(role: 'OWNER' | 'VIEWER') {
  const user = await db.user.create({ data: { email: `${role.toLowerCase()}-${randomBytes(4).toString('hex')}@example.org`, name: `Dana ${role}` } });
  await db.campaignMember.create({ data: { campaignId: campaign.id, userId: user.id, role } });
  const token = await db.loginToken.create({ data: { userId: user.id, tokenHash: 'pending', expiresAt: new Date(Date.now() + 600_000) } });
  await db.loginToken.update({ where: { id: token.id }, data: { tokenHash: sha256(loginTokenFor(token.id)) } });
  const session = await consumeLoginToken(loginTokenFor(token.id));
  if (!session.ok) throw new Error(`could not sign in: ${session.reason}`);
  const header = await serializeSessionId(session.sessionId);
  const pair = header.split(';')[0];
  return { user, name: pair.slice(0, pair.indexOf('=')), value: pair.slice(pair.indexOf('=') + 1) };
}

beforeAll(async () => {
  outputDir = await ensureOutputDir();
  smtp = new TestSmtpServer();
  const smtpUrl = await smtp.start();
  campaign = await createCampaign({ addressees: [{ name: 'Prosecutor General' }] });
  for (const [i, input] of signers.entries()) {
    const { signatureId } = await createSignature(campaign.slug, input, `192.0.2.${60 + i}`);
    await confirmSignature(confirmationToken(signatureId!));
  }
  await createSignature(campaign.slug, signer({ fullName: 'Pending Person' }), '192.0.2.70');

  [app, browser] = await Promise.all([startApp({ smtpUrl, seed: false }), launchBrowser()]);
  context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  context.setDefaultTimeout(15_000);
  await trackReactCommits(context);
  page = await context.newPage();
  page.on('pageerror', (error) => browserLog.push(`[pageerror] ${error.message}`));
  page.on('console', (message) => browserLog.push(`[console.${message.type()}] ${message.text()}`));
});

afterEach((ctx) => {
  app?.reportIfFailed(ctx);
  if (!ctx.task.fails && ctx.task.result?.errors?.length && browserLog.length) process.stderr.write(`--- browser ---\n${browserLog.join('\n')}\n`);
  browserLog.length = 0;
});

afterAll(async () => {
  await context?.close().catch(() => {});
  await browser?.close().catch(() => {});
  await app?.stop();
  await smtp?.stop();
});

describe('the organiser dashboard', () => {
  test('shows the numbers and the chart, and downloads the signatures as CSV', async () => {
    const owner = await organiserCookie('OWNER');
    await context.addCookies([{ name: owner.name, value: owner.value, url: app.baseUrl }]);

    await page.goto(`${app.baseUrl}/dashboard/c/${campaign.id}`);
    await waitForHydration(page);
    await expect(page.getByTestId('stat-confirmed').innerText()).resolves.toMatch(/^3\s+confirmed$/);
    await expect(page.getByTestId('stat-pending').innerText()).resolves.toMatch(/^1\s+waiting for confirmation$/);
    await expect(page.getByTestId('stat-submitted').innerText()).resolves.toMatch(/^4\s+submitted in all$/);
    // After hydration the chart is drawn on a canvas; the table stays available behind a toggle.
    const canvas = page.locator('.chart-box canvas');
    await canvas.waitFor({ state: 'visible' });
    const box = await canvas.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(100);
    await expect(page.locator('details.chart-table').getAttribute('open')).resolves.toBeNull();
    await page.screenshot({ path: path.join(outputDir, 'dashboard-overview.png'), fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download confirmed signatures (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${campaign.slug}-signatures-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFFname,fullName,email,city,country,comment,commentHidden,wantsUpdates,unsubscribedAt,confirmedAt\r\n')).toBe(true);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(4);
    for (const s of signers) expect(csv).toContain(`${s.fullName},${s.email},${s.city},Kazakhstan`);
    expect(csv).toContain(",'=1+1,");
    expect(csv).not.toContain('Pending Person');

    // The download is in the exports log, with who and how many rows.
    await page.reload();
    const cells = await page.getByTestId('exports').locator('tbody tr').first().locator('td').allInnerTexts();
    expect(cells.slice(1)).toEqual([`Dana OWNER (${owner.user.email})`, 'Signatures (CSV)', '3']);
    const log = await db.exportLog.findFirstOrThrow({ where: { campaignId: campaign.id } });
    expect(log).toMatchObject({ userId: owner.user.id, rowCount: 3, kind: 'signatures-csv' });
  });

  test('gives a viewer a CSV without email addresses or hidden full names, and strangers nothing', async () => {
    const viewer = await organiserCookie('VIEWER');
    const res = await fetch(`${app.baseUrl}/dashboard/c/${campaign.id}/export`, { headers: { Cookie: `${viewer.name}=${viewer.value}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.csv"$/);
    const csv = await res.text();
    expect(csv.split('\r\n')[0]).toBe('name,city,wantsUpdates,unsubscribedAt,confirmedAt'); // fetch drops the BOM
    expect(csv).toContain('Нұрғали А.,Өскемен,');
    expect(csv).toContain('Айгүл Серікова,Алматы,');
    expect(csv).not.toContain('Ақжігітов');
    expect(csv).not.toContain('@example.net');

    const signedOut = await fetch(`${app.baseUrl}/dashboard/c/${campaign.id}/export`, { redirect: 'manual' });
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get('location')).toMatch(/^\/sign-in\?redirectTo=/);
  });

  test('lists signatures, hides a comment with a reason, and pauses an addressee', async () => {
    // The owner's session from the first test is still in the browser.
    await page.goto(`${app.baseUrl}/dashboard/c/${campaign.id}/signatures`);
    await waitForHydration(page);
    await expect(page.getByTestId('signature-total').innerText()).resolves.toBe('4 signatures');
    const row = page.getByTestId('signature-row').filter({ hasText: 'Нұрғали Ақжігітов' });
    await expect(row.innerText()).resolves.toContain(signers[0].email);

    // No reason: the form says so and nothing changes.
    await row.getByRole('button', { name: 'Hide comment' }).click();
    await row.getByText('Please give a reason for hiding this comment.').waitFor();
    await row.getByLabel('Reason for hiding').fill('Not about the campaign');
    await row.getByRole('button', { name: 'Hide comment' }).click();
    await page.getByRole('status').filter({ hasText: 'The comment is hidden.' }).waitFor();
    await row.getByText(/Hidden .*: Not about the campaign/).waitFor();
    const stored = await db.signature.findFirstOrThrow({ where: { campaignId: campaign.id, email: signers[0].email } });
    expect(stored.commentHiddenReason).toBe('Not about the campaign');

    // Search keeps working through the query string.
    await page.getByLabel(/^Search/).fill('алматы');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/q=/);
    await expect(page.getByTestId('signature-row').allInnerTexts()).resolves.toEqual([expect.stringContaining('Айгүл Серікова')]);

    await page.goto(`${app.baseUrl}/dashboard/c/${campaign.id}/deliveries`);
    await waitForHydration(page);
    const addressee = page.getByTestId('addressee-row').filter({ hasText: 'Prosecutor General' });
    await expect(addressee.innerText()).resolves.toContain('Delivering');
    await expect(page.getByTestId('delivery-row').count()).resolves.toBe(3);
    await expect(page.getByTestId('delivery-log').innerText()).resolves.toMatch(/Letter\s+1\s+Accepted/);
    await addressee.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('status').filter({ hasText: 'paused' }).waitFor();
    await expect(addressee.innerText()).resolves.toContain('Paused');
    await addressee.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('status').filter({ hasText: 'resumed' }).waitFor();
    await expect(addressee.innerText()).resolves.toContain('Delivering');
    await page.screenshot({ path: path.join(outputDir, 'dashboard-deliveries.png'), fullPage: true });
  });

  test('refuses moderation to a viewer', async () => {
    const viewer = await organiserCookie('VIEWER');
    const signature = await db.signature.findFirstOrThrow({ where: { campaignId: campaign.id, email: signers[0].email } });
    const res = await fetch(`${app.baseUrl}/dashboard/c/${campaign.id}/signatures`, {
      method: 'POST',
      headers: { Cookie: `${viewer.name}=${viewer.value}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ intent: 'unhide', signatureId: signature.id }),
    });
    expect(res.status).toBe(403);
    expect((await db.signature.findUniqueOrThrow({ where: { id: signature.id } })).commentHiddenAt).not.toBeNull();
  });
});
