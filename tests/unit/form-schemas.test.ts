// Each form's schema must judge a submission the same way in the browser as on the server: the same
// errors with the same messages, the same parsed values. The schemas are bundled for the browser (as
// the client build does) and run in headless Chromium; the same table runs in Node.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateEntries, type SchemaName } from './support/form-schemas.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

const signer: Array<[string, string]> = [
  ['fullName', 'Нұрғали Ақжігітов'],
  ['email', 'nurgali@example.kz'],
  ['city', 'Өскемен'],
  ['country', 'KZ'],
  ['consent', 'on'],
];
const withSigner = (changes: Record<string, string | null>): Array<[string, string]> => {
  const entries = signer.filter(([key]) => !(key in changes));
  for (const [key, value] of Object.entries(changes)) if (value !== null) entries.push([key, value]);
  return entries;
};
const campaign: Array<[string, string]> = [
  ['title', 'Free the journalists'],
  ['slug', 'free-the-journalists'],
  ['summary', 'Three reporters are held without charge.'],
  ['statement', '## We ask\r\n\r\nRelease them.'],
  ['goal', '10,000'],
  ['imageUrl', ''],
];
const addressee: Array<[string, string]> = [
  ['name', 'Асель Ержанова'],
  ['role', 'Minister of Justice'],
  ['email', 'minister@example.kz'],
  ['deliveryMode', 'DIGEST'],
  ['digestIntervalMinutes', '1440'],
  ['lettersPerHour', '10'],
];
const organisation: Array<[string, string]> = [
  ['kind', 'ORGANISATION'],
  ['name', 'Қазақстан адам құқықтары бюросы'],
  ['country', 'KZ'],
  ['contactEmail', 'Office@Bureau.example.kz'],
  ['representativeName', 'Евгений Жовтис'],
  ['website', 'https://bureau.example.kz'],
  ['consent', 'on'],
];
const person: Array<[string, string]> = [
  ['name', 'Ғалым Әбділов'],
  ['role', 'Journalist'],
  ['status', 'DETAINED'],
  ['story', ''],
];

