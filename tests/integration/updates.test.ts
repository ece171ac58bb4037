import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { header } from '../setup/smtp.ts';
import { useTestSmtp, useWorkers } from '../setup/mail-and-workers.ts';
import { createCampaign, signer } from '../setup/factories.ts';
import { GiveUp, eventually } from '../setup/wait.ts';

// Updates to signers through real PostgreSQL, Redis and SMTP, with the workers in this process.
const smtp = await useTestSmtp();

const { db } = await import('../../app/utils/db.server.ts');
const { confirmationToken } = await import('../../app/utils/crypto.server.ts');
const { createSignature, confirmSignature } = await import('../../app/models/signature.server.ts');
const updates = await import('../../app/models/update.server.ts');
const { QUEUE, addJob, jobs, queue, enqueueUpdateEmail } = await import('../../app/queues.server.ts');

let authorId: string;

useWorkers();

beforeAll(async () => {
  authorId = (await db.user.create({ data: { email: `editor-${randomBytes(4).toString('hex')}@example.org`, name: 'Aigerim' } })).id;
});

let ipCounter = 0;
type Signer = { id: string; email: string };

async function addSigner(slug: string, options: { wantsUpdates: boolean; confirm: boolean; unsubscribe?: boolean }): Promise<Signer> {
  const input = signer({ wantsUpdates: options.wantsUpdates });
  ipCounter += 1;
  const outcome = await createSignature(slug, input, `198.51.100.${ipCounter}`);
  const id = outcome.signatureId!;
  if (options.confirm) expect(await confirmSignature(confirmationToken(id))).toMatchObject({ ok: true });
  if (options.unsubscribe) expect(await updates.unsubscribe(id, updates.unsubscribeToken(id))).not.toBeNull();
  return { id, email: input.email };
}

/** Update emails carry a Message-ID made from the update and signature ids. */
const updateMails = (updateId: string) => smtp.messages.filter((m) => m.messageId?.startsWith(`<update-${updateId}-`));

async function waitForJob(jobId: string) {
  return eventually(async () => {
    const job = await queue(QUEUE.updates).getJob(jobId);
    if (!job) return null;
    const state = await job.getState();
    if (state === 'failed') throw new GiveUp(`job ${jobId} failed: ${job.failedReason}`);
    return state === 'completed' ? ((await queue(QUEUE.updates).getJob(jobId))!.returnvalue as string) : null;
  }, { what: `job ${jobId}` });
}

const waitForSent = (updateId: string) =>
  eventually(async () => {
    const u = await db.update.findUniqueOrThrow({ where: { id: updateId } });
    return u.status === 'SENT' ? u : null;
  }, { what: `update ${updateId} to be SENT` });

const BODY = [
  'The court hearing is on **12 December**.',
  '',
  '<script>alert(1)</script>',
  '',
  '- Come to the court',
  '- [Read the verdict](https://example.org/verdict)',
].join('\n');

