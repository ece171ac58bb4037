import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestSmtp, useWorkers } from '../setup/mail-and-workers.ts';
import { createCampaign, signer } from '../setup/factories.ts';
import { parseCsv } from '../setup/parse-csv.ts';
import { eventually } from '../setup/wait.ts';
import type { SignatureInput } from '../../app/validation/signature.ts';

// The organiser dashboard's models on real PostgreSQL, Redis and SMTP. The first blocks work on the
// database alone; the last one runs the workers in this process to deliver, pause and retry.
const smtp = await useTestSmtp();

const { db } = await import('../../app/utils/db.server.ts');
const { confirmationToken } = await import('../../app/utils/crypto.server.ts');
const { createSignature, confirmSignature } = await import('../../app/models/signature.server.ts');
const { prepareDigest, prepareLetter, markDeliveryFailed, markDeliverySent } = await import('../../app/models/delivery.server.ts');
const { pauseAddressee, resumeAddressee } = await import('../../app/models/addressee.server.ts');
const { campaignNumbers, signaturesPerDay } = await import('../../app/models/campaign-numbers.server.ts');
const { hideComment, unhideComment } = await import('../../app/models/comment-moderation.server.ts');
const { deliveryLog, deliveryResends, failedDeliveriesOf, resendFailedDeliveries, retryDelivery } = await import(
  '../../app/models/delivery-log.server.ts'
);
const { updateAddressee } = await import('../../app/models/addressee.server.ts');
const { exportSignatures, recentExports } = await import('../../app/models/signature-export.server.ts');
const { listSignatures } = await import('../../app/models/signature-list.server.ts');
const { CONSENT_VERSION } = await import('../../app/validation/signature.ts');

let ipCounter = 0;
const nextIp = () => `198.51.100.${(ipCounter++ % 250) + 1}`;

/** Signs through the real model and confirms with the token the email would carry. */
async function signAndConfirm(slug: string, overrides: Partial<SignatureInput> = {}) {
  const { signatureId } = await createSignature(slug, signer(overrides), nextIp());
  await confirmSignature(confirmationToken(signatureId!));
  return signatureId!;
}

const DAY = 86_400_000;
const utcDay = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);

/** Rows for createMany: confirmed unless told otherwise. */
function rows(campaignId: string, count: number, make: (i: number) => Record<string, unknown> = () => ({})) {
  return Array.from({ length: count }, (_, i) => {
    const email = `bulk-${randomBytes(6).toString('hex')}@example.net`;
    return {
      campaignId,
      fullName: `Signer${String(i).padStart(4, '0')} Bulk`,
      email,
      emailNormalized: email,
      city: 'Astana',
      country: 'KZ',
      consentVersion: CONSENT_VERSION,
      tokenHash: randomBytes(16).toString('hex'),
      ipHash: 'test',
      status: 'CONFIRMED' as const,
      confirmedAt: new Date(),
      ...make(i),
    };
  });
}

async function createUser() {
  return db.user.create({ data: { email: `organiser-${randomBytes(4).toString('hex')}@example.org`, name: 'Dana Organiser' } });
}

async function collect(lines: AsyncGenerator<string>) {
  let text = '';
  for await (const line of lines) text += line;
  return text;
}

