import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestSmtp, useWorkers } from '../setup/mail-and-workers.ts';
import { parseCsv } from '../setup/parse-csv.ts';
import { addMember, createCampaign, createUser, signer } from '../setup/factories.ts';
import { eventually } from '../setup/wait.ts';

// Signers' rights through real PostgreSQL, Redis and SMTP, with the workers in this process:
// removal (by the signer and by an owner), retention purges, expiring confirmation links and
// revocable partner links.
const smtp = await useTestSmtp();

const { db } = await import('../../app/utils/db.server.ts');
const { createSignature, confirmSignature, requestNewConfirmationLink, recentSigners } = await import('../../app/models/signature.server.ts');
const { confirmationLinkToken } = await import('../../app/models/confirmation.server.ts');
const { confirmationToken } = await import('../../app/utils/crypto.server.ts');
const removal = await import('../../app/models/signature-removal.server.ts');
const { flushSignatureCounts, recountSignatures } = await import('../../app/models/counter.server.ts');
const { exportSignatures } = await import('../../app/models/signature-export.server.ts');
const { prepareDigest } = await import('../../app/models/delivery.server.ts');
const { exportPartnerSignatures } = await import('../../app/models/partner-export.server.ts');
const { findCoSignatureByToken, partnerToken, reissuePartnerLink } = await import('../../app/models/partner-link.server.ts');
const { purgeExpiredData } = await import('../../app/models/retention.server.ts');
const { reconcile } = await import('../../workers/maintenance.worker.ts');

useWorkers();

let ip = 0;
const nextIp = () => `203.0.113.${(ip += 1)}`;

async function sign(slug: string, overrides: Parameters<typeof signer>[0] = {}) {
  const input = signer(overrides);
  const outcome = await createSignature(slug, input, nextIp());
  return { id: outcome.signatureId!, email: input.email, fullName: input.fullName };
}

async function signAndConfirm(slug: string, overrides: Parameters<typeof signer>[0] = {}) {
  const s = await sign(slug, overrides);
  expect(await confirmSignature(confirmationToken(s.id))).toMatchObject({ ok: true, alreadyConfirmed: false });
  return s;
}

const campaignCount = async (id: string) => (await db.campaign.findUniqueOrThrow({ where: { id }, select: { signatureCount: true } })).signatureCount;

async function exportText(campaignId: string, userId: string) {
  let out = '';
  for await (const chunk of exportSignatures(campaignId, userId, 'OWNER')) out += chunk;
  return out;
}

/** Waits until the worker's counter (flushed every 2 s by default) has counted every confirmation. */
async function counted(campaignId: string, expected: number) {
  return eventually(async () => {
    await flushSignatureCounts();
    return (await campaignCount(campaignId)) === expected;
  }, { what: `campaign count ${expected}` });
}