describe('sending an update', () => {
  it('reaches exactly the confirmed, opted-in, not-unsubscribed signers, once, with unsubscribe headers and link', async () => {
    const campaign = await createCampaign();
    const a = await addSigner(campaign.slug, { wantsUpdates: true, confirm: true });
    const b = await addSigner(campaign.slug, { wantsUpdates: true, confirm: true });
    const pending = await addSigner(campaign.slug, { wantsUpdates: true, confirm: false });
    const notOptedIn = await addSigner(campaign.slug, { wantsUpdates: false, confirm: true });
    const unsubscribed = await addSigner(campaign.slug, { wantsUpdates: true, confirm: true, unsubscribe: true });
    expect(await updates.countUpdateRecipients(campaign.id)).toBe(2);

    const { id: updateId } = await updates.createUpdateDraft(campaign.id, authorId, { title: 'Hearing date set', body: BODY });
    // A double click: two requests at once, one send.
    const results = await Promise.all([updates.startSendingUpdate(campaign.id, updateId), updates.startSendingUpdate(campaign.id, updateId)]);
    expect(results.filter((r) => r.ok)).toEqual([{ ok: true, recipientCount: 2 }]);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'not-draft', status: expect.stringMatching(/SENDING|SENT/) }]);

    const done = await waitForSent(updateId);
    expect(done).toMatchObject({ recipientCount: 2, sentCount: 2 });
    expect(done.sentAt).toBeInstanceOf(Date);

    const mails = updateMails(updateId);
    expect(mails.flatMap((m) => m.envelopeTo).sort()).toEqual([a.email, b.email].sort());
    for (const excluded of [pending, notOptedIn, unsubscribed]) expect(updateMails(updateId).some((m) => m.envelopeTo.includes(excluded.email))).toBe(false);

    for (const who of [a, b]) {
      const mail = mails.find((m) => m.envelopeTo.includes(who.email))!;
      const link = `http://localhost:3000/u/${who.id}/${updates.unsubscribeToken(who.id)}`;
      expect(mail.subject).toBe(`Hearing date set — ${campaign.title}`);
      expect(header(mail, 'List-Unsubscribe')).toBe(`<${link}>`);
      expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(header(mail, 'List-Id')).toBe(`"${campaign.title}: updates" <${campaign.slug}.updates.localhost>`);
      expect(header(mail, 'Feedback-ID')).toBe(`${updateId}:${campaign.slug}:update:chorus`);
      expect(header(mail, 'Auto-Submitted')).toBe('auto-generated');
      // Plain-text part: the body as text, the reason and the unsubscribe link.
      expect(mail.text).toContain('The court hearing is on 12 December.');
      expect(mail.text).toContain('Read the verdict');
      expect(mail.text).toContain(`you signed "${campaign.title}" and asked for updates`);
      expect(mail.text).toContain(link);
      expect(mail.text).not.toContain('<script');
      // HTML part: sanitised Markdown and a visible unsubscribe link.
      expect(mail.html).toContain('<strong>12 December</strong>');
      expect(mail.html).toContain('href="https://example.org/verdict"');
      expect(mail.html).not.toContain('<script');
      expect(mail.html).toContain(`<a href="${link}"`);
      expect(mail.html).toContain('Unsubscribe from updates about this campaign</a>');
    }

    const deliveries = await db.updateDelivery.findMany({ where: { updateId } });
    expect(deliveries).toHaveLength(2);
    expect(deliveries.every((d) => d.sentAt && d.messageId?.startsWith(`<update-${updateId}-`) && !d.error)).toBe(true);

    // Sent updates are published and can no longer be changed or deleted.
    const published = await updates.listPublishedUpdates(campaign.id);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ id: updateId, title: 'Hearing date set' });
    expect(published[0].html).toContain('<strong>12 December</strong>');
    expect(published[0].html).not.toContain('<script');
    expect(await updates.editUpdateDraft(campaign.id, updateId, { title: 'Changed', body: 'x' })).toBe(false);
    expect(await updates.deleteUpdateDraft(campaign.id, updateId)).toBe(false);
    const [progress] = await updates.updateProgress(campaign.id);
    expect(progress).toMatchObject({ status: 'SENT', recipientCount: 2, sentCount: 2, failedCount: 0 });

    // Running the fan-out again (a different job id) and repeating an email job send nothing twice.
    await db.update.update({ where: { id: updateId }, data: { status: 'SENDING' } });
    await addJob(jobs.updateFanOut, { updateId }, { jobId: `again_${updateId}` });
    expect(await waitForJob(`again_${updateId}`)).toBe('nothing owed; marked sent');
    await addJob(jobs.updateEmail, { updateId, signatureId: a.id }, { jobId: `again_${updateId}_${a.id}` });
    expect(await waitForJob(`again_${updateId}_${a.id}`)).toBe('already done');
    expect(updateMails(updateId)).toHaveLength(2);
    expect(await db.update.findUniqueOrThrow({ where: { id: updateId } })).toMatchObject({ status: 'SENT', sentCount: 2, recipientCount: 2 });
  });

  it('two fan-outs of one update at once still send one email per signer', async () => {
    const campaign = await createCampaign();
    const signers = await Promise.all([1, 2, 3, 4].map(() => addSigner(campaign.slug, { wantsUpdates: true, confirm: true })));
    const { id: updateId } = await updates.createUpdateDraft(campaign.id, authorId, { title: 'Twice', body: 'Once only.' });
    expect(await updates.startSendingUpdate(campaign.id, updateId)).toEqual({ ok: true, recipientCount: 4 });
    await addJob(jobs.updateFanOut, { updateId }, { jobId: `second_${updateId}` });

    await waitForSent(updateId);
    await waitForJob(`second_${updateId}`);
    const mails = updateMails(updateId);
    expect(mails.flatMap((m) => m.envelopeTo).sort()).toEqual(signers.map((s) => s.email).sort());
    expect(await db.update.findUniqueOrThrow({ where: { id: updateId } })).toMatchObject({ sentCount: 4, recipientCount: 4 });
  });

  it('records a permanent refusal without retrying, and the update still finishes', async () => {
    const campaign = await createCampaign();
    const ok = await addSigner(campaign.slug, { wantsUpdates: true, confirm: true });
    const refused = await addSigner(campaign.slug, { wantsUpdates: true, confirm: true });
    smtp.refuse({ to: refused.email, code: 550, message: 'Mailbox unavailable' });
    try {
      const { id: updateId } = await updates.createUpdateDraft(campaign.id, authorId, { title: 'Refused', body: 'Hello.' });
      expect(await updates.startSendingUpdate(campaign.id, updateId)).toEqual({ ok: true, recipientCount: 2 });

      const done = await waitForSent(updateId);
      expect(done).toMatchObject({ sentCount: 1, recipientCount: 1 });
      expect(updateMails(updateId).flatMap((m) => m.envelopeTo)).toEqual([ok.email]);
      const failed = await db.updateDelivery.findUniqueOrThrow({ where: { updateId_signatureId: { updateId, signatureId: refused.id } } });
      expect(failed.sentAt).toBeNull();
      expect(failed.error).toContain('550');
      const job = await queue(QUEUE.updates).getJob(`update_${updateId}_${refused.id}`);
      expect(await job!.getState()).toBe('failed');
      expect(job!.attemptsMade).toBe(1);
      const [progress] = await updates.updateProgress(campaign.id);
      expect(progress).toMatchObject({ status: 'SENT', sentCount: 1, recipientCount: 1, failedCount: 1, unsubscribedCount: 0 });
    } finally {
      smtp.clearRefusals();
    }
  });

  it('skips a signer who unsubscribed after the send began', async () => {
    const campaign = await createCampaign();
    const who = await addSigner(campaign.slug, { wantsUpdates: true, confirm: true });
    const { id: updateId } = await updates.createUpdateDraft(campaign.id, authorId, { title: 'Too late', body: 'Hello.' });
    // The state a minute after startSendingUpdate, before its email job ran; then the signer unsubscribes.
    await db.$executeRaw`UPDATE "Signature" SET "confirmedAt" = (now() AT TIME ZONE 'UTC') - interval '20 minutes' WHERE id = ${who.id}`;
    await db.$executeRaw`
      UPDATE "Update" SET status = 'SENDING', "recipientCount" = 1, "sendStartedAt" = (now() AT TIME ZONE 'UTC') - interval '1 minute'
      WHERE id = ${updateId}`;
    expect(await updates.unsubscribe(who.id, updates.unsubscribeToken(who.id))).toMatchObject({ alreadyUnsubscribed: false });

    await enqueueUpdateEmail(updateId, who.id);
    expect(await waitForJob(`update_${updateId}_${who.id}`)).toBe('unsubscribed');
    expect(await db.update.findUniqueOrThrow({ where: { id: updateId } })).toMatchObject({ status: 'SENT', sentCount: 0, recipientCount: 0 });
    expect(updateMails(updateId)).toHaveLength(0);
    const [progress] = await updates.updateProgress(campaign.id);
    expect(progress).toMatchObject({ unsubscribedCount: 1, failedCount: 0 });
  });

  it('the reconciler fans out an update whose fan-out job was lost', async () => {
    const campaign = await createCampaign();
    const who = await addSigner(campaign.slug, { wantsUpdates: true, confirm: true });
    const { id: updateId } = await updates.createUpdateDraft(campaign.id, authorId, { title: 'Lost job', body: 'Hello.' });
    // Committed as SENDING ten minutes ago, but Redis never got the fan-out job.
    await db.$executeRaw`UPDATE "Signature" SET "confirmedAt" = (now() AT TIME ZONE 'UTC') - interval '20 minutes' WHERE id = ${who.id}`;
    await db.$executeRaw`
      UPDATE "Update" SET status = 'SENDING', "recipientCount" = 1, "sendStartedAt" = (now() AT TIME ZONE 'UTC') - interval '10 minutes'
      WHERE id = ${updateId}`;

    // The scheduled reconcile job (every second in tests) picks it up.
    const mail = await smtp.waitFor((m) => m.messageId?.startsWith(`<update-${updateId}-`) ?? false);
    expect(mail.envelopeTo).toEqual([who.email]);
    expect(await waitForSent(updateId)).toMatchObject({ sentCount: 1, recipientCount: 1 });
  });

  it('an update with no recipients is published at once without any email', async () => {
    const campaign = await createCampaign();
    await addSigner(campaign.slug, { wantsUpdates: false, confirm: true });
    const { id: updateId } = await updates.createUpdateDraft(campaign.id, authorId, { title: 'Nobody', body: 'Hello.' });
    expect(await updates.startSendingUpdate(campaign.id, updateId)).toEqual({ ok: true, recipientCount: 0 });
    expect(await db.update.findUniqueOrThrow({ where: { id: updateId } })).toMatchObject({ status: 'SENT', recipientCount: 0, sentCount: 0 });
    expect((await updates.listPublishedUpdates(campaign.id)).map((u) => u.id)).toEqual([updateId]);
  });
});