describe('numbers and signatures per day', () => {
  it('counts submitted, confirmed, pending, unsubscribed and what each addressee received', async () => {
    const campaign = await createCampaign({
      addressees: [
        { deliveryMode: 'PER_SIGNATURE', name: 'President' },
        { deliveryMode: 'DIGEST', name: 'Ministry', digestIntervalMinutes: 60 },
      ],
    });
    const [president, ministry] = campaign.addressees;
    const today = await Promise.all([signAndConfirm(campaign.slug), signAndConfirm(campaign.slug), signAndConfirm(campaign.slug, { wantsUpdates: true })]);
    await createSignature(campaign.slug, signer(), nextIp()); // left pending
    await db.signature.update({ where: { id: today[2] }, data: { unsubscribedAt: new Date() } });
    // Four made three days ago: two of them confirmed two days ago.
    await db.signature.createMany({
      data: rows(campaign.id, 4, (i) => ({
        createdAt: new Date(Date.now() - 3 * DAY),
        ...(i < 2 ? { confirmedAt: new Date(Date.now() - 2 * DAY) } : { status: 'PENDING', confirmedAt: null }),
      })),
    });
    // Another campaign's signatures count for that campaign only.
    const other = await createCampaign();
    await signAndConfirm(other.slug);

    // President: one letter accepted, one failed, one still pending. Ministry: one digest of all five.
    const sent = await prepareLetter(president.id, today[0]);
    await markDeliverySent(sent!.delivery.id, '<letter-test-1@chorus>', new Date());
    const failed = await prepareLetter(president.id, today[1]);
    await markDeliveryFailed(failed!.delivery.id, 'SMTP 550: Mailbox unavailable');
    await prepareLetter(president.id, today[2]);
    const digest = await prepareDigest(ministry.id);
    expect(digest!.signatures).toHaveLength(5);
    await markDeliverySent(digest!.delivery.id, '<digest-test-1@chorus>', new Date());

    const numbers = await campaignNumbers(campaign.id);
    expect(numbers).toMatchObject({ submitted: 8, confirmed: 5, pending: 3, unsubscribed: 1 });
    expect(numbers.addressees.map((a) => a.name)).toEqual(['President', 'Ministry']);
    expect(numbers.addressees[0]).toMatchObject({
      paused: false,
      lettersSent: 1,
      signaturesDelivered: 1,
      deliveries: { SENT: 1, FAILED: 1, PENDING: 1 },
    });
    expect(numbers.addressees[1]).toMatchObject({ lettersSent: 1, signaturesDelivered: 5, deliveries: { SENT: 1, FAILED: 0, PENDING: 0 } });
    expect(numbers.addressees[1].lastDeliveredAt).toBeInstanceOf(Date);

    const week = await signaturesPerDay(campaign.id, 7);
    expect(week.map((d) => d.day)).toEqual([-6, -5, -4, -3, -2, -1, 0].map(utcDay));
    expect(week.find((d) => d.day === utcDay(0))).toEqual({ day: utcDay(0), submitted: 4, confirmed: 3 });
    expect(week.find((d) => d.day === utcDay(-2))).toEqual({ day: utcDay(-2), submitted: 0, confirmed: 2 });
    expect(week.find((d) => d.day === utcDay(-3))).toEqual({ day: utcDay(-3), submitted: 4, confirmed: 0 });
    expect(week.reduce((sum, d) => sum + d.submitted, 0)).toBe(8);
    expect(week.filter((d) => d.submitted === 0 && d.confirmed === 0)).toHaveLength(4);

    // Sixty days by default, every one of them present; a campaign with nothing is all zeros.
    const empty = await createCampaign();
    const series = await signaturesPerDay(empty.id);
    expect(series).toHaveLength(60);
    expect(series[0].day).toBe(utcDay(-59));
    expect(series.every((d) => d.submitted === 0 && d.confirmed === 0)).toBe(true);
    expect(await campaignNumbers(empty.id)).toMatchObject({ submitted: 0, confirmed: 0, pending: 0, unsubscribed: 0 });
  });
});