describe('a signer removes their signature', () => {
  it('deletes the row, lowers the count (counter and recount agree), keeps delivered letters as numbers, and logs no personal data', async () => {
    const campaign = await createCampaign({
      addressees: [{ deliveryMode: 'PER_SIGNATURE', email: `minister-${randomBytes(3).toString('hex')}@example.org` }],
    });
    const addressee = await db.addressee.findFirstOrThrow({ where: { campaignId: campaign.id } });
    const owner = await createUser();
    const stays = await signAndConfirm(campaign.slug, { fullName: 'Айгүл Серікова', listPublicly: true });
    const leaves = await signAndConfirm(campaign.slug, { fullName: 'Марат Тұрымбетов', listPublicly: true, comment: 'Бостандық' });
    await counted(campaign.id, 2);
    // Both letters are delivered before the removal.
    await eventually(async () => (await db.addressee.findUniqueOrThrow({ where: { id: addressee.id } })).signaturesDelivered === 2, {
      what: 'both letters delivered',
    });

    // A wrong token removes nothing.
    expect(await removal.removeOwnSignature(leaves.id, removal.removalToken(stays.id))).toBeNull();
    expect(await removal.findRemoval(leaves.id, 'not-the-token')).toEqual({ found: false });
    expect(await db.signature.count({ where: { id: leaves.id } })).toBe(1);

    const found = await removal.findRemoval(leaves.id, removal.removalToken(leaves.id));
    expect(found).toEqual({ found: true, signature: { campaign: { title: campaign.title, slug: campaign.slug } } });
    expect(await removal.removeOwnSignature(leaves.id, removal.removalToken(leaves.id))).toEqual({
      campaign: { title: campaign.title, slug: campaign.slug },
    });

    expect(await db.signature.findUnique({ where: { id: leaves.id } })).toBeNull();
    expect(await db.deliveryItem.count({ where: { signatureId: leaves.id } })).toBe(0);
    expect(await campaignCount(campaign.id)).toBe(1);
    // The periodic recount finds nothing to correct: the counter already agrees with the rows.
    expect(await recountSignatures()).toBe(0);
    expect(await campaignCount(campaign.id)).toBe(1);
    // The public record keeps the delivered letter as a number.
    expect(await db.addressee.findUniqueOrThrow({ where: { id: addressee.id } })).toMatchObject({ signaturesDelivered: 2, lettersSent: 2 });
    expect((await recentSigners(campaign.id)).map((s) => s.id)).toEqual([stays.id]);

    const log = await db.signatureRemoval.findMany({ where: { campaignId: campaign.id } });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ source: 'SIGNER', removedById: null, reason: null, wasConfirmed: true });
    expect(JSON.stringify(log)).not.toMatch(/Марат|Бостандық|@example\.net/);

    // Opening the link again: valid, but nothing is left to remove; removing again is harmless.
    expect(await removal.findRemoval(leaves.id, removal.removalToken(leaves.id))).toEqual({ found: true, signature: null });
    expect(await removal.removeOwnSignature(leaves.id, removal.removalToken(leaves.id))).toEqual({ campaign: null });
    expect(await db.signatureRemoval.count({ where: { campaignId: campaign.id } })).toBe(1);
    expect(await campaignCount(campaign.id)).toBe(1);

    const csv = parseCsv(await exportText(campaign.id, owner.id));
    expect(csv.slice(1).map((r) => r.join(' '))).toEqual([expect.stringContaining(stays.email)]);
  });

  it('a removed signer is left out of the next digest and of the partner CSV', async () => {
    const campaign = await createCampaign({ addressees: [{ deliveryMode: 'DIGEST', digestIntervalMinutes: 100_000 }] });
    const addressee = await db.addressee.findFirstOrThrow({ where: { campaignId: campaign.id } });
    // Digest already sent "now": the worker leaves the addressee alone while this test gathers it itself.
    await db.addressee.update({ where: { id: addressee.id }, data: { lastDigestAt: new Date() } });
    const partner = await db.partner.create({
      data: { slug: `partner-${randomBytes(3).toString('hex')}`, kind: 'ORGANISATION', name: 'Bureau', country: 'KZ', contactEmail: `office-${randomBytes(3).toString('hex')}@bureau.example` },
    });
    const coSignature = await db.coSignature.create({
      data: { campaignId: campaign.id, partnerId: partner.id, status: 'APPROVED', verifiedAt: new Date(), verificationSentAt: new Date() },
    });
    const via = { via: partner.slug, shareWithPartner: true };
    const stays = await signAndConfirm(campaign.slug, { ...via, fullName: 'Данагүл Қали', showName: true });
    const leaves = await signAndConfirm(campaign.slug, { ...via, fullName: 'Removed Person', showName: true });

    const before = await exportPartnerSignatures(coSignature.id, partnerToken(coSignature.id, 0));
    expect(before.ok && before.rowCount).toBe(2);

    expect(await removal.removeOwnSignature(leaves.id, removal.removalToken(leaves.id))).not.toBeNull();

    const after = await exportPartnerSignatures(coSignature.id, partnerToken(coSignature.id, 0));
    expect(after.ok && after.rowCount).toBe(1);
    expect(after.ok && after.csv).toContain(stays.email);
    expect(after.ok && after.csv).not.toContain(leaves.email);

    const digest = await prepareDigest(addressee.id);
    expect(digest?.signatures.map((s) => s.fullName)).toEqual(['Данагүл Қали']);
  });
});

describe('an owner removes a signer', () => {
  it('needs the signature to be in their campaign, and logs who, when and why', async () => {
    const campaign = await createCampaign();
    const other = await createCampaign();
    const owner = await createUser({ name: 'Aigerim Owner' });
    await addMember(campaign.id, owner.id, 'OWNER');
    const s = await signAndConfirm(campaign.slug, { fullName: 'Spam Bot' });
    await counted(campaign.id, 1);

    expect(await removal.removeSignatureByOrganiser(other.id, s.id, owner.id, 'wrong campaign')).toEqual({ ok: false });
    expect(await db.signature.count({ where: { id: s.id } })).toBe(1);

    expect(await removal.removeSignatureByOrganiser(campaign.id, s.id, owner.id, 'Asked by email to be removed')).toEqual({ ok: true });
    expect(await db.signature.count({ where: { id: s.id } })).toBe(0);
    expect(await campaignCount(campaign.id)).toBe(0);
    const log = await removal.removalLog(campaign.id);
    expect(log).toEqual([
      expect.objectContaining({ source: 'ORGANISER', removedBy: 'Aigerim Owner', reason: 'Asked by email to be removed', wasConfirmed: true }),
    ]);
    expect(await removal.removalLog(other.id)).toEqual([]);
  });
});

