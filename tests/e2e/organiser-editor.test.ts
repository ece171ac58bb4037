// An organiser's whole journey in headless Chromium against the real app (web + worker, PostgreSQL,
// Redis, SMTP): register and sign in with the emailed link, create a campaign, add and reorder
// demands, add addressees, preview the statement, publish, and see the public page. Then bad input
// on each form: clear messages, typed values kept, never a 500.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Page, Response } from 'playwright-core';
import { demoCampaign } from '../../prisma/demo-campaign.ts';
import { outputDir, registerAndSignIn, trackReactCommits, useBrowserApp, waitForHydration } from './support.ts';
import { eventually } from '../setup/wait.ts';

const run = randomBytes(3).toString('hex');
const organiserEmail = `organiser-${run}@example.org`;
const reviewerEmail = `reviewer-${run}@example.org`;
const editorEmail = `editor-${run}@example.org`;
const slug = `free-the-almaty-four-${run}`;
const title = 'Free the Almaty Four';
const demands = ['Release the four bloggers at once.', 'Drop every charge against them.', 'Repeal Article 274 of the Criminal Code.'];
const statementMarkdown = 'We **demand** justice for:\n\n- Marat\n- Danaya\n\nRead [the report](https://example.org/report).';

let campaignId = '';

// The reviewer is a platform admin; the organiser is not.
const e2e = useBrowserApp({ appEnv: { ADMIN_EMAILS: reviewerEmail } });

/** Clicks a submit button and returns the response to the form's POST (a document or a Remix data request). */
async function submit(p: Page, button: ReturnType<Page['getByRole']>): Promise<Response> {
  const [response] = await Promise.all([p.waitForResponse((r) => r.request().method() === 'POST'), button.click()]);
  return response;
}

async function goto(p: Page, pathname: string, hydrate = true) {
  await p.goto(e2e.app.baseUrl + pathname);
  if (hydrate) await waitForHydration(p);
}

const tab = (p: Page, name: string) => p.locator('.dash-nav').getByRole('link', { name, exact: true });
const demandTexts = (p: Page) => p.getByTestId('demand').locator('.demand-text').allInnerTexts();

