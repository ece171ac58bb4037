// A signer's whole journey through the real app (web + worker processes, PostgreSQL, Redis, SMTP)
// in headless Chromium: find the campaign, sign, confirm from the email, see the count and the
// letter delivered to the addressee.
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { demoCampaign } from '../../prisma/demo-campaign.ts';
import { confirmLinkFrom } from '../setup/smtp.ts';
import { mailTo, outputDir, useBrowserApp, waitForHydration } from './support.ts';
import { eventually } from '../setup/wait.ts';

const slug = demoCampaign.slug;
const signerName = 'Нұрғали Ақжігітов';
const signerCity = 'Өскемен';
const signerEmail = `nurgali-${randomBytes(4).toString('hex')}@example.net`;
const president = demoCampaign.addressees.find((a) => a.email === 'president@example.org')!;

const e2e = useBrowserApp();

async function countFromApi(): Promise<number> {
  const res = await fetch(`${e2e.app.baseUrl}/c/${slug}/count`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { count: number }).count;
}

/** The addressee's <li> on the campaign page. */
const addresseeItem = (p: Page, name: string) => p.getByTestId('addressee').filter({ hasText: name });

describe('signing the demo campaign', () => {
  test('the home page lists the campaign, and its page shows the statement, demands, addressees, count and form', async () => {
    await e2e.page.goto(e2e.app.baseUrl + '/');
    await waitForHydration(e2e.page);
    const link = e2e.page.getByRole('heading', { level: 2, name: demoCampaign.title }).getByRole('link');
    await link.click();
    await e2e.page.waitForURL(`**/c/${slug}`);
    // Client-side navigation: the URL changes first, then React renders the campaign.
    await e2e.page.getByRole('heading', { level: 1, name: demoCampaign.title, exact: true }).waitFor();
    expect(await e2e.page.title()).toBe(`${demoCampaign.title} — Chorus`);

    // The demands, in order, as a numbered list.
    const demands = e2e.page.locator('ol.demands');
    await expect(demands.count()).resolves.toBe(1);
    await expect(demands.locator('> li').allInnerTexts()).resolves.toEqual([...demoCampaign.demands]);

    const addressees = e2e.page.getByTestId('addressee');
    await expect(addressees.count()).resolves.toBe(4);
    const addresseeTexts = await addressees.allInnerTexts();
    demoCampaign.addressees.forEach((a, i) => {
      expect(addresseeTexts[i]).toContain(a.name);
      expect(addresseeTexts[i]).toContain(a.role);
      expect(addresseeTexts[i]).not.toContain(a.email); // the page never shows an addressee's address
    });

    await expect(e2e.page.getByTestId('signature-count').innerText()).resolves.toBe('0');
    await expect(e2e.page.getByText('signatures of 5,000').isVisible()).resolves.toBe(true);

    const form = e2e.page.getByRole('form', { name: 'Sign this campaign' });
    for (const label of ['Full name', 'Email', 'City or town', 'Country', 'Why are you signing? (optional)']) {
      await expect(form.getByLabel(label, { exact: true }).isVisible(), label).resolves.toBe(true);
    }
    await expect(form.getByRole('button', { name: 'Sign' }).isEnabled()).resolves.toBe(true);

    await e2e.page.screenshot({ path: path.join(outputDir, 'campaign-page.png'), fullPage: true });
  });

  test('a signer signs, confirms from the email, is counted and listed, and the President gets a letter', async () => {
    await e2e.page.goto(`${e2e.app.baseUrl}/c/${slug}`);
    await waitForHydration(e2e.page);
    const form = e2e.page.getByRole('form', { name: 'Sign this campaign' });
    await form.getByLabel('Full name', { exact: true }).fill(signerName);
    await form.getByLabel('Email', { exact: true }).fill(signerEmail);
    await form.getByLabel('City or town', { exact: true }).fill(signerCity);
    await form.getByLabel('Country', { exact: true }).selectOption('KZ');
    await form.getByLabel('Why are you signing? (optional)', { exact: true }).fill('Сөз бостандығы үшін.');
    await form.getByLabel(/Show my full name publicly/).check();
    await form.getByLabel(/I agree that Chorus stores/).check();
    await form.getByRole('button', { name: 'Sign' }).click();

    await e2e.page.waitForURL(`**/c/${slug}/check-email`);
    await e2e.page.getByRole('heading', { level: 1, name: 'Check your inbox' }).waitFor();

    // The confirmation email, through the real SMTP server.
    const confirmation = await mailTo(e2e.smtp, signerEmail, 'The confirmation email');
    const link = confirmLinkFrom(confirmation);
    expect(link.startsWith(`${e2e.app.baseUrl}/confirm/`)).toBe(true);

    // Opening the link (as a mail scanner would) only shows a button; it confirms nothing.
    await e2e.page.goto(link);
    await waitForHydration(e2e.page);
    const confirmButton = e2e.page.getByRole('button', { name: 'Confirm my signature' });
    await expect(confirmButton.isVisible()).resolves.toBe(true);
    await expect(e2e.page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Confirm your signature');
    await expect(e2e.page.getByText('Нұрғали, you are about to sign').isVisible()).resolves.toBe(true);
    // The counter is flushed every 300 ms: give it several flushes to count a wrongly confirmed signature.
    const watchUntil = Date.now() + 1_500;
    while (Date.now() < watchUntil) {
      expect(await countFromApi()).toBe(0);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(e2e.smtp.to(president.email)).toHaveLength(0);

    await confirmButton.click();
    await e2e.page.waitForURL(`**/c/${slug}/thank-you`);
    await e2e.page.getByRole('heading', { level: 1, name: 'Thank you — your signature is confirmed', exact: true }).waitFor();
    const shareLinks = e2e.page.locator('ul.share a');
    await expect(shareLinks.allInnerTexts()).resolves.toEqual([
      'Share on Facebook',
      'Share on X',
      'Share on Telegram',
      'Share on WhatsApp',
      'Share on Email',
    ]);
    const campaignUrl = encodeURIComponent(`${e2e.app.baseUrl}/c/${slug}`);
    await expect(e2e.page.getByRole('link', { name: 'Share on Facebook' }).getAttribute('href')).resolves.toBe(
      `https://www.facebook.com/sharer/sharer.php?u=${campaignUrl}`,
    );
    await e2e.page.screenshot({ path: path.join(outputDir, 'thank-you.png'), fullPage: true });

    // Back on the campaign page, the count becomes 1 (the worker flushes counters in batches).
    await e2e.page.getByRole('link', { name: 'Back to the campaign' }).click();
    await e2e.page.waitForURL(`**/c/${slug}`);
    await e2e.page.getByRole('heading', { level: 1, name: demoCampaign.title, exact: true }).waitFor();
    await eventually(
      async () => {
        const shown = await e2e.page.getByTestId('signature-count').innerText();
        if (shown === '1') return true;
        await e2e.page.reload();
        return false;
      },
      { timeoutMs: 15_000, intervalMs: 300, what: 'the campaign page to show 1 signature' },
    );
    expect(await countFromApi()).toBe(1);
    const signers = e2e.page.locator('h2:text-is("Recent signers") + ul.signers > li');
    await expect(signers.allInnerTexts()).resolves.toEqual([`${signerName}, ${signerCity} (Kazakhstan)`]);
    await expect(e2e.page.getByText('Be the first to sign.').count()).resolves.toBe(0);

    // The President (one letter per signature) receives a letter naming the signer, with the demands.
    const letter = await mailTo(e2e.smtp, president.email, "The President's letter");
    expect(letter.subject).toBe(`${demoCampaign.title}: a letter from ${signerName}, ${signerCity}`);
    expect(letter.text).toContain(`To: ${president.name}, ${president.role}`);
    expect(letter.text).toContain(`${signerName}, ${signerCity} has signed the public statement`);
    demoCampaign.demands.forEach((demand, i) => expect(letter.text).toContain(`${i + 1}. ${demand}`));
    for (const part of [letter.text ?? '', String(letter.html ?? ''), letter.subject ?? '']) {
      expect(part).not.toContain(signerEmail);
      expect(part).not.toContain(signerEmail.split('@')[0]);
    }
    expect(e2e.smtp.to(president.email)).toHaveLength(1);

    // The campaign page's public receipt for the President counts the letter once the worker records it.
    await eventually(
      async () => {
        await e2e.page.reload();
        return (await addresseeItem(e2e.page, president.name).getByTestId('letters-sent').innerText()) === '1';
      },
      { timeoutMs: 15_000, intervalMs: 300, what: "the President's receipt to show 1 letter sent" },
    );
    await expect(addresseeItem(e2e.page, president.name).innerText()).resolves.toMatch(/1 letter sent, 1 signature delivered/);
    await e2e.page.screenshot({ path: path.join(outputDir, 'campaign-page-after-signing.png'), fullPage: true });
  });

  // Mistakes in the form, with and without JavaScript: tests/e2e/sign-form.test.ts.

  // Server and browser HTML must match, or React re-renders the document and wipes what was typed
  // (country names once came from Intl, whose data differs between Node and Chromium).
  test('the campaign page hydrates without React errors', async () => {
    const p = await e2e.context.newPage();
    const errors: string[] = [];
    p.on('pageerror', (error) => errors.push(error.message));
    try {
      await p.goto(`${e2e.app.baseUrl}/c/${slug}`);
      await waitForHydration(p);
    } finally {
      await p.close();
    }
    expect(errors.filter((e) => /React error|hydrat/i.test(e))).toEqual([]);
  });
});