describe('retention', () => {
  it('purges old unconfirmed signatures, expired sessions and sign-in links, old IP hashes and old export logs, and nothing newer', async () => {
    const campaign = await createCampaign();
    const user = await createUser();
    const day = 86_400_000;
    const ago = (days: number) => new Date(Date.now() - days * day);

    const oldPending = await sign(campaign.slug);
    const freshPending = await sign(campaign.slug);
    const oldConfirmed = await signAndConfirm(campaign.slug);
    await db.signature.update({ where: { id: oldPending.id }, data: { confirmationRequestedAt: ago(31), createdAt: ago(31) } });
    // Confirmed long ago: kept, but its IP hash goes.
    await db.signature.update({ where: { id: oldConfirmed.id }, data: { createdAt: ago(91) } });

    const expiredSession = await db.session.create({ data: { idHash: randomBytes(8).toString('hex'), userId: user.id, expiresAt: ago(1) } });
    const liveSession = await db.session.create({ data: { idHash: randomBytes(8).toString('hex'), userId: user.id, expiresAt: new Date(Date.now() + day) } });
    const expiredToken = await db.loginToken.create({ data: { userId: user.id, tokenHash: randomBytes(8).toString('hex'), expiresAt: ago(1) } });
    const liveToken = await db.loginToken.create({ data: { userId: user.id, tokenHash: randomBytes(8).toString('hex'), expiresAt: new Date(Date.now() + 60_000) } });
    const oldExport = await db.exportLog.create({ data: { campaignId: campaign.id, userId: user.id, kind: 'signatures-csv', createdAt: ago(366) } });
    const newExport = await db.exportLog.create({ data: { campaignId: campaign.id, userId: user.id, kind: 'signatures-csv', createdAt: ago(10) } });

    const counts = await purgeExpiredData();
    expect(counts.unconfirmedSignatures).toBeGreaterThanOrEqual(1);
    expect(counts.ipHashes).toBeGreaterThanOrEqual(1);

    expect(await db.signature.findUnique({ where: { id: oldPending.id } })).toBeNull();
    expect(await db.signature.findUnique({ where: { id: freshPending.id } })).not.toBeNull();
    const confirmed = await db.signature.findUniqueOrThrow({ where: { id: oldConfirmed.id } });
    expect(confirmed.ipHash).toBeNull();
    expect(confirmed.status).toBe('CONFIRMED');
    expect((await db.signature.findUniqueOrThrow({ where: { id: freshPending.id } })).ipHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await db.session.findUnique({ where: { id: expiredSession.id } })).toBeNull();
    expect(await db.session.findUnique({ where: { id: liveSession.id } })).not.toBeNull();
    expect(await db.loginToken.findUnique({ where: { id: expiredToken.id } })).toBeNull();
    expect(await db.loginToken.findUnique({ where: { id: liveToken.id } })).not.toBeNull();
    expect(await db.exportLog.findUnique({ where: { id: oldExport.id } })).toBeNull();
    expect(await db.exportLog.findUnique({ where: { id: newExport.id } })).not.toBeNull();

    // A second run has nothing left of these to purge.
    expect(await purgeExpiredData()).toEqual({ unconfirmedSignatures: 0, sessions: 0, signInTokens: 0, ipHashes: 0, exportLogs: 0 });
  });

  it('runs as a scheduled maintenance job in the worker', async () => {
    const { queue, QUEUE } = await import('../../app/queues.server.ts');
    const schedulers = await queue(QUEUE.maintenance).getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toContain('purge-expired');
  });
});