describe('the signatures list', () => {
  let campaignId: string;
  let otherCampaignId: string;
  const nurgali = { fullName: 'Нұрғали Ақжігітов', email: `nurgali-${randomBytes(3).toString('hex')}@example.net`, city: 'Өскемен' };
  const aigul = { fullName: 'Айгүл Серікова', email: `aigul-${randomBytes(3).toString('hex')}@example.net`, city: 'Алматы' };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // No addressees: the workers started later should not mail letters for these signatures.
    const campaign = await createCampaign({ addressees: [] });
    campaignId = campaign.id;
    otherCampaignId = (await createCampaign()).id;
    // Sixty older ones first, so the named signers below are the newest.
    await db.signature.createMany({ data: rows(campaignId, 60, (i) => ({ createdAt: new Date(Date.now() - (60 - i) * 60_000) })) });
    ids.nurgali = await signAndConfirm(campaign.slug, { ...nurgali, comment: 'Свободу!' });
    ids.aigul = await signAndConfirm(campaign.slug, { ...aigul, showName: true });
    ids.john = await signAndConfirm(campaign.slug, { fullName: 'John Smith', city: 'London', country: 'GB', comment: '=1+1' });
    ids.pending = (await createSignature(campaign.slug, signer({ fullName: 'Pending Person', city: 'Taraz' }), nextIp())).signatureId!;
  });

  it('shows viewers only public names and cities of confirmed signers', async () => {
    const list = await listSignatures(campaignId, {}, 'VIEWER');
    expect(list.total).toBe(63);
    expect(list.signatures).toHaveLength(50);
    expect(list.signatures.slice(0, 3).map((s) => s.name)).toEqual(['John S.', 'Айгүл Серікова', 'Нұрғали А.']);
    for (const s of list.signatures) {
      expect(Object.keys(s).sort()).toEqual(['city', 'confirmedAt', 'createdAt', 'id', 'name']);
    }
    expect(JSON.stringify(list)).not.toContain(nurgali.email);
    expect(JSON.stringify(list)).not.toContain('Ақжігітов');
    expect(JSON.stringify(list)).not.toContain('Свободу');
  });

  it('lets viewers search only what they can see', async () => {
    const names = async (search: string) => (await listSignatures(campaignId, { search }, 'VIEWER')).signatures.map((s) => s.name);
    expect(await names('нұрғали')).toEqual(['Нұрғали А.']);
    expect(await names('өскемен')).toEqual(['Нұрғали А.']);
    expect(await names('Серікова')).toEqual(['Айгүл Серікова']); // she chose to show her full name
    expect(await names('Ақжігітов')).toEqual([]); // he did not
    expect(await names('Нұрғали Ақ')).toEqual([]);
    expect(await names('Нұрғали_Ақ')).toEqual([]); // `_` is not a wildcard
    expect(await names('%')).toEqual([]);
    expect(await names(nurgali.email)).toEqual([]);
    expect(await names('Pending')).toEqual([]);
  });

  it('shows editors full names, countries, status and comments, but not email addresses', async () => {
    const list = await listSignatures(campaignId, { search: 'Ақжігітов' }, 'EDITOR');
    expect(list.signatures).toHaveLength(1);
    expect(list.signatures[0]).toMatchObject({
      name: 'Нұрғали А.',
      fullName: nurgali.fullName,
      city: nurgali.city,
      country: 'KZ',
      countryName: 'Kazakhstan',
      status: 'CONFIRMED',
      comment: 'Свободу!',
      commentHiddenAt: null,
    });
    expect(list.signatures[0]).not.toHaveProperty('email');
    expect((await listSignatures(campaignId, { search: nurgali.email }, 'EDITOR')).total).toBe(0);
    // Editors see signatures still waiting for confirmation too.
    const pending = await listSignatures(campaignId, { search: 'Pending Person' }, 'EDITOR');
    expect(pending.signatures.map((s) => [s.id, s.status])).toEqual([[ids.pending, 'PENDING']]);
    expect((await listSignatures(campaignId, {}, 'EDITOR')).total).toBe(64);
  });

  it('shows owners email addresses and lets them search by email', async () => {
    const list = await listSignatures(campaignId, { search: nurgali.email.toUpperCase() }, 'OWNER');
    expect(list.signatures.map((s) => [s.fullName, s.email])).toEqual([[nurgali.fullName, nurgali.email]]);
  });

  it('pages through a search with a total, newest first, without overlaps', async () => {
    const pages = await Promise.all([1, 2, 3].map((page) => listSignatures(campaignId, { search: 'astana', page, pageSize: 25 }, 'VIEWER')));
    expect(pages.map((p) => [p.total, p.pageCount, p.page, p.signatures.length])).toEqual([
      [60, 3, 1, 25],
      [60, 3, 2, 25],
      [60, 3, 3, 10],
    ]);
    const all = pages.flatMap((p) => p.signatures);
    expect(new Set(all.map((s) => s.id)).size).toBe(60);
    expect(all[0].name).toBe('Signer0059 B.');
    expect(all[59].name).toBe('Signer0000 B.');
    const times = all.map((s) => s.createdAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // Out-of-range pages are empty, not errors; nonsense is clamped.
    expect((await listSignatures(campaignId, { search: 'astana', page: 9, pageSize: 25 }, 'VIEWER')).signatures).toEqual([]);
    expect((await listSignatures(campaignId, { page: -3, pageSize: 10_000 }, 'VIEWER')).pageSize).toBe(200);
  });

  it('hides and shows a comment, only within its own campaign', async () => {
    expect(await hideComment(otherCampaignId, ids.nurgali, 'Spam')).toEqual({ ok: false, reason: 'not-found' });
    expect(await unhideComment(otherCampaignId, ids.nurgali)).toEqual({ ok: false, reason: 'not-found' });
    // Aigul left no comment, so there is nothing to hide.
    expect(await hideComment(campaignId, ids.aigul, 'Spam')).toEqual({ ok: false, reason: 'not-found' });
    expect((await db.signature.findUniqueOrThrow({ where: { id: ids.nurgali } })).commentHiddenAt).toBeNull();

    expect(await hideComment(campaignId, ids.nurgali, '  Names a witness  ')).toEqual({ ok: true });
    const [hidden] = (await listSignatures(campaignId, { search: 'Ақжігітов' }, 'EDITOR')).signatures;
    expect(hidden.commentHiddenAt).toBeInstanceOf(Date);
    expect(hidden.commentHiddenReason).toBe('Names a witness');
    expect(hidden.comment).toBe('Свободу!'); // kept, only hidden

    expect(await unhideComment(campaignId, ids.nurgali)).toEqual({ ok: true });
    const row = await db.signature.findUniqueOrThrow({ where: { id: ids.nurgali } });
    expect([row.commentHiddenAt, row.commentHiddenReason]).toEqual([null, null]);
  });
});

