// A visitor learns who the demo campaign is about: the people at risk, the co-signatories, the
// campaign's timeline, and Marat Turymbetov's own page with his status and dated timeline.
// Real app (web + worker), PostgreSQL, Redis and SMTP; headless Chromium.
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { demoCampaign } from '../../prisma/demo-campaign.ts';
import { demoCoSignatories, demoPeople, demoTimeline } from '../../prisma/demo-people.ts';
import { browserSessionCookieFor } from '../setup/sessions.ts';
import { outputDir, useBrowserApp, waitForHydration } from './support.ts';

const e2e = useBrowserApp();

const { marat, danaya } = demoPeople;

describe('people at risk on the demo campaign', () => {
  test('the campaign page shows the people at risk, the co-signatories and the timeline', async () => {
    await e2e.page.goto(`${e2e.app.baseUrl}/c/${demoCampaign.slug}`);
    await waitForHydration(e2e.page);

    await e2e.page.getByRole('heading', { level: 2, name: 'People at risk' }).waitFor();
    const cards = e2e.page.getByTestId('person-card');
    await expect(cards.count()).resolves.toBe(2);
    const cardTexts = await cards.allInnerTexts();
    expect(cardTexts[0]).toContain(marat.name);
    expect(cardTexts[0]).toContain('Questioned as a witness');
    expect(cardTexts[0]).toContain('Almaty');
    expect(cardTexts[1]).toContain(danaya.name);

    // Co-signed by one organisation and one individual, approved in the seed.
    const organisations = e2e.page.getByTestId('co-signatory');
    await expect(organisations.allInnerTexts()).resolves.toEqual([expect.stringContaining(demoCoSignatories.organisation.name)]);
    const individuals = e2e.page.getByTestId('signatory');
    const individual = (await individuals.allInnerTexts()).join('\n');
    expect(individual).toContain(demoCoSignatories.individual.name);
    expect(individual).toContain(demoCoSignatories.individual.affiliation);

    const timeline = e2e.page.getByTestId('campaign-timeline').locator('> li');
    await expect(timeline.count()).resolves.toBe(demoTimeline.length);
    const first = await timeline.first().innerText();
    expect(first).toContain('20 April 2020');
    expect(first).toContain('Criminal case opened');

    await e2e.page.screenshot({ path: path.join(outputDir, 'campaign-people.png'), fullPage: true });
  });

  test('a visitor clicks through to Marat Turymbetov and sees his status and dated timeline', async () => {
    await e2e.page.getByTestId('person-card').filter({ hasText: marat.name }).getByRole('link', { name: marat.name }).click();
    await e2e.page.waitForURL(`**/people/${marat.slug}`);
    await e2e.page.getByRole('heading', { level: 1, name: marat.name }).waitFor();
    expect(await e2e.page.title()).toBe(`${marat.name} — Questioned as a witness — Chorus`);

    await expect(e2e.page.getByTestId('person-status').innerText()).resolves.toContain('Questioned as a witness');
    const facts = await e2e.page.locator('dl.facts').innerText();
    expect(facts).toContain('Almaty');
    expect(facts).toContain('3 March 1969');
    expect(facts).toContain('Article 274, part 4');
    // His health notes were published by the source, so the seed marks them public.
    expect(facts).toContain('haemodialysis');
    await expect(e2e.page.getByTestId('person-source').innerText()).resolves.toBe(
      'Source: Kazakhstan International Bureau for Human Rights and the Rule of Law, 27 July 2020',
    );

    const events = e2e.page.getByTestId('person-timeline').locator('> li');
    await expect(events.count()).resolves.toBe(marat.events.length);
    const texts = await events.allInnerTexts();
    expect(texts[0]).toContain('2017');
    expect(texts[0]).toContain('Convicted of fraud');
    expect(texts.find((t) => t.includes('20 July 2020'))).toContain('Questioned as a witness with the right to defence');
    // Dated, oldest first.
    expect(texts.findIndex((t) => t.includes('20 April 2020'))).toBeLessThan(texts.findIndex((t) => t.includes('5 May 2020')));

    await e2e.page.screenshot({ path: path.join(outputDir, 'person-page.png'), fullPage: true });

    // And back to the campaign about him.
    await e2e.page.getByRole('link', { name: demoCampaign.title }).click();
    await e2e.page.waitForURL(`**/c/${demoCampaign.slug}`);
    await e2e.page.getByRole('heading', { level: 1, name: demoCampaign.title }).waitFor();
  });
});

/** A browser context signed in as a new editor of the demo campaign. */
async function editorContext(): Promise<{ context: BrowserContext; campaignId: string }> {
  const { db } = await import('../../app/utils/db.server.ts');
  const run = Math.random().toString(36).slice(2, 8);
  const campaign = await db.campaign.findUniqueOrThrow({ where: { slug: demoCampaign.slug }, select: { id: true } });
  const user = await db.user.create({ data: { email: `people-editor-${run}@example.org`, name: 'Aigerim Editor' } });
  await db.campaignMember.create({ data: { campaignId: campaign.id, userId: user.id, role: 'EDITOR' } });
  const organiser = await e2e.newContext();
  await organiser.addCookies([await browserSessionCookieFor(user.id, e2e.app.baseUrl)]);
  return { context: organiser, campaignId: campaign.id };
}

