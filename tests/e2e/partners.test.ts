// A coalition partner's journey in headless Chromium against the real app (web + worker processes,
// PostgreSQL, Redis, SMTP): co-sign the demo campaign through the public form, confirm from the
// emailed link, get approved by an organiser on the dashboard, appear on the public page; then a
// supporter signs through the partner's tracking link and the partner downloads its consenting signers.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { demoCampaign } from '../../prisma/demo-campaign.ts';
import { browserSessionCookieFor } from '../setup/sessions.ts';
import { confirmLinkFrom } from '../setup/smtp.ts';
import { mailTo, outputDir, useBrowserApp, waitForHydration } from './support.ts';
import { eventually } from '../setup/wait.ts';

const slug = demoCampaign.slug;
const run = randomBytes(3).toString('hex');
const partnerName = `Қазақстан адам құқықтары бюросы ${run}`;
const contactEmail = `bureau-${run}@example.org`;
const supporterEmail = `supporter-${run}@example.net`;

const e2e = useBrowserApp();
let partnerContext: BrowserContext;
let organiserContext: BrowserContext;

// Filled in as the journey goes.
let manageUrl = '';
let partnerSlug = '';
// The demo seed may already list co-signatories of its own.
let organisationsBefore = 0;

beforeAll(async () => {
  partnerContext = e2e.context;
  organiserContext = await e2e.newContext();
  await organiserContext.addCookies([await organiserSessionCookie()]);
});

/** A session cookie for a new editor of the demo campaign. */
async function organiserSessionCookie() {
  const { db } = await import('../../app/utils/db.server.ts');
  const campaign = await db.campaign.findUniqueOrThrow({ where: { slug }, select: { id: true } });
  const user = await db.user.create({ data: { email: `editor-${run}@example.org`, name: 'Aigerim Editor' } });
  await db.campaignMember.create({ data: { campaignId: campaign.id, userId: user.id, role: 'EDITOR' } });
  return browserSessionCookieFor(user.id, e2e.app.baseUrl);
}

async function demoCampaignId() {
  const { db } = await import('../../app/utils/db.server.ts');
  return (await db.campaign.findUniqueOrThrow({ where: { slug }, select: { id: true } })).id;
}

async function open(context: BrowserContext, url: string) {
  const page = await context.newPage();
  await page.goto(url.startsWith('http') ? url : e2e.app.baseUrl + url);
  await waitForHydration(page);
  return page;
}

const coSignatories = (p: Page) => p.getByTestId('co-signatory');