describe('confirmation links expire', () => {
  it('an expired link confirms nothing; asking for a new one emails a new link, and the old one stays dead', async () => {
    const campaign = await createCampaign();
    const s = await sign(campaign.slug);
    const oldToken = confirmationToken(s.id);
    await smtp.waitFor((m) => m.envelopeTo.includes(s.email) && (m.text ?? '').includes(`/confirm/${oldToken}`));
    await db.signature.update({ where: { id: s.id }, data: { confirmationRequestedAt: new Date(Date.now() - 31 * 86_400_000) } });

    expect(await confirmSignature(oldToken)).toEqual({ ok: false, reason: 'expired' });
    expect((await db.signature.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('PENDING');

    expect(await requestNewConfirmationLink(oldToken)).toBe('sent');
    const newToken = confirmationLinkToken(s.id, 1);
    expect(newToken).not.toBe(oldToken);
    const mail = await smtp.waitFor((m) => m.envelopeTo.includes(s.email) && (m.text ?? '').includes(`/confirm/${newToken}`));
    expect(mail.text).toContain('/remove/');

    // The old link is unknown now; asking again at once is refused by the resend limit.
    expect(await confirmSignature(oldToken)).toEqual({ ok: false, reason: 'unknown' });
    expect(await requestNewConfirmationLink(newToken)).toBe('recently-sent');
    expect(await confirmSignature(newToken)).toMatchObject({ ok: true, alreadyConfirmed: false });
    expect(await requestNewConfirmationLink(newToken)).toBe('not-pending');
  });

  it('a link younger than CONFIRMATION_LINK_DAYS still confirms', async () => {
    const campaign = await createCampaign();
    const s = await sign(campaign.slug);
    await db.signature.update({ where: { id: s.id }, data: { confirmationRequestedAt: new Date(Date.now() - 29 * 86_400_000) } });
    expect(await confirmSignature(confirmationToken(s.id))).toMatchObject({ ok: true, alreadyConfirmed: false });
  });
});

describe('partner links can be revoked and re-issued', () => {
  it('kills the old link (page and CSV) and emails a working new one to the partner contact', async () => {
    const campaign = await createCampaign();
    const other = await createCampaign();
    const contactEmail = `office-${randomBytes(3).toString('hex')}@bureau.example`;
    const partner = await db.partner.create({
      data: { slug: `bureau-${randomBytes(3).toString('hex')}`, kind: 'ORGANISATION', name: 'Bureau', country: 'KZ', contactEmail },
    });
    const coSignature = await db.coSignature.create({
      data: { campaignId: campaign.id, partnerId: partner.id, status: 'APPROVED', verifiedAt: new Date(), verificationSentAt: new Date() },
    });
    const oldToken = partnerToken(coSignature.id, 0);
    expect(await findCoSignatureByToken(coSignature.id, oldToken)).not.toBeNull();

    // Only organisers of the co-signature's own campaign can re-issue it.
    expect(await reissuePartnerLink(other.id, coSignature.id)).toEqual({ ok: false });
    expect(await findCoSignatureByToken(coSignature.id, oldToken)).not.toBeNull();

    expect(await reissuePartnerLink(campaign.id, coSignature.id)).toEqual({ ok: true });
    expect(await findCoSignatureByToken(coSignature.id, oldToken)).toBeNull();
    expect(await exportPartnerSignatures(coSignature.id, oldToken)).toEqual({ ok: false, reason: 'unknown' });

    const mail = await smtp.waitFor((m) => m.envelopeTo.includes(contactEmail) && /new private link/.test(m.subject ?? ''));
    const match = mail.text?.match(/\/partners\/manage\/([A-Za-z0-9]+)\/([A-Za-z0-9_-]+)/);
    expect(match?.[1]).toBe(coSignature.id);
    const newToken = match![2];
    expect(newToken).not.toBe(oldToken);
    expect(await findCoSignatureByToken(coSignature.id, newToken)).not.toBeNull();
    expect((await exportPartnerSignatures(coSignature.id, newToken)).ok).toBe(true);
    await eventually(async () => (await db.coSignature.findUniqueOrThrow({ where: { id: coSignature.id } })).linkSentVersion === 1, {
      what: 'the new link to be recorded as sent',
    });

    // Re-issuing again kills the second link too; the reconciler owes nothing once it is sent.
    expect(await reissuePartnerLink(campaign.id, coSignature.id)).toEqual({ ok: true });
    expect(await findCoSignatureByToken(coSignature.id, newToken)).toBeNull();
    await smtp.waitFor((m) => m.envelopeTo.includes(contactEmail) && (m.text ?? '').includes(partnerToken(coSignature.id, 2)));
    await eventually(async () => (await db.coSignature.findUniqueOrThrow({ where: { id: coSignature.id } })).linkSentVersion === 2, {
      what: 'the third link to be recorded as sent',
    });
    expect((await reconcile(0)).partnerLinks).toBe(0);
    expect(smtp.messages.filter((m) => m.envelopeTo.includes(contactEmail))).toHaveLength(2);
  });
});