describe('an organiser builds and publishes a campaign', () => {
  test('registers and signs in through the emailed link', async () => {
    await registerAndSignIn(e2e, e2e.page, { name: 'Aigerim Organiser', email: organiserEmail });
  });

  test('creates a draft, adds three demands and reorders one, adds two addressees', async () => {
    await e2e.page.getByRole('link', { name: 'Start a new campaign' }).click();
    await e2e.page.waitForURL('**/dashboard/new');
    await e2e.page.getByRole('heading', { level: 1, name: 'Start a new campaign' }).waitFor();
    await e2e.page.getByLabel('Title', { exact: true }).fill(title);
    await e2e.page.getByLabel('Web address').fill(slug);
    await e2e.page.getByLabel('Summary').fill('Four bloggers face prison for sharing posts about a state bank.');
    await e2e.page.getByLabel('Statement', { exact: true }).fill('We demand justice.');
    await e2e.page.getByLabel('Signature goal').fill('2,500');
    await e2e.page.getByRole('button', { name: 'Create the draft' }).click();
    await e2e.page.waitForURL((u) => /^\/dashboard\/c\/[^/]+\/edit$/.test(u.pathname) && u.searchParams.get('notice') === 'created');
    campaignId = new URL(e2e.page.url()).pathname.split('/')[3];
    await e2e.page.getByText('Your draft campaign was created.').waitFor();
    await expect(e2e.page.getByLabel('Signature goal').inputValue()).resolves.toBe('2500');

    await tab(e2e.page, 'Demands').click();
    await e2e.page.getByRole('heading', { level: 2, name: 'Demands' }).waitFor();
    for (const [i, text] of demands.entries()) {
      await e2e.page.getByLabel('New demand').fill(text);
      await e2e.page.getByRole('button', { name: 'Add demand' }).click();
      await eventually(async () => (await e2e.page.getByTestId('demand').count()) === i + 1, { what: `demand ${i + 1} to be listed` });
      // The add form is cleared for the next one.
      await eventually(async () => (await e2e.page.getByLabel('New demand').inputValue()) === '', { what: 'the add form to be cleared' });
    }
    await expect(demandTexts(e2e.page)).resolves.toEqual(demands);

    // The third demand moves up one place.
    await e2e.page.getByTestId('demand').nth(2).getByRole('button', { name: 'Move up demand 3' }).click();
    await eventually(async () => JSON.stringify(await demandTexts(e2e.page)) === JSON.stringify([demands[0], demands[2], demands[1]]), {
      what: 'the third demand to move up',
    });
    await e2e.page.getByText('Demand moved.').waitFor();
    await e2e.page.screenshot({ path: path.join(outputDir, 'organiser-demands.png'), fullPage: true });
    await expect(e2e.page.getByTestId('demand').first().getByRole('button', { name: 'Move up demand 1' }).isDisabled()).resolves.toBe(true);

    await tab(e2e.page, 'Addressees').click();
    await e2e.page.getByRole('heading', { level: 2, name: 'Addressees' }).waitFor();
    const addresseeForm = e2e.page.getByRole('form', { name: 'Add an addressee' });
    await addresseeForm.getByLabel('Name').fill('Prosecutor General');
    await addresseeForm.getByLabel('Role or title').fill('Head of the prosecution service');
    await addresseeForm.getByLabel('Email', { exact: true }).fill('prosecutor@example.org');
    await addresseeForm.getByRole('button', { name: 'Add addressee' }).click();
    await eventually(async () => (await e2e.page.getByTestId('addressee-row').count()) === 1, { what: 'the first addressee' });

    const second = e2e.page.getByRole('form', { name: 'Add an addressee' });
    await second.getByLabel('Name').fill('Ministry of Justice');
    await second.getByLabel('Role or title').fill('Ministry');
    await second.getByLabel('Email', { exact: true }).fill('justice@example.org');
    await second.getByLabel('Delivery').selectOption('DIGEST');
    await second.getByLabel('Digest interval (minutes)').fill('60');
    await second.getByRole('button', { name: 'Add addressee' }).click();
    await eventually(async () => (await e2e.page.getByTestId('addressee-row').count()) === 2, { what: 'the second addressee' });
    const rows = await e2e.page.getByTestId('addressee-row').allInnerTexts();
    expect(rows[0]).toContain('Prosecutor General, Head of the prosecution service');
    expect(rows[0]).toContain('A letter per signature (at most 600 an hour)');
    expect(rows[1]).toContain('Ministry of Justice, Ministry');
    expect(rows[1]).toContain('Digest every 60 minutes');
  });

  test('previews the statement as the public page renders it, keeping what was typed, then saves', async () => {
    await tab(e2e.page, 'Edit').click();
    await e2e.page.getByRole('heading', { level: 2, name: 'Edit the campaign' }).waitFor();
    await e2e.page.getByLabel('Title', { exact: true }).fill(`${title} now`);
    await e2e.page.getByLabel('Statement', { exact: true }).fill(statementMarkdown);
    const response = await submit(e2e.page, e2e.page.getByRole('button', { name: 'Preview' }));
    expect(response.status()).toBe(200);

    const preview = e2e.page.getByRole('region', { name: 'Statement preview' }).locator('div.statement');
    await preview.waitFor();
    await expect(preview.locator('strong').innerText()).resolves.toBe('demand');
    await expect(preview.locator('li').allInnerTexts()).resolves.toEqual(['Marat', 'Danaya']);
    await expect(preview.locator('a').getAttribute('href')).resolves.toBe('https://example.org/report');
    await expect(e2e.page.getByLabel('Statement', { exact: true }).inputValue()).resolves.toBe(statementMarkdown);
    await expect(e2e.page.getByLabel('Title', { exact: true }).inputValue()).resolves.toBe(`${title} now`);
    await e2e.page.screenshot({ path: path.join(outputDir, 'organiser-statement-preview.png'), fullPage: true });

    await e2e.page.getByLabel('Title', { exact: true }).fill(title);
    await e2e.page.getByRole('button', { name: 'Save' }).click();
    await e2e.page.getByText('Saved.').waitFor();
    await expect(e2e.page.getByLabel('Statement', { exact: true }).inputValue()).resolves.toBe(statementMarkdown);
  });

  test('the draft is visible to its team only, as a preview without a sign form', async () => {
    await goto(e2e.page, `/c/${slug}`);
    await e2e.page.getByText('Preview — not public.').waitFor();
    await expect(e2e.page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(title);
    await expect(e2e.page.getByRole('form', { name: 'Sign this campaign' }).count()).resolves.toBe(0);
    await expect(e2e.page.getByRole('heading', { name: 'Not open for signatures yet' }).isVisible()).resolves.toBe(true);
    // The statement is the same markup the editor previewed.
    await expect(e2e.page.locator('div.statement strong').first().innerText()).resolves.toBe('demand');

    const anonymous = await fetch(`${e2e.app.baseUrl}/c/${slug}`);
    expect(anonymous.status).toBe(404);
  });

  test('publishes, and the public page shows the campaign to everyone', async () => {
    await goto(e2e.page, `/dashboard/c/${campaignId}/status`);
    await expect(e2e.page.getByTestId('campaign-status').innerText()).resolves.toContain('Draft');
    await e2e.page.getByRole('button', { name: 'Publish the campaign' }).click();
    await e2e.page.getByText('The campaign is published').waitFor();
    await expect(e2e.page.getByTestId('campaign-status').innerText()).resolves.toContain('Published');

    const visitor = await e2e.browser.newContext({ locale: 'en-GB' });
    try {
      const p = await visitor.newPage();
      await p.goto(`${e2e.app.baseUrl}/c/${slug}`);
      await p.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
      await expect(p.getByText('Preview — not public.').count()).resolves.toBe(0);
      await expect(p.locator('ol.demands > li').allInnerTexts()).resolves.toEqual([demands[0], demands[2], demands[1]]);
      const addressees = await p.getByTestId('addressee').allInnerTexts();
      expect(addressees[0]).toContain('Prosecutor General, Head of the prosecution service');
      expect(addressees[1]).toContain('Ministry of Justice, Ministry');
      expect(addressees.join(' ')).not.toContain('@example.org');
      await expect(p.locator('div.statement li').allInnerTexts()).resolves.toEqual(['Marat', 'Danaya']);
      await expect(p.getByText('signatures of 2,500').isVisible()).resolves.toBe(true);
      await expect(p.getByRole('form', { name: 'Sign this campaign' }).isVisible()).resolves.toBe(true);
      await p.screenshot({ path: path.join(outputDir, 'organiser-published-campaign.png'), fullPage: true });
    } finally {
      await visitor.close();
    }

    // An earlier address of the campaign (kept in CampaignSlug) redirects to the current one.
    const { db } = await import('../../app/utils/db.server.ts');
    const oldSlug = `${slug}-old`;
    await db.campaignSlug.create({ data: { slug: oldSlug, campaignId } });
    const moved = await fetch(`${e2e.app.baseUrl}/c/${oldSlug}`, { redirect: 'manual' });
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toBe(`/c/${slug}`);

    // The address is fixed now: the edit form shows it without a field.
    await goto(e2e.page, `/dashboard/c/${campaignId}/edit`);
    await expect(e2e.page.getByLabel('Web address').count()).resolves.toBe(0);
    await expect(e2e.page.getByText(`/c/${slug}`).isVisible()).resolves.toBe(true);
  });
});

describe('after publication', () => {
  test('marking the campaign won shows the victory note on the public page, which stops taking signatures', async () => {
    await goto(e2e.page, `/dashboard/c/${campaignId}/status`);
    const form = e2e.page.getByRole('form', { name: 'Mark as won' });
    const empty = await submit(e2e.page, form.getByRole('button', { name: 'Mark as won' }));
    expect(empty.status()).toBe(400);
    await e2e.page.locator('#f-victoryNote-error').waitFor();
    await expect(e2e.page.locator('#f-victoryNote-error').innerText()).resolves.toBe('Please enter a victory note.');

    const note = 'All four were released on 3 March.\nThank you, every one of you.';
    await form.getByLabel('Victory note').fill(note);
    await form.getByRole('button', { name: 'Mark as won' }).click();
    await e2e.page.getByText('The campaign is marked as won').waitFor();

    const res = await fetch(`${e2e.app.baseUrl}/c/${slug}`);
    expect(res.status).toBe(200);
    const visitor = await e2e.browser.newContext({ locale: 'en-GB' });
    try {
      const p = await visitor.newPage();
      await p.goto(`${e2e.app.baseUrl}/c/${slug}`);
      const victory = p.getByRole('region', { name: 'Victory' });
      await expect(victory.locator('.victory-note').textContent()).resolves.toBe(note);
      await expect(p.getByText('Victory', { exact: true }).isVisible()).resolves.toBe(true);
      await expect(p.getByRole('form', { name: 'Sign this campaign' }).count()).resolves.toBe(0);
      await expect(p.getByText('This campaign is no longer collecting signatures.').isVisible()).resolves.toBe(true);
    } finally {
      await visitor.close();
    }
  });
});

describe('the team and the review queue', () => {
  test('the owner adds an editor, who is emailed; the last owner cannot step down', async () => {
    await goto(e2e.page, `/dashboard/c/${campaignId}/members`);
    const form = e2e.page.getByRole('form', { name: 'Add a member' });
    await form.getByLabel('Email').fill(editorEmail.toUpperCase());
    await form.getByLabel('Role').selectOption('EDITOR');
    await form.getByRole('button', { name: 'Add member' }).click();
    await e2e.page.getByText('Member added.').waitFor();
    const rows = e2e.page.getByTestId('member-row');
    await eventually(async () => (await rows.count()) === 2, { what: 'two members' });
    await expect(rows.nth(1).innerText()).resolves.toContain(editorEmail);

    const mail = await e2e.smtp.waitFor((m) => m.envelopeTo.includes(editorEmail));
    expect(mail.subject).toBe(`You were added to “${title}” on Chorus`);
    expect(mail.text).toContain(`${e2e.app.baseUrl}/sign-in`);
    await eventually(
      async () => {
        await e2e.page.reload();
        return (await rows.nth(1).innerText()).includes('Sent');
      },
      { what: 'the invitation to show as sent' },
    );

    // The organiser is the only owner: demoting themselves is refused with a clear message.
    const mine = rows.filter({ hasText: organiserEmail });
    await mine.getByLabel(`Role of ${organiserEmail}`).selectOption('EDITOR');
    const response = await submit(e2e.page, mine.getByRole('button', { name: `Change role of ${organiserEmail}` }));
    expect(response.status()).toBe(409);
    await e2e.page.getByText('A campaign needs at least one owner. Make someone else an owner first.').waitFor();
  });

  test('a reviewer sends a campaign back with a reason, then approves it; only admins see the queue', async () => {
    const { db } = await import('../../app/utils/db.server.ts');
    const { addAddressee } = await import('../../app/models/addressee.server.ts');
    const { createCampaign } = await import('../../app/models/campaign-details.server.ts');
    const { addDemand } = await import('../../app/models/demand.server.ts');
    const organiser = await db.user.findUniqueOrThrow({ where: { email: organiserEmail } });
    const reviewedSlug = `second-campaign-${run}`;
    const reviewed = await createCampaign(organiser.id, {
      title: 'A campaign for review',
      slug: reviewedSlug,
      summary: 'It needs a reviewer.',
      statement: 'Statement.',
      goal: 100,
      imageUrl: null,
    });
    await addDemand(reviewed.id, 'Do the right thing.');
    await addAddressee(reviewed.id, { name: 'Office', role: 'Office', email: 'office@example.org', deliveryMode: 'PER_SIGNATURE', digestIntervalMinutes: 1440, lettersPerHour: 600 });
    // The app runs with moderation off; submitting is what MODERATION=on would do.
    const submitForReview = () => db.campaign.update({ where: { id: reviewed.id }, data: { status: 'IN_REVIEW', submittedAt: new Date() } });
    await submitForReview();

    // The organiser is no admin: the queue does not exist for them.
    const notAdmin = await fetch(`${e2e.app.baseUrl}/admin/review`, { headers: { cookie: (await e2e.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } });
    expect(notAdmin.status).toBe(404);

    const reviewerContext = await e2e.browser.newContext({ locale: 'en-GB' });
    await trackReactCommits(reviewerContext);
    try {
      const r = await reviewerContext.newPage();
      await registerAndSignIn(e2e, r, { name: 'Platform Reviewer', email: reviewerEmail });
      await r.getByRole('link', { name: 'Review queue' }).click();
      await r.getByRole('heading', { level: 1, name: 'Review queue' }).waitFor();
      const item = r.getByTestId('review-item').filter({ hasText: 'A campaign for review' });
      await expect(item.innerText()).resolves.toContain('1 demands · 1 addressees');

      // The reviewer can open the preview, which is not public.
      await goto(r, `/c/${reviewedSlug}`);
      await r.getByText('Preview — not public.').waitFor();
      await goto(r, '/admin/review');

      const sendBack = item.getByRole('button', { name: 'Send back A campaign for review' });
      const empty = await submit(r, sendBack);
      expect(empty.status()).toBe(400);
      await item.getByText('Please enter a reason.').waitFor();
      await item.getByLabel('Reason for sending it back').fill('Please name the court and the date of the hearing.');
      await sendBack.click();
      await r.getByText('Sent back: its team sees your reason').waitFor();
      await expect(r.getByTestId('review-item').count()).resolves.toBe(0);

      await goto(e2e.page, `/dashboard/c/${reviewed.id}/status`);
      await expect(e2e.page.getByRole('note').innerText()).resolves.toContain('Please name the court and the date of the hearing.');
      await expect(e2e.page.getByTestId('campaign-status').innerText()).resolves.toContain('Draft');

      await submitForReview();
      await goto(r, '/admin/review');
      await r.getByRole('button', { name: 'Approve and publish A campaign for review' }).click();
      await r.getByText('Approved: the campaign is published.').waitFor();
      const pub = await fetch(`${e2e.app.baseUrl}/c/${reviewedSlug}`);
      expect(pub.status).toBe(200);
      expect(await pub.text()).toContain('A campaign for review');
    } finally {
      await reviewerContext.close();
    }
  });
});

describe('bad input on the organiser forms', () => {
  test('a new campaign with an empty title: a message, everything else kept', async () => {
    await goto(e2e.page, '/dashboard/new');
    await e2e.page.getByLabel('Summary').fill('Кеңес: a summary in two scripts.');
    await e2e.page.getByLabel('Statement', { exact: true }).fill('Some **statement**.');
    await e2e.page.getByLabel('Signature goal').fill('300');
    const response = await submit(e2e.page, e2e.page.getByRole('button', { name: 'Create the draft' }));
    expect(response.status()).toBe(400);
    await e2e.page.locator('#f-title-error').waitFor();
    await expect(e2e.page.locator('#f-title-error').innerText()).resolves.toBe('Please enter a title.');
    await expect(e2e.page.getByLabel('Title', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(e2e.page.getByLabel('Summary').inputValue()).resolves.toBe('Кеңес: a summary in two scripts.');
    await expect(e2e.page.getByLabel('Statement', { exact: true }).inputValue()).resolves.toBe('Some **statement**.');
    await expect(e2e.page.getByLabel('Signature goal').inputValue()).resolves.toBe('300');
    expect(new URL(e2e.page.url()).pathname).toBe('/dashboard/new');
  });

  test('an over-long title (sent past the browser limit): a message and the title kept', async () => {
    await goto(e2e.page, '/dashboard/new');
    const longTitle = 'Ә'.repeat(201);
    // maxlength only guards typing; a pasted or scripted value can still be longer, so the server checks too.
    await e2e.page.getByLabel('Title', { exact: true }).evaluate((el) => el.removeAttribute('maxlength'));
    await e2e.page.getByLabel('Title', { exact: true }).fill(longTitle);
    await e2e.page.getByLabel('Summary').fill('A summary.');
    await e2e.page.getByLabel('Statement', { exact: true }).fill('A statement.');
    const response = await submit(e2e.page, e2e.page.getByRole('button', { name: 'Create the draft' }));
    expect(response.status()).toBe(400);
    await e2e.page.locator('#f-title-error').waitFor();
    await expect(e2e.page.locator('#f-title-error').innerText()).resolves.toBe('Title is too long (at most 200 characters).');
    await expect(e2e.page.getByLabel('Title', { exact: true }).inputValue()).resolves.toBe(longTitle);
  });

  test('a duplicate web address: a message on that field, everything kept, nothing created', async () => {
    await goto(e2e.page, '/dashboard');
    const before = await e2e.page.locator('table.data tbody tr').count();
    await goto(e2e.page, '/dashboard/new');
    await e2e.page.getByLabel('Title', { exact: true }).fill('Another campaign');
    await e2e.page.getByLabel('Web address').fill(demoCampaign.slug);
    await e2e.page.getByLabel('Summary').fill('A summary.');
    await e2e.page.getByLabel('Statement', { exact: true }).fill('A statement.');
    const response = await submit(e2e.page, e2e.page.getByRole('button', { name: 'Create the draft' }));
    expect(response.status()).toBe(409);
    await e2e.page.locator('#f-slug-error').waitFor();
    await expect(e2e.page.locator('#f-slug-error').innerText()).resolves.toBe(
      'That web address is already used by another campaign. Please choose another one.',
    );
    await expect(e2e.page.getByLabel('Web address').inputValue()).resolves.toBe(demoCampaign.slug);
    await expect(e2e.page.getByLabel('Title', { exact: true }).inputValue()).resolves.toBe('Another campaign');
    await goto(e2e.page, '/dashboard');
    await expect(e2e.page.locator('table.data tbody tr').count()).resolves.toBe(before);
  });

  test('an invalid addressee email: a message, the other fields kept, nothing added', async () => {
    await goto(e2e.page, `/dashboard/c/${campaignId}/addressees`);
    const rowsBefore = await e2e.page.getByTestId('addressee-row').count();
    const form = e2e.page.getByRole('form', { name: 'Add an addressee' });
    await form.getByLabel('Name').fill('Ombudsman');
    await form.getByLabel('Role or title').fill('Human Rights Commissioner');
    await form.getByLabel('Email', { exact: true }).fill('ombudsman-at-example.org');
    await form.getByLabel('Letters per hour (at most)').fill('0');
    const response = await submit(e2e.page, form.getByRole('button', { name: 'Add addressee' }));
    expect(response.status()).toBe(400);
    await e2e.page.locator('#f-email-error').waitFor();
    await expect(e2e.page.locator('#f-email-error').innerText()).resolves.toBe('That does not look like an email address. Please check it.');
    await expect(e2e.page.locator('#f-lettersPerHour-error').innerText()).resolves.toBe('Letters per hour must be between 1 and 10,000.');
    await expect(form.getByLabel('Name').inputValue()).resolves.toBe('Ombudsman');
    await expect(form.getByLabel('Role or title').inputValue()).resolves.toBe('Human Rights Commissioner');
    await expect(form.getByLabel('Email', { exact: true }).inputValue()).resolves.toBe('ombudsman-at-example.org');
    await expect(e2e.page.getByTestId('addressee-row').count()).resolves.toBe(rowsBefore);
  });

  test('without JavaScript, a preview and an error both come back with the typed values', async () => {
    const noJs = await e2e.browser.newContext({ javaScriptEnabled: false, locale: 'en-GB' });
    try {
      await noJs.addCookies(await e2e.context.cookies());
      const p = await noJs.newPage();
      await goto(p, `/dashboard/c/${campaignId}/edit`, false);
      await p.getByLabel('Statement', { exact: true }).fill('## Heading\n\nPlain *text*.');
      await p.getByLabel('Summary').fill('Changed but not saved.');
      await p.getByRole('button', { name: 'Preview' }).click();
      const preview = p.getByRole('region', { name: 'Statement preview' }).locator('div.statement');
      await preview.waitFor();
      await expect(preview.locator('h2').innerText()).resolves.toBe('Heading');
      await expect(preview.locator('em').innerText()).resolves.toBe('text');
      await expect(p.getByLabel('Statement', { exact: true }).inputValue()).resolves.toBe('## Heading\n\nPlain *text*.');
      await expect(p.getByLabel('Summary').inputValue()).resolves.toBe('Changed but not saved.');

      await p.getByLabel('Signature goal').fill('ten thousand');
      await p.getByRole('button', { name: 'Save' }).click();
      await p.locator('#f-goal-error').waitFor();
      await expect(p.locator('#f-goal-error').innerText()).resolves.toBe('Please enter a signature goal as a whole number.');
      await expect(p.getByLabel('Signature goal').inputValue()).resolves.toBe('ten thousand');
      await expect(p.getByLabel('Statement', { exact: true }).inputValue()).resolves.toBe('## Heading\n\nPlain *text*.');
    } finally {
      await noJs.close();
    }
  });

  test('signed-out visitors are sent to sign in', async () => {
    const res = await fetch(`${e2e.app.baseUrl}/dashboard/new`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/sign-in?redirectTo=%2Fdashboard%2Fnew');
    const post = await fetch(`${e2e.app.baseUrl}/dashboard/c/${campaignId}/demands`, { method: 'POST', body: new URLSearchParams({ intent: 'add', text: 'x' }), redirect: 'manual' });
    expect([302, 303]).toContain(post.status);
  });
});