describe('drafts', () => {
  it('can be edited and deleted only within their campaign, and only as drafts', async () => {
    const campaign = await createCampaign();
    const other = await createCampaign();
    const { id } = await updates.createUpdateDraft(campaign.id, authorId, { title: 'Draft', body: 'First' });
    expect(await updates.editUpdateDraft(other.id, id, { title: 'Hijack', body: 'x' })).toBe(false);
    expect(await updates.editUpdateDraft(campaign.id, id, { title: 'Draft 2', body: 'Second' })).toBe(true);
    expect(await updates.getUpdateDraft(campaign.id, id)).toMatchObject({ title: 'Draft 2', body: 'Second' });
    expect(await updates.getUpdateDraft(other.id, id)).toBeNull();
    expect(await updates.startSendingUpdate(other.id, id)).toEqual({ ok: false, reason: 'not-found' });
    expect(await updates.listPublishedUpdates(campaign.id)).toEqual([]);
    expect(await updates.deleteUpdateDraft(other.id, id)).toBe(false);
    expect(await updates.deleteUpdateDraft(campaign.id, id)).toBe(true);
    expect(await db.update.count({ where: { id } })).toBe(0);
  });

  it('preview renders sanitised Markdown', () => {
    const preview = updates.previewUpdate({ title: 'T', body: BODY });
    expect(preview.html).toContain('<strong>12 December</strong>');
    expect(preview.html).not.toContain('<script');
  });
});