// [schema, what the case is about, the form's entries as the browser sends them]
const cases: Array<[SchemaName, string, Array<[string, string]>]> = [
  ['signature', 'a Kazakh name and city', signer],
  ['signature', 'Latin names with an apostrophe and a hyphen', withSigner({ fullName: "Danaya O'Neil-Kaliyeva", city: 'Ust-Kamenogorsk' })],
  ['signature', 'a typographic apostrophe', withSigner({ fullName: 'Жанна Д’Арк' })],
  ['signature', 'a decomposed (NFD) name and extra spaces', withSigner({ fullName: `  Нұрғали   ${'Ақжігітов'.normalize('NFD')} ` })],
  ['signature', 'optional fields sent empty', withSigner({ comment: '', showName: null, wantsUpdates: null })],
  ['signature', 'every checkbox ticked', withSigner({ showName: 'on', wantsUpdates: 'on', comment: 'Бұл маңызды.' })],
  ['signature', 'a comment over several lines (CRLF as posted)', withSigner({ comment: 'Бірінші жол.\r\nЕкінші жол.' })],
  ['signature', 'a comment of 1000 characters with line breaks', withSigner({ comment: `${'ә'.repeat(499)}\r\n${'ә'.repeat(500)}` })],
  ['signature', 'a comment one character too long', withSigner({ comment: 'a'.repeat(1001) })],
  ['signature', 'consent not ticked', withSigner({ consent: null })],
  ['signature', 'everything empty', [['fullName', ''], ['email', ''], ['city', ''], ['country', ''], ['comment', '']]],
  ['signature', 'a name with only spaces', withSigner({ fullName: '   ' })],
  ['signature', 'a name without letters', withSigner({ fullName: '---' })],
  ['signature', 'a control character in the name', withSigner({ fullName: 'Marat\u0000Turymbetov' })],
  ['signature', 'a direction override in the city', withSigner({ city: 'Алма\u202eты' })],
  ['signature', 'a name of exactly 120 letters', withSigner({ fullName: 'А'.repeat(120) })],
  ['signature', 'a name of 121 letters', withSigner({ fullName: 'А'.repeat(121) })],
  ['signature', 'an email with spaces around it', withSigner({ email: '  nurgali@example.kz ' })],
  ['signature', 'a malformed email', withSigner({ email: 'not-an-email' })],
  ['signature', 'an over-long email', withSigner({ email: `${'a'.repeat(250)}@example.org` })],
  ['signature', 'an unknown country', withSigner({ country: 'ZZ' })],
  ['signature', 'a partner link and sharing ticked', withSigner({ via: 'bureau-kz', shareWithPartner: 'on' })],
  ['signature', 'a malformed partner slug (ignored)', withSigner({ via: 'Not A Slug!' })],
  ['coSign', 'an organisation', organisation],
  ['coSign', 'an organisation without a representative', organisation.filter(([k]) => k !== 'representativeName')],
  ['coSign', 'an individual without a title', [['kind', 'INDIVIDUAL'], ['name', 'Айгүл Серікқызы'], ['country', 'KZ'], ['contactEmail', 'aigul@example.kz'], ['consent', 'on']]],
  ['coSign', 'a javascript: website', [...organisation.filter(([k]) => k !== 'website'), ['website', 'javascript:alert(1)']]],
  ['coSign', 'no kind chosen', organisation.filter(([k]) => k !== 'kind')],
  ['partnerInvite', 'an empty note', [['note', '']]],
  ['signIn', 'an email', [['email', 'Organiser@Example.org'], ['redirectTo', '/dashboard']]],
  ['signIn', 'no email', [['email', '']]],
  ['register', 'a Cyrillic name', [['name', 'Сәуле Нұрланқызы'], ['email', 'saule@example.kz']]],
  ['register', 'a name too long', [['name', 'Ә'.repeat(121)], ['email', 'saule@example.kz']]],
  ['campaignDetails', 'a complete campaign', campaign],
  ['campaignDetails', 'an upper-case slug and a goal with spaces', campaign.map(([k, v]): [string, string] => [k, k === 'slug' ? ' Free-Them ' : k === 'goal' ? '10 000' : v])],
  ['campaignDetails', 'a goal that is not a number, a bad slug, a data: image', campaign.map(([k, v]): [string, string] => [k, k === 'goal' ? 'lots' : k === 'slug' ? 'free--them' : k === 'imageUrl' ? 'data:image/png;base64,AAAA' : v])],
  ['campaignDetails', 'a goal out of range', campaign.map(([k, v]): [string, string] => [k, k === 'goal' ? '0' : v])],
  ['demand', 'a demand over two lines', [['text', 'Release them.\r\nDrop the charges.']]],
  ['demand', 'an empty demand', [['text', ' ']]],
  ['addressee', 'a digest addressee', addressee],
  ['addressee', 'a bad mode, interval and rate', addressee.map(([k, v]): [string, string] => [k, k === 'deliveryMode' ? 'FAX' : k === 'digestIntervalMinutes' ? '5' : k === 'lettersPerHour' ? '10001' : v])],
  ['victory', 'a note', [['victoryNote', 'All three are free.']]],
  ['reviewNote', 'no reason', [['reason', '']]],
  ['inviteMember', 'an editor', [['email', 'editor@example.org'], ['role', 'EDITOR']]],
  ['inviteMember', 'an unknown role', [['email', 'editor@example.org'], ['role', 'KING']]],
  ['update', 'an update', [['title', 'Суд перенесён'], ['body', 'Заседание перенесли на 12 декабря.\r\n\r\nСледите за новостями.']]],
  ['update', 'a title with a control character', [['title', 'Bad\u0007title'], ['body', 'Text']]],
  ['personProfile', 'a profile with optional fields empty', [['name', 'Ғалым Әбділов'], ['role', 'Journalist'], ['photoUrl', ''], ['residence', ''], ['dateOfBirth', ''], ['charges', ''], ['healthNotes', ''], ['story', ''], ['sourceOrg', ''], ['sourceDate', '']]],
  ['personProfile', 'a profile with a health-notes checkbox and dates', [['name', 'Ғалым Әбділов'], ['role', 'Journalist'], ['dateOfBirth', '1984-02-29'], ['healthNotes', 'Needs insulin.'], ['healthNotesPublic', 'on'], ['sourceDate', '2026-11-01']]],
  ['personProfile', 'an impossible date', [['name', 'Ғалым Әбділов'], ['role', 'Journalist'], ['dateOfBirth', '2021-02-29']]],
  ['newPerson', 'a new person', person],
  ['newPerson', 'no status', person.filter(([k]) => k !== 'status')],
  ['personEvent', 'an event', [['date', '2026-10-05'], ['title', 'Арестован'], ['description', '']]],
  ['personEvent', 'an event without a date', [['date', ''], ['title', 'Арестован']]],
  ['statusChange', 'a status change', [['status', 'RELEASED'], ['note', ''], ['date', '']]],
  ['demandStatus', 'a status with a note', [['status', 'PARTLY_MET'], ['note', 'One of three released.'], ['date', '2026-11-20']]],
  ['addresseeResponse', 'a response with a link', [['date', '2026-11-21'], ['summary', 'The ministry refused.'], ['url', 'https://example.kz/answer']]],
  ['addresseeResponse', 'a response with an ftp link', [['date', '2026-11-21'], ['summary', 'The ministry refused.'], ['url', 'ftp://example.kz/answer']]],
  ['timelineEvent', 'an event', [['date', '2026-11-22'], ['title', 'Petition delivered'], ['description', '']]],
];

