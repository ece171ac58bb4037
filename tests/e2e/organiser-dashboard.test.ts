// A signed-in organiser opens a campaign's dashboard in headless Chromium against the real app
// (web + worker, PostgreSQL, Redis, SMTP): sees the numbers and the chart, downloads the CSV.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { createCampaign, signer } from '../setup/factories.ts';
import { browserSessionCookieFor } from '../setup/sessions.ts';
import { outputDir, useBrowserApp, waitForHydration } from './support.ts';

// The app's children inherit this, so the cookie signed here is valid there.
process.env.SESSION_SECRET = `e2e-dashboard-session-secret-${randomBytes(8).toString('hex')}`;

const { db } = await import('../../app/utils/db.server.ts');
const { confirmationToken } = await import('../../app/utils/crypto.server.ts');
const { createSignature, confirmSignature } = await import('../../app/models/signature.server.ts');

const signers = [
  signer({ fullName: 'Нұрғали Ақжігітов', city: 'Өскемен', comment: '=1+1' }),
  signer({ fullName: 'Айгүл Серікова', city: 'Алматы', showName: true }),
  signer({ fullName: 'Ержан Төлеуов', city: 'Семей' }),
];
let campaign: Awaited<ReturnType<typeof createCampaign>>;

/** A new member of the campaign with a live session; returns the user and its session cookie. */
async function organiserCookie(role: 'OWNER' | 'VIEWER') {
  const user = await db.user.create({ data: { email: `${role.toLowerCase()}-${randomBytes(4).toString('hex')}@example.org`, name: `Dana ${role}` } });
  await db.campaignMember.create({ data: { campaignId: campaign.id, userId: user.id, role } });
  return { user, ...(await browserSessionCookieFor(user.id, e2e.app.baseUrl)) };
}

// Registered before useBrowserApp's, so the campaign and its signatures exist before the app starts.
beforeAll(async () => {
  campaign = await createCampaign({ addressees: [{ name: 'Prosecutor General' }] });
  for (const [i, input] of signers.entries()) {
    const { signatureId } = await createSignature(campaign.slug, input, `192.0.2.${60 + i}`);
    await confirmSignature(confirmationToken(signatureId!));
  }
  await createSignature(campaign.slug, signer({ fullName: 'Pending Person' }), '192.0.2.70');
});

const e2e = useBrowserApp({ seed: false, contextOptions: { acceptDownloads: true } });