describe('unsubscribe', () => {
  it('needs the right token, stores only the time, and is idempotent', async () => {
    const campaign = await createCampaign();
    const who = await addSigner(campaign.slug, { wantsUpdates: true, confirm: true });
    const token = updates.unsubscribeToken(who.id);
    const other = await addSigner(campaign.slug, { wantsUpdates: true, confirm: true });

    expect(await updates.unsubscribe(who.id, updates.unsubscribeToken(other.id))).toBeNull();
    expect(await updates.unsubscribe(who.id, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBeNull();
    expect(await updates.unsubscribe(who.id, '')).toBeNull();
    expect(await updates.findUnsubscribe('no-such-signature', updates.unsubscribeToken('no-such-signature'))).toBeNull();
    expect(await updates.findUnsubscribe(who.id, token)).toEqual({ campaign: { title: campaign.title, slug: campaign.slug }, unsubscribed: false });

    const before = await db.signature.findUniqueOrThrow({ where: { id: who.id } });
    expect(await updates.unsubscribe(who.id, token)).toEqual({
      campaign: { title: campaign.title, slug: campaign.slug },
      alreadyUnsubscribed: false,
    });
    const after = await db.signature.findUniqueOrThrow({ where: { id: who.id } });
    expect(after.unsubscribedAt).toBeInstanceOf(Date);
    // countedAt belongs to the counter, which may fold this signature in at any moment.
    expect({ ...after, unsubscribedAt: null, countedAt: null }).toEqual({ ...before, countedAt: null });

    expect(await updates.unsubscribe(who.id, token)).toMatchObject({ alreadyUnsubscribed: true });
    expect((await db.signature.findUniqueOrThrow({ where: { id: who.id } })).unsubscribedAt).toEqual(after.unsubscribedAt);
    expect(await updates.countUpdateRecipients(campaign.id)).toBe(1);
    expect((await db.signature.findUniqueOrThrow({ where: { id: other.id } })).unsubscribedAt).toBeNull();
  });
});
