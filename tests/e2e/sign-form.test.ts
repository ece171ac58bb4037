// The sign form in headless Chromium: with JavaScript the browser checks it with the server's schema
// before anything is sent; without JavaScript the server answers with the same messages. Either way
// what was typed is kept and the first invalid field has the focus.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page, Request } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { demoCampaign } from '../../prisma/demo-campaign.ts';
import { chunksFor } from '../bench/page-weight.ts';
import { useBrowserApp, waitForHydration } from './support.ts';

const slug = demoCampaign.slug;
const e2e = useBrowserApp();

async function countFromApi(): Promise<number> {
  const res = await fetch(`${e2e.app.baseUrl}/c/${slug}/count`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { count: number }).count;
}

/** Every POST the page sends to the campaign's address. */
function recordPosts(page: Page): Request[] {
  const posts: Request[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname.startsWith(`/c/${slug}`)) posts.push(r);
  });
  return posts;
}

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

/** Fills the form with a blank name, a malformed email and no consent; the rest is fine. */
async function fillWithMistakes(page: Page) {
  const form = page.getByRole('form', { name: 'Sign this campaign' });
  await form.getByLabel('Full name', { exact: true }).fill('   ');
  await form.getByLabel('Email', { exact: true }).fill('not-an-email');
  await form.getByLabel('City or town', { exact: true }).fill('Алматы');
  await form.getByLabel('Country', { exact: true }).selectOption('KZ');
  await form.getByLabel('Why are you signing? (optional)', { exact: true }).fill('Бұл маңызды.');
  return form;
}