describe('a coalition partner co-signs the demo campaign', () => {
  test('the partner fills in the public form and is asked to check its email', async () => {
    const page = await open(partnerContext, `/c/${slug}`);
    organisationsBefore = await coSignatories(page).count();
    await expect(coSignatories(page).filter({ hasText: partnerName }).count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'Co-sign this statement' }).click();
    await page.waitForURL(`**/c/${slug}/co-sign`);
    await page.getByRole('heading', { level: 1, name: 'Co-sign this statement' }).waitFor();

    const form = page.getByRole('form', { name: 'Co-sign this statement' });
    await form.getByLabel('An organisation', { exact: true }).check();
    await form.getByLabel('Name of the organisation, or your full name', { exact: true }).fill(partnerName);
    await form.getByLabel('Country', { exact: true }).selectOption('KZ');
    // A javascript: address is refused with a message, and everything typed is kept.
    await form.getByLabel('Website (optional)', { exact: true }).fill('javascript:alert(1)');
    await form.getByLabel('Contact email', { exact: true }).fill(contactEmail);
    await form.getByLabel("Representative's name (organisations)", { exact: true }).fill('Евгений Жовтис');
    await form.getByLabel('Logo address (organisations, optional)', { exact: true }).fill('https://bureau.example.org/logo.png');
    await form.getByLabel('A line of support (optional)', { exact: true }).fill('Сөз бостандығы — бәріміздің құқығымыз.');
    await form.getByLabel(/I co-sign this statement in my own name/).check();
    await form.getByRole('button', { name: 'Co-sign' }).click();

    await page.locator('#cs-website-error').waitFor();
    await expect(page.locator('#cs-website-error').innerText()).resolves.toBe('Please enter a web address starting with http:// or https://.');
    await expect(form.getByLabel('Name of the organisation, or your full name', { exact: true }).inputValue()).resolves.toBe(partnerName);
    await expect(form.getByLabel('Contact email', { exact: true }).inputValue()).resolves.toBe(contactEmail);

    await form.getByLabel('Website (optional)', { exact: true }).fill('https://bureau.example.org');
    await form.getByRole('button', { name: 'Co-sign' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
    await expect(page.getByText(contactEmail).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(outputDir, 'partner-co-sign-sent.png'), fullPage: true });
    await page.close();
  });

  test('the partner confirms from the emailed link and awaits approval', async () => {
    const mail = await mailTo(e2e.smtp, contactEmail, 'The partner verification email');
    expect(mail.subject).toBe(`Please confirm your co-signature: ${demoCampaign.title}`);
    const verifyLink = mail.text?.match(/https?:\/\/\S+\/partners\/verify\/\S+/)?.[0];
    manageUrl = mail.text?.match(/https?:\/\/\S+\/partners\/manage\/\S+/)?.[0] ?? '';
    expect(verifyLink?.startsWith(`${e2e.app.baseUrl}/partners/verify/`)).toBe(true);
    expect(manageUrl.startsWith(`${e2e.app.baseUrl}/partners/manage/`)).toBe(true);

    // Opening the link (as a mail scanner would) confirms nothing: it shows a button.
    const page = await open(partnerContext, verifyLink!);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Confirm the co-signature');
    const status = await open(partnerContext, manageUrl);
    await expect(status.getByTestId('co-signature-status').innerText()).resolves.toBe('Not yet confirmed');
    await status.close();

    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.waitForURL('**/partners/manage/**');
    await page.getByText('Thank you: the co-signature is confirmed.').waitFor();
    await expect(page.getByTestId('co-signature-status').innerText()).resolves.toBe('Awaiting approval');

    // Not on the public page before the organisers approve it.
    const publicPage = await open(partnerContext, `/c/${slug}`);
    await expect(coSignatories(publicPage).count()).resolves.toBe(organisationsBefore);
    await expect(coSignatories(publicPage).filter({ hasText: partnerName }).count()).resolves.toBe(0);
    await publicPage.close();
    await page.close();
  });

  test('an organiser approves it on the dashboard, and it appears on the public page', async () => {
    const page = await open(organiserContext, `/dashboard/c/${await demoCampaignId()}/partners`);
    await expect(page.getByTestId('count-PENDING_APPROVAL').innerText()).resolves.toBe('1');
    const approvedBefore = Number(await page.getByTestId('count-APPROVED').innerText());
    const row = page.getByTestId('partner-row').filter({ hasText: partnerName });
    await expect(row.innerText()).resolves.toContain(contactEmail);
    await row.getByRole('button', { name: `Approve ${partnerName}` }).click();
    await page.getByText('Approved: it now appears on the public page.').waitFor();
    // The page's data is revalidated after the action; wait for it rather than race it.
    await eventually(async () => (await page.getByTestId('count-APPROVED').innerText()) === String(approvedBefore + 1), {
      what: 'the approved count to go up by one',
    });
    await expect(page.getByTestId('count-PENDING_APPROVAL').innerText()).resolves.toBe('0');
    await page.screenshot({ path: path.join(outputDir, 'partner-dashboard.png'), fullPage: true });
    await page.close();

    const publicPage = await open(partnerContext, `/c/${slug}`);
    await expect(publicPage.getByRole('heading', { level: 2, name: `Co-signed by (${organisationsBefore + 1})` }).isVisible()).resolves.toBe(true);
    await expect(coSignatories(publicPage).count()).resolves.toBe(organisationsBefore + 1);
    // Newest last.
    const listed = coSignatories(publicPage).last();
    await expect(listed.innerText()).resolves.toContain(partnerName);
    await expect(listed.innerText()).resolves.toContain('Сөз бостандығы — бәріміздің құқығымыз.');
    await expect(listed.innerText()).resolves.not.toContain(contactEmail);
    await expect(listed.locator('img').getAttribute('src')).resolves.toBe('https://bureau.example.org/logo.png');
    await publicPage.screenshot({ path: path.join(outputDir, 'partner-on-campaign-page.png'), fullPage: true });

    // The partner's own public page lists the statement it co-signed.
    await listed.getByRole('link', { name: partnerName }).click();
    await publicPage.waitForURL('**/partners/**');
    await publicPage.getByRole('heading', { level: 1, name: partnerName }).waitFor();
    partnerSlug = new URL(publicPage.url()).pathname.split('/').pop()!;
    expect(partnerSlug).toMatch(/^qazaqstan-adam-quqyqtary-byurosy-[0-9a-f]{6}$/);
    await expect(publicPage.getByTestId('co-signed-campaign').innerText()).resolves.toContain(demoCampaign.title);
    await publicPage.close();
  });

  test("a supporter signs through the partner's link, and the partner downloads only consenting signers", async () => {
    const manage = await open(partnerContext, manageUrl);
    await expect(manage.getByTestId('co-signature-status').innerText()).resolves.toBe('Approved');
    const trackingUrl = await manage.getByTestId('tracking-link').innerText();
    expect(trackingUrl).toBe(`${e2e.app.baseUrl}/c/${slug}?via=${partnerSlug}`);
    await expect(manage.getByTestId('brought-count').innerText()).resolves.toBe('0');

    const supporter = await e2e.newContext();
    try {
      const page = await open(supporter, trackingUrl);
      const form = page.getByRole('form', { name: 'Sign this campaign' });
      const share = form.getByLabel(`Share my name and email with ${partnerName}`);
      await expect(share.isChecked()).resolves.toBe(false);
      await form.getByLabel('Full name', { exact: true }).fill('Алия Шарипова');
      await form.getByLabel('Email', { exact: true }).fill(supporterEmail);
      await form.getByLabel('City or town', { exact: true }).fill('Алматы');
      await form.getByLabel('Country', { exact: true }).selectOption('KZ');
      await share.check();
      await form.getByLabel(/I agree that Chorus stores/).check();
      await form.getByRole('button', { name: 'Sign' }).click();
      await page.waitForURL(`**/c/${slug}/check-email`);

      const confirmation = await mailTo(e2e.smtp, supporterEmail, 'The supporter confirmation email');
      await page.goto(confirmLinkFrom(confirmation));
      await waitForHydration(page);
      await page.getByRole('button', { name: 'Confirm my signature' }).click();
      await page.waitForURL(`**/c/${slug}/thank-you`);
    } finally {
      await supporter.close();
    }

    await manage.reload();
    await expect(manage.getByTestId('brought-count').innerText()).resolves.toBe('1');
    const exportHref = await manage.getByRole('link', { name: 'Download them as CSV' }).getAttribute('href');
    const res = await fetch(e2e.app.baseUrl + exportHref);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const csv = await res.text();
    expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('name,email,city,country,confirmedAt');
    expect(csv).toContain(`Алия Шарипова,${supporterEmail},Алматы,Kazakhstan,`);
    // The earlier signers of the demo campaign did not come through this partner.
    expect(csv.trim().split('\r\n')).toHaveLength(2);
    await manage.screenshot({ path: path.join(outputDir, 'partner-manage.png'), fullPage: true });
    await manage.close();
  });

  test('an organiser creates an invitation link; the co-sign page says approval is skipped, and refuses a wrong link', async () => {
    const page = await open(organiserContext, `/dashboard/c/${await demoCampaignId()}/partners`);
    await page.getByLabel('Note for yourselves (who is it for?)').fill('For the Almaty lawyers');
    await page.getByRole('button', { name: 'Create an invitation link' }).click();
    const inviteUrl = await page.getByTestId('invite-url').innerText();
    expect(inviteUrl).toMatch(new RegExp(`^${e2e.app.baseUrl}/c/${slug}/co-sign\\?invite=[A-Za-z0-9_-]{43}$`));
    await expect(page.getByTestId('invite-row').filter({ hasText: 'For the Almaty lawyers' }).innerText()).resolves.toContain('Unused');
    // The link is shown once: after a reload only the list remains.
    await page.reload();
    await expect(page.getByTestId('invite-url').count()).resolves.toBe(0);
    await page.close();

    const invited = await open(partnerContext, inviteUrl);
    await expect(invited.getByText('You were invited by the organisers').isVisible()).resolves.toBe(true);
    await expect(invited.locator('input[name="invite"]').count()).resolves.toBe(1);
    await invited.close();

    const wrong = await open(partnerContext, `/c/${slug}/co-sign?invite=not-a-real-invitation`);
    await expect(wrong.getByText('This invitation link is not valid for this statement.', { exact: false }).isVisible()).resolves.toBe(true);
    await expect(wrong.locator('input[name="invite"]').count()).resolves.toBe(0);
    await wrong.close();
  });
});