let browser: Browser;
let page: Page;

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [path.join(here, 'support/form-schemas.ts')],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    globalName: 'formSchemas',
    target: 'es2020',
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  page = await browser.newPage();
  await page.addScriptTag({ content: bundle.outputFiles[0].text });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('form schemas give the same result in the browser as on the server', () => {
  it.each(cases)('%s: %s', async (name, _about, entries) => {
    const inNode = validateEntries(name, entries);
    const inBrowser = await page.evaluate(
      ([n, e]) => (globalThis as unknown as { formSchemas: { validateEntries: typeof validateEntries } }).formSchemas.validateEntries(n, e),
      [name, entries] as const,
    );
    expect(inBrowser).toBe(inNode);
  });

  it('the table covers every schema, with both a valid and an invalid submission of the sign form', () => {
    const results = cases.filter(([name]) => name === 'signature').map(([name, , entries]) => JSON.parse(validateEntries(name, entries)).success);
    expect(results).toContain(true);
    expect(results).toContain(false);
  });
});

describe('what the sign form accepts (the browser must not refuse what the server takes)', () => {
  const judged = (changes: Record<string, string | null>) => JSON.parse(validateEntries('signature', withSigner(changes)));

  it('accepts Kazakh and Cyrillic names, empty optional fields and unticked checkboxes', () => {
    const result = judged({ comment: '', showName: null, wantsUpdates: null });
    expect(result).toMatchObject({ success: true, data: { fullName: 'Нұрғали Ақжігітов', city: 'Өскемен', comment: null, showName: false, wantsUpdates: false } });
  });

  it('counts a line break as one character, as the textarea does', () => {
    expect(judged({ comment: `${'ә'.repeat(499)}\r\n${'ә'.repeat(500)}` }).success).toBe(true);
    expect(judged({ comment: `${'ә'.repeat(500)}\r\n${'ә'.repeat(500)}` }).errors).toEqual({ comment: 'Your comment is too long (at most 1000 characters).' });
  });

  it('names each problem once, in the order of the form', () => {
    const result = JSON.parse(validateEntries('signature', [['fullName', ''], ['email', 'x'], ['city', ''], ['country', '']]));
    expect(Object.keys(result.errors)).toEqual(['fullName', 'email', 'city', 'country', 'consent']);
    expect(result.values).toEqual({ fullName: '', email: 'x', city: '', country: '' });
  });
});