describe('the CSV export', () => {
  let campaignId: string;
  let ownerId: string;
  const special = {
    fullName: 'Нұрғали Ақжігітов',
    email: `nurgali-${randomBytes(3).toString('hex')}@example.net`,
    city: 'Өскемен',
    comment: '=1+1',
  };
  const quoting = { fullName: 'Ерлан "Ерке" Нұрланұлы', email: `erlan-${randomBytes(3).toString('hex')}@example.net`, city: 'Semey, East', comment: '@SUM(A1:A9), "hi"' };
  let bulkEmail: string;

  beforeAll(async () => {
    const campaign = await createCampaign({ addressees: [] });
    campaignId = campaign.id;
    ownerId = (await createUser()).id;
    const bulk = rows(campaignId, 2_500, (i) => ({ showName: i % 2 === 0, wantsUpdates: i % 3 === 0 }));
    bulkEmail = bulk[1].email;
    await db.signature.createMany({ data: bulk });
    await db.signature.createMany({ data: rows(campaignId, 3, () => ({ status: 'PENDING', confirmedAt: null })) });
    await signAndConfirm(campaign.slug, { ...special, showName: false, wantsUpdates: true });
    await signAndConfirm(campaign.slug, quoting);
  });

  it('streams every confirmed signature to an owner, with email, and logs the export with its row count', async () => {
    const lines = exportSignatures(campaignId, ownerId, 'OWNER');
    const header = await lines.next();
    expect(header.value).toBe('\uFEFFname,fullName,email,city,country,comment,commentHidden,wantsUpdates,unsubscribedAt,confirmedAt\r\n');
    // The log row exists before the first signature is read.
    const log = await db.exportLog.findFirstOrThrow({ where: { campaignId, userId: ownerId } });
    expect(log).toMatchObject({ kind: 'signatures-csv', rowCount: 0 });

    const text = header.value + (await collect(lines));
    expect(text.startsWith('\uFEFF')).toBe(true);
    const table = parseCsv(text.slice(1));
    expect(table).toHaveLength(1 + 2_502);
    expect(table.every((r) => r.length === 10)).toBe(true);
    expect(new Set(table.slice(1).map((r) => r[2])).size).toBe(2_502);
    expect(table.some((r) => r[2] === bulkEmail)).toBe(true);

    // Kazakh letters come through as they are; a formula-like comment is defused.
    const row = table.find((r) => r[2] === special.email)!;
    expect(row).toEqual(['Нұрғали А.', special.fullName, special.email, 'Өскемен', 'Kazakhstan', "'=1+1", 'false', 'true', '', expect.any(String)]);
    expect(text).toContain(`Нұрғали А.,Нұрғали Ақжігітов,${special.email},Өскемен,Kazakhstan,'=1+1,false,true,,`);
    expect(text).not.toMatch(/,=1\+1/);
    const quoted = table.find((r) => r[2] === quoting.email)!;
    expect(quoted.slice(1, 6)).toEqual([quoting.fullName, quoting.email, 'Semey, East', 'Kazakhstan', `'@SUM(A1:A9), "hi"`]);
    expect(new Date(row[9]).getTime()).toBeGreaterThan(Date.now() - 600_000);

    const logged = await db.exportLog.findUniqueOrThrow({ where: { id: log.id } });
    expect(logged.rowCount).toBe(2_502);
    expect((await recentExports(campaignId))[0]).toMatchObject({ id: log.id, rowCount: 2_502, user: { name: 'Dana Organiser' } });
  });

  it('gives viewers public names and cities only, and editors no email addresses', async () => {
    const viewerText = await collect(exportSignatures(campaignId, ownerId, 'VIEWER'));
    const viewer = parseCsv(viewerText.slice(1));
    expect(viewer[0]).toEqual(['name', 'city', 'wantsUpdates', 'unsubscribedAt', 'confirmedAt']);
    expect(viewer).toHaveLength(1 + 2_502);
    expect(viewer.find((r) => r[0] === 'Нұрғали А.')).toEqual(['Нұрғали А.', 'Өскемен', 'true', '', expect.any(String)]);
    expect(viewerText).not.toContain('Ақжігітов');
    expect(viewerText).not.toContain('@example.net');
    expect(viewerText).not.toContain('=1+1');
    // Bulk signers with even numbers agreed to show their full name; the others show an initial.
    expect(viewer.filter((r) => r[0].endsWith(' Bulk'))).toHaveLength(1_250);
    expect(viewer.filter((r) => r[0].endsWith(' B.'))).toHaveLength(1_250);

    const editorText = await collect(exportSignatures(campaignId, ownerId, 'EDITOR'));
    const editor = parseCsv(editorText.slice(1));
    expect(editor[0]).toEqual(['name', 'fullName', 'city', 'country', 'comment', 'commentHidden', 'wantsUpdates', 'unsubscribedAt', 'confirmedAt']);
    expect(editor).toHaveLength(1 + 2_502);
    expect(editorText).not.toContain('@example.net');
    expect(editorText).toContain('Нұрғали Ақжігітов');

    const logs = await db.exportLog.findMany({ where: { campaignId }, orderBy: { createdAt: 'asc' } });
    expect(logs.map((l) => l.rowCount)).toEqual([2_502, 2_502, 2_502]);
  });

  it('logs how many rows went out when a download stops early', async () => {
    const lines = exportSignatures(campaignId, ownerId, 'VIEWER');
    let taken = 0;
    for await (const _line of lines) {
      if (++taken === 11) break; // the header and ten signatures
    }
    const last = await db.exportLog.findFirstOrThrow({ where: { campaignId }, orderBy: { createdAt: 'desc' } });
    expect(last.rowCount).toBe(10);
  });
});