describe('the organiser dashboard', () => {
  test('shows the numbers and the chart, and downloads the signatures as CSV', async () => {
    const owner = await organiserCookie('OWNER');
    await e2e.context.addCookies([{ name: owner.name, value: owner.value, url: e2e.app.baseUrl }]);

    await e2e.page.goto(`${e2e.app.baseUrl}/dashboard/c/${campaign.id}`);
    await waitForHydration(e2e.page);
    await expect(e2e.page.getByTestId('stat-confirmed').innerText()).resolves.toMatch(/^3\s+confirmed$/);
    await expect(e2e.page.getByTestId('stat-pending').innerText()).resolves.toMatch(/^1\s+waiting for confirmation$/);
    await expect(e2e.page.getByTestId('stat-submitted').innerText()).resolves.toMatch(/^4\s+submitted in all$/);
    // After hydration the chart is drawn on a canvas; the table stays available behind a toggle.
    const canvas = e2e.page.locator('.chart-box canvas');
    await canvas.waitFor({ state: 'visible' });
    const box = await canvas.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(100);
    await expect(e2e.page.locator('details.chart-table').getAttribute('open')).resolves.toBeNull();
    await e2e.page.screenshot({ path: path.join(outputDir, 'dashboard-overview.png'), fullPage: true });

    const [download] = await Promise.all([
      e2e.page.waitForEvent('download'),
      e2e.page.getByRole('link', { name: 'Download confirmed signatures (CSV)' }).click(),
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
    await e2e.page.reload();
    const cells = await e2e.page.getByTestId('exports').locator('tbody tr').first().locator('td').allInnerTexts();
    expect(cells.slice(1)).toEqual([`Dana OWNER (${owner.user.email})`, 'Signatures (CSV)', '3']);
    const log = await db.exportLog.findFirstOrThrow({ where: { campaignId: campaign.id } });
    expect(log).toMatchObject({ userId: owner.user.id, rowCount: 3, kind: 'signatures-csv' });
  });

  test('gives a viewer a CSV without email addresses or hidden full names, and strangers nothing', async () => {
    const viewer = await organiserCookie('VIEWER');
    const res = await fetch(`${e2e.app.baseUrl}/dashboard/c/${campaign.id}/export`, { headers: { Cookie: `${viewer.name}=${viewer.value}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.csv"$/);
    const csv = await res.text();
    expect(csv.split('\r\n')[0]).toBe('name,city,wantsUpdates,unsubscribedAt,confirmedAt'); // fetch drops the BOM
    expect(csv).toContain('Нұрғали А.,Өскемен,');
    expect(csv).toContain('Айгүл Серікова,Алматы,');
    expect(csv).not.toContain('Ақжігітов');
    expect(csv).not.toContain('@example.net');

    const signedOut = await fetch(`${e2e.app.baseUrl}/dashboard/c/${campaign.id}/export`, { redirect: 'manual' });
    expect(signedOut.status).toBe(302);
    expect(signedOut.headers.get('location')).toMatch(/^\/sign-in\?redirectTo=/);
  });

  test('lists signatures, hides a comment with a reason, and pauses an addressee', async () => {
    // The owner's session from the first test is still in the browser.
    await e2e.page.goto(`${e2e.app.baseUrl}/dashboard/c/${campaign.id}/signatures`);
    await waitForHydration(e2e.page);
    await expect(e2e.page.getByTestId('signature-total').innerText()).resolves.toBe('4 signatures');
    const row = e2e.page.getByTestId('signature-row').filter({ hasText: 'Нұрғали Ақжігітов' });
    await expect(row.innerText()).resolves.toContain(signers[0].email);

    // No reason: the form says so and nothing changes.
    await row.getByRole('button', { name: 'Hide comment' }).click();
    await row.getByText('Please give a reason for hiding this comment.').waitFor();
    await row.getByLabel('Reason for hiding').fill('Not about the campaign');
    await row.getByRole('button', { name: 'Hide comment' }).click();
    await e2e.page.getByRole('status').filter({ hasText: 'The comment is hidden.' }).waitFor();
    await row.getByText(/Hidden .*: Not about the campaign/).waitFor();
    const stored = await db.signature.findFirstOrThrow({ where: { campaignId: campaign.id, email: signers[0].email } });
    expect(stored.commentHiddenReason).toBe('Not about the campaign');

    // Search keeps working through the query string.
    await e2e.page.getByLabel(/^Search/).fill('алматы');
    await e2e.page.getByRole('button', { name: 'Search', exact: true }).click();
    await e2e.page.waitForURL(/q=/);
    // The URL changes before React renders the new list: wait for the other rows to leave.
    await e2e.page.getByTestId('signature-row').filter({ hasNotText: 'Айгүл Серікова' }).first().waitFor({ state: 'detached' });
    await expect(e2e.page.getByTestId('signature-row').allInnerTexts()).resolves.toEqual([expect.stringContaining('Айгүл Серікова')]);

    await e2e.page.goto(`${e2e.app.baseUrl}/dashboard/c/${campaign.id}/deliveries`);
    await waitForHydration(e2e.page);
    const addressee = e2e.page.getByTestId('addressee-row').filter({ hasText: 'Prosecutor General' });
    await expect(addressee.innerText()).resolves.toContain('Delivering');
    await expect(e2e.page.getByTestId('delivery-row').count()).resolves.toBe(3);
    await expect(e2e.page.getByTestId('delivery-log').innerText()).resolves.toMatch(/Letter\s+1\s+Accepted/);
    await addressee.getByRole('button', { name: 'Pause' }).click();
    await e2e.page.getByRole('status').filter({ hasText: 'paused' }).waitFor();
    await expect(addressee.innerText()).resolves.toContain('Paused');
    await addressee.getByRole('button', { name: 'Resume' }).click();
    await e2e.page.getByRole('status').filter({ hasText: 'resumed' }).waitFor();
    await expect(addressee.innerText()).resolves.toContain('Delivering');
    await e2e.page.screenshot({ path: path.join(outputDir, 'dashboard-deliveries.png'), fullPage: true });
  });

  test('the Deliveries tab says why an addressee was paused, and which signers are suppressed', async () => {
    const pausedAt = new Date();
    const ministry = await db.addressee.create({
      data: {
        campaignId: campaign.id,
        position: 1,
        name: 'Ministry of Justice',
        role: 'Minister',
        email: 'minister@justice.example.kz',
        // As Chorus leaves it after three hard bounces (its notice already sent).
        paused: true,
        pausedAt,
        pauseReason: '5.1.1 550 5.1.1 <minister@justice.example.kz>: User unknown',
        hardBounces: 3,
        pauseNoticeSentAt: pausedAt,
      },
    });
    const complained = signers[1];
    await db.suppressedAddress.create({ data: { emailNormalized: complained.email.toLowerCase(), reason: 'COMPLAINT', detail: 'feedback-type abuse' } });

    const owner = await organiserCookie('OWNER');
    await e2e.context.addCookies([{ name: owner.name, value: owner.value, url: e2e.app.baseUrl }]);
    await e2e.page.goto(`${e2e.app.baseUrl}/dashboard/c/${campaign.id}/deliveries?addressee=${ministry.id}`);
    await waitForHydration(e2e.page);
    const row = e2e.page.getByTestId('addressee-row').filter({ hasText: 'Ministry of Justice' });
    await expect(row.innerText()).resolves.toContain('Paused automatically');
    const reason = await e2e.page.getByTestId('pause-reason').innerText();
    expect(reason).toContain('after 3 hard bounces');
    expect(reason).toContain('Last diagnostic: 5.1.1 550 5.1.1 <minister@justice.example.kz>: User unknown');
    const suppressed = e2e.page.getByTestId('suppressed-signer');
    await expect(suppressed.count()).resolves.toBe(1);
    const line = await suppressed.innerText();
    expect(line).toContain(complained.fullName);
    expect(line).toContain(complained.email);
    expect(line).toContain('Complaint (marked as spam)');
    await e2e.page.screenshot({ path: path.join(outputDir, 'dashboard-deliveries-paused.png'), fullPage: true });

    // A viewer sees the counts, not who.
    const viewer = await organiserCookie('VIEWER');
    await e2e.context.clearCookies();
    await e2e.context.addCookies([{ name: viewer.name, value: viewer.value, url: e2e.app.baseUrl }]);
    await e2e.page.goto(`${e2e.app.baseUrl}/dashboard/c/${campaign.id}/deliveries?addressee=${ministry.id}`);
    await expect(e2e.page.getByTestId('suppressions').innerText()).resolves.toContain('1 signer address is suppressed: 0 after a hard bounce, 1 after a complaint');
    await expect(e2e.page.getByTestId('suppressed-signer').count()).resolves.toBe(0);

    // A pause by hand says so.
    await db.addressee.update({ where: { id: ministry.id }, data: { pauseReason: null } });
    await e2e.page.reload();
    await expect(e2e.page.getByTestId('pause-reason').innerText()).resolves.toMatch(/^Paused by an organiser on /);
  });

  test('refuses moderation to a viewer', async () => {
    const viewer = await organiserCookie('VIEWER');
    const signature = await db.signature.findFirstOrThrow({ where: { campaignId: campaign.id, email: signers[0].email } });
    const res = await fetch(`${e2e.app.baseUrl}/dashboard/c/${campaign.id}/signatures`, {
      method: 'POST',
      headers: { Cookie: `${viewer.name}=${viewer.value}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ intent: 'unhide', signatureId: signature.id }),
    });
    expect(res.status).toBe(403);
    expect((await db.signature.findUniqueOrThrow({ where: { id: signature.id } })).commentHiddenAt).not.toBeNull();
  });
});