/** The errors a form with those mistakes shows, the values it keeps, and where the focus is. */
async function expectMistakesShown(page: Page) {
  const form = page.getByRole('form', { name: 'Sign this campaign' });
  await page.locator('#sign-fullName-error').waitFor();
  await expect(page.locator('#sign-fullName-error').innerText()).resolves.toBe('Please enter your full name.');
  await expect(page.locator('#sign-email-error').innerText()).resolves.toBe('That does not look like an email address. Please check it.');
  await expect(page.locator('#sign-consent-error').innerText()).resolves.toBe('Please tick the box to agree, or we cannot count your signature.');
  await expect(page.locator('#sign-city-error').count()).resolves.toBe(0);
  await expect(page.locator('#sign-country-error').count()).resolves.toBe(0);
  await expect(page.locator('#sign-comment-error').count()).resolves.toBe(0);
  await expect(form.getByLabel('Full name', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
  await expect(form.getByLabel('City or town', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('false');
  await expect(form.getByLabel('Email', { exact: true }).getAttribute('aria-describedby')).resolves.toBe('sign-email-error');
  await expect(form.getByLabel(/I agree that Chorus stores/).getAttribute('aria-describedby')).resolves.toBe('sign-consent-error');

  await expect(form.getByLabel('Email', { exact: true }).inputValue()).resolves.toBe('not-an-email');
  await expect(form.getByLabel('City or town', { exact: true }).inputValue()).resolves.toBe('Алматы');
  await expect(form.getByLabel('Country', { exact: true }).inputValue()).resolves.toBe('KZ');
  await expect(form.getByLabel('Why are you signing? (optional)', { exact: true }).inputValue()).resolves.toBe('Бұл маңызды.');
  await expect(form.getByLabel(/I agree that Chorus stores/).isChecked()).resolves.toBe(false);
  expect(await focusedId(page)).toBe('sign-fullName');
}

describe('the sign form', () => {
  test('with JavaScript, mistakes are shown before anything is sent, and the corrected form is signed', async () => {
    const page = e2e.page;
    const posts = recordPosts(page);
    const countBefore = await countFromApi();
    await page.goto(`${e2e.app.baseUrl}/c/${slug}`);
    await waitForHydration(page);
    const form = await fillWithMistakes(page);
    await form.getByRole('button', { name: 'Sign' }).click();

    await expectMistakesShown(page);
    expect(posts).toHaveLength(0);
    expect(new URL(page.url()).pathname).toBe(`/c/${slug}`);

    // Corrections clear each message as the field is left (or, for the box, ticked).
    const name = form.getByLabel('Full name', { exact: true });
    await name.fill('Нұрғали Ақжігітов');
    await name.blur();
    await page.locator('#sign-fullName-error').waitFor({ state: 'detached' });
    await expect(name.getAttribute('aria-invalid')).resolves.toBe('false');
    await form.getByLabel('Email', { exact: true }).fill(`nurgali-${randomBytes(4).toString('hex')}@example.kz`);
    await form.getByLabel(/I agree that Chorus stores/).check();
    await page.locator('#sign-consent-error').waitFor({ state: 'detached' });
    expect(posts).toHaveLength(0);

    // A Kazakh name, an empty optional comment and unticked checkboxes: the browser lets it through
    // and the server accepts it.
    await form.getByLabel('Why are you signing? (optional)', { exact: true }).fill('');
    await form.getByRole('button', { name: 'Sign' }).click();
    await page.waitForURL(`**/c/${slug}/check-email`);
    expect(posts).toHaveLength(1);
    expect(await countFromApi()).toBe(countBefore); // counted once confirmed, not before
  });

  test('with JavaScript, an edited field is checked when it is left', async () => {
    const page = await e2e.context.newPage();
    const posts = recordPosts(page);
    try {
      await page.goto(`${e2e.app.baseUrl}/c/${slug}`);
      await waitForHydration(page);
      const form = page.getByRole('form', { name: 'Sign this campaign' });
      // Passing through a field without typing is not a mistake.
      await form.getByLabel('Full name', { exact: true }).focus();
      await form.getByLabel('Email', { exact: true }).focus();
      await form.getByLabel('Email', { exact: true }).fill('nurgali@');
      await form.getByLabel('City or town', { exact: true }).focus();
      await page.locator('#sign-email-error').waitFor();
      await expect(page.locator('#sign-email-error').innerText()).resolves.toBe('That does not look like an email address. Please check it.');
      await expect(page.locator('#sign-fullName-error').count()).resolves.toBe(0);
      expect(posts).toHaveLength(0);
    } finally {
      await page.close();
    }
  });

  test('without JavaScript, the server answers with the same messages, the values kept and the first invalid field focused', async () => {
    const context = await e2e.browser.newContext({ javaScriptEnabled: false, locale: 'en-GB' });
    const page = await context.newPage();
    try {
      const countBefore = await countFromApi();
      await page.goto(`${e2e.app.baseUrl}/c/${slug}`);
      const form = await fillWithMistakes(page);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.startsWith(`/c/${slug}`)),
        form.getByRole('button', { name: 'Sign' }).click(),
      ]);
      expect(response.status()).toBe(400);
      await expectMistakesShown(page);
      expect(await countFromApi()).toBe(countBefore);
    } finally {
      await context.close();
    }
  });

  test('the campaign page loads exactly the scripts the bundle measurement counts, and not the whole of zod', async () => {
    const page = await e2e.context.newPage();
    const scripts = new Set<string>();
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/build/') && url.pathname.endsWith('.js')) scripts.add(url.pathname);
    });
    try {
      await page.goto(`${e2e.app.baseUrl}/c/${slug}`);
      await waitForHydration(page);
      await page.waitForLoadState('networkidle');
    } finally {
      await page.close();
    }
    const expected = chunksFor('routes/c.$slug');
    expect([...scripts].sort()).toEqual([...expected].sort());
    // The full library carries its JSON Schema converter; zod/mini leaves it out unless it is used.
    const publicDir = path.resolve('public');
    for (const url of expected) expect(readFileSync(path.join(publicDir, url), 'utf8'), url).not.toContain('toJSONSchema');
  });
});