describe('organisers keep the record up to date', () => {
  test('an editor records a demand status, a response, a new person and a status change the public then sees', async () => {
    const { context: organiser, campaignId } = await editorContext();
    const dash = await organiser.newPage();
    try {
      // Demand status and an addressee's response, on the Timeline & responses tab.
      await dash.goto(`${e2e.app.baseUrl}/dashboard/c/${campaignId}/timeline`);
      await waitForHydration(dash);
      const firstDemand = dash.getByTestId('demand-outcome').first();
      await firstDemand.getByLabel('Status').selectOption('PARTLY_MET');
      await firstDemand.getByLabel('Date (today if empty)').fill('2020-09-01');
      await firstDemand.getByLabel('Note (optional)').fill('Charges against one activist were dropped.');
      await firstDemand.getByRole('button', { name: 'Save the status' }).click();
      await dash.getByText('The demand’s status was saved.').waitFor();

      await dash.getByLabel('From').selectOption({ label: 'Ministry of Internal Affairs' });
      await dash.getByLabel('Date of the response').fill('2020-08-15');
      await dash.getByLabel('Summary').fill('The ministry says the investigation is lawful.');
      await dash.getByLabel('Link to the response (optional)').fill('javascript:alert(1)');
      await dash.getByRole('button', { name: 'Log the response' }).click();
      // Refused with the typed values kept.
      await dash.getByText('The link must be a web address starting with http:// or https://.').waitFor();
      await expect(dash.getByLabel('Summary').inputValue()).resolves.toBe('The ministry says the investigation is lawful.');
      await dash.getByLabel('Link to the response (optional)').fill('https://example.org/ministry-reply');
      await dash.getByRole('button', { name: 'Log the response' }).click();
      await dash.getByText('The response was logged.').waitFor();

      // A new person, linked to the campaign from its People tab.
      await dash.goto(`${e2e.app.baseUrl}/dashboard/c/${campaignId}/people`);
      await waitForHydration(dash);
      await dash.getByRole('link', { name: 'Add a new person' }).click();
      await dash.getByRole('heading', { name: 'Add a person at risk' }).waitFor();
      await waitForHydration(dash);
      await dash.getByLabel('Full name').fill('Айгүл Серікқызы');
      await dash.getByLabel('Role', { exact: true }).fill('Blogger');
      await dash.getByRole('button', { name: 'Create the profile' }).click();
      await dash.waitForURL(`**/dashboard/c/${campaignId}/people?done=linked`);
      await dash.getByRole('link', { name: 'Айгүл Серікқызы' }).waitFor();

      // Marat's status changes, announced to the campaign's signers after an explicit confirmation.
      const { db } = await import('../../app/utils/db.server.ts');
      const maratId = (await db.person.findUniqueOrThrow({ where: { slug: marat.slug }, select: { id: true } })).id;
      await dash.goto(`${e2e.app.baseUrl}/dashboard/people/${maratId}`);
      await waitForHydration(dash);
      await dash.getByLabel('New status').selectOption('UNDER_INVESTIGATION');
      await dash.getByLabel('Since (optional; today if empty)').fill('2020-08-10');
      await dash.getByLabel('Note (optional)', { exact: true }).fill('He is now a suspect in the case.');
      await dash.getByLabel(demoCampaign.title, { exact: false }).check();
      await dash.getByRole('button', { name: 'Change the status' }).click();
      await dash.getByRole('heading', { name: 'Confirm the announcement' }).waitFor();
      expect(await db.person.findUniqueOrThrow({ where: { id: maratId }, select: { status: true } })).toEqual({ status: 'WITNESS' });
      await dash.getByRole('button', { name: 'Change the status and send the announcement' }).click();
      await dash.getByText('The status was changed, and the announcement is being sent').waitFor();
    } finally {
      await organiser.close();
    }

    // The public sees all of it.
    await e2e.page.goto(`${e2e.app.baseUrl}/c/${demoCampaign.slug}`);
    await waitForHydration(e2e.page);
    await expect(e2e.page.getByTestId('demand-status').first().innerText()).resolves.toMatch(/Partly met\s+1 September 2020 — Charges against one activist were dropped\./i);
    const ministry = e2e.page.getByTestId('addressee').filter({ hasText: 'Ministry of Internal Affairs' });
    await expect(ministry.getByTestId('addressee-response').innerText()).resolves.toContain('15 August 2020: The ministry says the investigation is lawful.');
    await expect(ministry.getByRole('link', { name: 'Read it' }).getAttribute('href')).resolves.toBe('https://example.org/ministry-reply');
    await expect(e2e.page.getByTestId('person-card').allInnerTexts()).resolves.toEqual([
      expect.stringContaining('Under investigation'),
      expect.stringContaining(danaya.name),
      expect.stringContaining('Айгүл Серікқызы'),
    ]);
    await e2e.page.getByTestId('campaign-update').filter({ hasText: `${marat.name}: Under investigation` }).waitFor();

    await e2e.page.goto(`${e2e.app.baseUrl}/people/${marat.slug}`);
    await expect(e2e.page.getByTestId('person-status').innerText()).resolves.toContain('Under investigation');
    const last = await e2e.page.getByTestId('person-timeline').locator('> li').last().innerText();
    expect(last).toContain('Status: Under investigation');
    // Dated 10 August 2020, it is the newest entry.
    expect(last).toContain('10 August 2020');
  });
});