describe('deliveries: pause, resume, retry', () => {
  let reconcile: (olderThanSeconds?: number) => Promise<{ letters: number }>;

  useWorkers();

  beforeAll(async () => {
    ({ reconcile } = await import('../../workers/maintenance.worker.ts'));
  });

  it('sends a paused addressee nothing, and everything it is owed once resumed', async () => {
    const campaign = await createCampaign({ addressees: [{ name: 'Paused office' }, { name: 'Open office' }] });
    const [paused, open] = campaign.addressees;
    const other = await createCampaign();
    expect(await pauseAddressee(other.id, paused.id)).toBe(false);
    expect(await pauseAddressee(campaign.id, paused.id)).toBe(true);
    expect((await campaignNumbers(campaign.id)).addressees.map((a) => a.paused)).toEqual([true, false]);

    const signatureId = await signAndConfirm(campaign.slug, { fullName: 'Айгүл Серікова', showName: true });
    // The open addressee's letter shows the confirmation has been processed; the reconciler owes the paused one nothing.
    await smtp.waitFor((m) => m.envelopeTo.includes(open.email));
    await reconcile(0);
    await eventually(async () => (await db.delivery.count({ where: { addresseeId: open.id, status: 'SENT' } })) === 1, { what: 'the letter jobs to settle' });
    expect(smtp.to(paused.email)).toHaveLength(0);
    expect(await db.deliveryItem.count({ where: { addresseeId: paused.id } })).toBe(0);
    const log = await deliveryLog(campaign.id, paused.id);
    expect(log).toMatchObject({ addressee: { paused: true, lettersSent: 0 }, deliveries: [], total: 0 });

    expect(await resumeAddressee(campaign.id, paused.id)).toBe(true);
    const owed = await reconcile(0);
    expect(owed.letters).toBeGreaterThanOrEqual(1);
    const letter = await smtp.waitFor((m) => m.envelopeTo.includes(paused.email));
    expect(letter.text).toContain('Айгүл Серікова');
    const after = await eventually(async () => {
      const l = await deliveryLog(campaign.id, paused.id);
      return l?.addressee.lettersSent === 1 ? l : null;
    }, { what: 'the receipt to count the letter' });
    expect(after.addressee).toMatchObject({ paused: false, signaturesDelivered: 1 });
    expect(after.deliveries).toEqual([
      expect.objectContaining({ kind: 'LETTER', status: 'SENT', itemCount: 1, error: null, messageId: expect.stringMatching(/^<letter-/) }),
    ]);
    expect(await db.deliveryItem.findFirstOrThrow({ where: { addresseeId: paused.id } })).toMatchObject({ signatureId });
    expect(await deliveryLog(other.id, paused.id)).toBeNull();
  });

  it('sends a failed letter again, and the receipt counts it', async () => {
    const campaign = await createCampaign({ addressees: [{ name: 'Prosecutor' }] });
    const [office] = campaign.addressees;
    smtp.refuse({ to: office.email, code: 550, message: 'Mailbox unavailable', times: 1 });
    await signAndConfirm(campaign.slug);

    const failed = await eventually(() => db.delivery.findFirst({ where: { addresseeId: office.id, status: 'FAILED' } }), { what: 'the letter to fail' });
    const log = await deliveryLog(campaign.id, office.id);
    expect(log!.deliveries).toEqual([expect.objectContaining({ id: failed.id, status: 'FAILED', attempts: 1, messageId: null, itemCount: 1 })]);
    expect(log!.deliveries[0].error).toMatch(/550/);
    expect(log!.addressee.lettersSent).toBe(0);

    const other = await createCampaign();
    expect(await retryDelivery(other.id, failed.id)).toEqual({ ok: false, reason: 'not-found' });
    await pauseAddressee(campaign.id, office.id);
    expect(await retryDelivery(campaign.id, failed.id)).toEqual({ ok: false, reason: 'paused' });
    await resumeAddressee(campaign.id, office.id);

    expect(await retryDelivery(campaign.id, failed.id)).toEqual({ ok: true, queued: true });
    const letter = await smtp.waitFor((m) => m.envelopeTo.includes(office.email));
    expect(letter.messageId).toMatch(/^<letter-/);
    const sent = await eventually(async () => {
      const d = await db.delivery.findUniqueOrThrow({ where: { id: failed.id } });
      return d.status === 'SENT' ? d : null;
    }, { what: 'the retried letter to be recorded' });
    expect(sent).toMatchObject({ attempts: 0, error: null, messageId: letter.messageId });
    const numbers = await campaignNumbers(campaign.id);
    expect(numbers.addressees[0]).toMatchObject({ lettersSent: 1, signaturesDelivered: 1, deliveries: { SENT: 1, FAILED: 0, PENDING: 0 } });
    expect(await retryDelivery(campaign.id, failed.id)).toEqual({ ok: false, reason: 'not-failed' });
    expect(smtp.to(office.email)).toHaveLength(1);
  });

  it('sends all failed deliveries of an addressee again once its address is fixed, and logs who did it', async () => {
    const campaign = await createCampaign({ addressees: [{ name: 'Ministry' }] });
    const [office] = campaign.addressees;
    const user = await createUser();
    smtp.refuse({ to: office.email, code: 550, message: 'No such mailbox', times: 2 });
    await signAndConfirm(campaign.slug);
    await signAndConfirm(campaign.slug);
    await eventually(async () => ((await db.delivery.count({ where: { addresseeId: office.id, status: 'FAILED' } })) === 2 ? true : null), {
      what: 'both letters to fail',
    });
    expect(smtp.to(office.email)).toHaveLength(0);

    // The organiser fixes the address, is shown what will happen, and confirms.
    const fixed = `fixed-${randomBytes(4).toString('hex')}@example.org`;
    const current = await db.addressee.findUniqueOrThrow({ where: { id: office.id } });
    await updateAddressee(campaign.id, office.id, {
      name: current.name,
      role: current.role,
      email: fixed,
      deliveryMode: current.deliveryMode,
      lettersPerHour: current.lettersPerHour,
      digestIntervalMinutes: current.digestIntervalMinutes,
    });
    expect(await failedDeliveriesOf(campaign.id, office.id)).toMatchObject({ email: fixed, count: 2, paused: false });
    expect(await failedDeliveriesOf((await createCampaign()).id, office.id)).toBeNull();

    // Confirmed against the old address (the page was stale): nothing happens.
    expect(await resendFailedDeliveries(campaign.id, office.id, user.id, office.email)).toEqual({ ok: false, reason: 'address-changed' });
    await pauseAddressee(campaign.id, office.id);
    expect(await resendFailedDeliveries(campaign.id, office.id, user.id, fixed)).toEqual({ ok: false, reason: 'paused' });
    await resumeAddressee(campaign.id, office.id);
    expect(await db.deliveryResend.count({ where: { addresseeId: office.id } })).toBe(0);

    expect(await resendFailedDeliveries(campaign.id, office.id, user.id, fixed)).toEqual({ ok: true, count: 2, queued: true });
    await eventually(async () => (smtp.to(fixed).length === 2 ? true : null), { what: 'both letters to reach the fixed address' });
    await eventually(async () => ((await db.delivery.count({ where: { addresseeId: office.id, status: 'SENT' } })) === 2 ? true : null), {
      what: 'both letters to be recorded as sent',
    });
    expect(await resendFailedDeliveries(campaign.id, office.id, user.id, fixed)).toEqual({ ok: false, reason: 'none-failed' });
    expect(await deliveryResends(office.id)).toEqual([
      expect.objectContaining({ email: fixed, deliveryCount: 2, user: { name: user.name, email: user.email } }),
    ]);
    expect(smtp.to(fixed)).toHaveLength(2);
    expect(smtp.to(office.email)).toHaveLength(0);
  });

  it('sends a failed digest again with the same signatures', async () => {
    const campaign = await createCampaign({ addressees: [{ name: 'Ombudsman', deliveryMode: 'DIGEST', digestIntervalMinutes: 60 }] });
    const [office] = campaign.addressees;
    smtp.refuse({ to: office.email, code: 550, message: 'Mailbox unavailable', times: 1 });
    // Both at once, so the reconciler's digest carries both.
    await db.signature.createMany({ data: rows(campaign.id, 2) });

    const failed = await eventually(() => db.delivery.findFirst({ where: { addresseeId: office.id, status: 'FAILED' } }), { what: 'the digest to fail', timeoutMs: 30_000 });
    expect(failed.kind).toBe('DIGEST');
    expect(await retryDelivery(campaign.id, failed.id)).toEqual({ ok: true, queued: true });
    const digest = await smtp.waitFor((m) => m.envelopeTo.includes(office.email));
    expect(digest.attachments).toHaveLength(1);
    expect(digest.attachments[0].content.toString('utf8').match(/Kazakhstan/g)).toHaveLength(2);
    const receipt = await eventually(async () => {
      const a = await db.addressee.findUniqueOrThrow({ where: { id: office.id } });
      return a.lettersSent === 1 ? a : null;
    }, { what: 'the receipt to count the digest' });
    expect(receipt.signaturesDelivered).toBe(2);
    expect(await db.delivery.count({ where: { addresseeId: office.id } })).toBe(1);
  });
});
