import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dsnMessage } from '../setup/bounce-reports.ts';
import { jobCompleted, queueIdle } from '../setup/jobs.ts';
import { useTestSmtp, useWorkers } from '../setup/mail-and-workers.ts';
import { addMember, createCampaign, createUser, signer } from '../setup/factories.ts';
import { eventually } from '../setup/wait.ts';

// What Chorus does with what it learns about failing addresses, with real PostgreSQL, Redis, SMTP
// and the workers in this process: suppressed signers get no confirmation or update; refusals at
// send time (5xx) and bounce reports count toward the same automatic pause of an addressee; each
// automatic pause is told once to each owner and editor; the Deliveries tab's models say why.
process.env.BOUNCE_DOMAIN = 'bounces.chorus.example.org';
process.env.ADDRESSEE_HARD_BOUNCE_LIMIT = '3';
const smtp = await useTestSmtp();

const { db } = await import('../../app/utils/db.server.ts');
const { confirmationToken } = await import('../../app/utils/crypto.server.ts');
const { createSignature, confirmSignature } = await import('../../app/models/signature.server.ts');
const { createUpdateDraft, startSendingUpdate } = await import('../../app/models/update.server.ts');
const { resumeAddressee, pauseAddressee } = await import('../../app/models/addressee.server.ts');
const { deliveryLog } = await import('../../app/models/delivery-log.server.ts');
const { campaignNumbers } = await import('../../app/models/campaign-numbers.server.ts');
const { campaignSuppressions } = await import('../../app/models/suppression.server.ts');
const { owedConfirmations } = await import('../../app/models/reconcile.server.ts');
const { QUEUE, addJob, jobs, queue } = await import('../../app/queues.server.ts');
const { startBounceListener } = await import('../../workers/bounce-listener.ts');

useWorkers();

let listener: Awaited<ReturnType<typeof startBounceListener>>;
beforeAll(async () => {
  listener = await startBounceListener({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await listener.close();
});

let ip = 0;
async function sign(slug: string, overrides: Parameters<typeof signer>[0] = {}) {
  const input = signer(overrides);
  ip += 1;
  const { signatureId } = await createSignature(slug, input, `192.0.2.${ip}`);
  return { id: signatureId!, email: input.email };
}

async function signAndConfirm(slug: string, overrides: Parameters<typeof signer>[0] = {}) {
  const s = await sign(slug, overrides);
  expect(await confirmSignature(confirmationToken(s.id))).toMatchObject({ ok: true });
  return s;
}

const suppress = (email: string, reason: 'HARD' | 'COMPLAINT') =>
  db.suppressedAddress.create({ data: { emailNormalized: email.toLowerCase(), reason, detail: reason === 'HARD' ? '5.1.1 user unknown' : 'feedback-type abuse' } });

const addresseeState = (id: string) =>
  db.addressee.findUniqueOrThrow({ where: { id }, select: { paused: true, hardBounces: true, pauseReason: true, pausedAt: true, pauseNoticeSentAt: true } });

/** Sends a DSN about an accepted message to the bounce listener, as the receiving server would. */
async function bounceBack(envelopeFrom: string, recipient: string) {
  const remote = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, tls: { rejectUnauthorized: false } });
  try {
    await remote.sendMail({
      envelope: { from: '', to: [envelopeFrom] },
      raw: dsnMessage({ to: envelopeFrom, recipient, status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 mailbox does not exist' }),
    });
  } finally {
    remote.close();
  }
}

describe('the suppression list', () => {
  it('a suppressed signer gets no confirmation: recorded as suppressed, not retried, not offered again by the reconciler', async () => {
    const campaign = await createCampaign({ addressees: [] });
    const email = `gone-${Date.now()}@example.net`;
    await suppress(email, 'HARD');
    const s = await sign(campaign.slug, { email });

    const row = await eventually(async () => {
      const r = await db.signature.findUniqueOrThrow({ where: { id: s.id }, select: { confirmationFailedAt: true, confirmationSentAt: true, confirmationError: true } });
      return r.confirmationFailedAt ? r : null;
    }, { what: 'the confirmation to be recorded as not sent' });
    expect(row.confirmationSentAt).toBeNull();
    expect(row.confirmationError).toBe('Not sent: the address is suppressed after a hard bounce (5.1.1 user unknown)');
    const job = await eventually(
      async () => (await queue(QUEUE.signatures).getJobs(['completed', 'failed'])).find((j) => j.data.signatureId === s.id) ?? null,
      { what: 'the confirmation job to finish' },
    );
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toBe('suppressed');
    expect(job.attemptsMade).toBe(1);
    expect((await owedConfirmations(0)).map((o) => o.id)).not.toContain(s.id);
    expect(smtp.to(email)).toHaveLength(0);

    // A signer whose address is not suppressed gets theirs as usual.
    const other = await sign(campaign.slug);
    await smtp.waitFor((m) => m.envelopeTo.includes(other.email));
  });

  it('an update skips suppressed signers (hard bounce or complaint) and finishes with the others', async () => {
    const campaign = await createCampaign({ addressees: [] });
    const author = await createUser();
    const fine = await signAndConfirm(campaign.slug, { wantsUpdates: true });
    const bounced = await signAndConfirm(campaign.slug, { wantsUpdates: true });
    const complained = await signAndConfirm(campaign.slug, { wantsUpdates: true });
    await suppress(bounced.email, 'HARD');
    await suppress(complained.email, 'COMPLAINT');

    const draft = await createUpdateDraft(campaign.id, author.id, { title: 'The hearing moved', body: 'It is on **Monday** now.' });
    expect(await startSendingUpdate(campaign.id, draft.id)).toMatchObject({ ok: true });
    const update = await eventually(async () => {
      const u = await db.update.findUniqueOrThrow({ where: { id: draft.id } });
      return u.status === 'SENT' ? u : null;
    }, { what: 'the update to finish' });

    expect(update).toMatchObject({ sentCount: 1, recipientCount: 1 });
    await smtp.waitFor((m) => m.envelopeTo.includes(fine.email));
    expect(smtp.to(bounced.email).filter((m) => m.subject?.includes('hearing'))).toHaveLength(0);
    expect(smtp.to(complained.email).filter((m) => m.subject?.includes('hearing'))).toHaveLength(0);
    const rows = await db.updateDelivery.findMany({ where: { updateId: draft.id }, select: { signatureId: true, sentAt: true, error: true } });
    expect(rows.find((r) => r.signatureId === bounced.id)).toMatchObject({ sentAt: null, error: expect.stringContaining('after a hard bounce') });
    expect(rows.find((r) => r.signatureId === complained.id)).toMatchObject({ sentAt: null, error: expect.stringContaining('after a complaint') });

    // The Deliveries tab: counts for everyone, names for editors, addresses for owners only.
    expect(await campaignSuppressions(campaign.id, { names: false, addresses: false })).toEqual({ hardBounces: 1, complaints: 1, recent: [] });
    const forOwners = await campaignSuppressions(campaign.id, { names: true, addresses: true });
    expect(forOwners.recent.map((r) => [r.signatureId, r.reason, r.email]).sort()).toEqual(
      [
        [bounced.id, 'HARD', bounced.email],
        [complained.id, 'COMPLAINT', complained.email],
      ].sort(),
    );
    const forEditors = await campaignSuppressions(campaign.id, { names: true, addresses: false });
    expect(forEditors.recent.every((r) => r.email === null && r.fullName.length > 0)).toBe(true);
  });

  it('a signer address refused with a hard 5xx while sending the confirmation is suppressed for the next update', async () => {
    const campaign = await createCampaign({ addressees: [] });
    const author = await createUser();
    const s = await sign(campaign.slug, { wantsUpdates: true });
    smtp.refuse({ to: s.email, code: 550, message: '5.1.1 <x>: Recipient address rejected: User unknown' });
    await eventually(async () => (await db.suppressedAddress.findUnique({ where: { emailNormalized: s.email } })) ?? null, {
      what: 'the refused address to be suppressed',
    });
    expect(await db.bounceEvent.findFirst({ where: { signatureId: s.id }, select: { kind: true, source: true, status: true } })).toEqual({
      kind: 'HARD',
      source: 'SMTP',
      status: '5.1.1',
    });
    smtp.clearRefusals();

    // The signer confirmed anyway (a link passed on, say): the update is not sent to the dead address.
    expect(await confirmSignature(confirmationToken(s.id))).toMatchObject({ ok: true });
    const draft = await createUpdateDraft(campaign.id, author.id, { title: 'News', body: 'News.' });
    await startSendingUpdate(campaign.id, draft.id);
    const row = await eventually(async () => db.updateDelivery.findFirst({ where: { updateId: draft.id, error: { not: null } } }), {
      what: 'the update row to be recorded as suppressed',
    });
    expect(row.error).toContain('suppressed');
    expect(smtp.to(s.email)).toHaveLength(0);
  });

  it('a policy refusal (5.7.1, a spam filter) is recorded as soft and suppresses nobody', async () => {
    const campaign = await createCampaign({ addressees: [] });
    const s = await sign(campaign.slug);
    smtp.refuse({ to: s.email, code: 554, message: '5.7.1 Message rejected due to content' });
    const event = await eventually(async () => db.bounceEvent.findFirst({ where: { signatureId: s.id } }), { what: 'the refusal to be recorded' });
    smtp.clearRefusals();
    expect(event).toMatchObject({ kind: 'SOFT', source: 'SMTP', status: '5.7.1' });
    expect(await db.suppressedAddress.findUnique({ where: { emailNormalized: s.email } })).toBeNull();
  });
});

describe('an addressee whose address keeps failing', () => {
  it('is paused after 5xx refusals and a DSN together reach the limit; owners and editors are told once per pause', async () => {
    const campaign = await createCampaign({ addressees: [{ email: `dead-${Date.now()}@ministry.example.org` }] });
    const [office] = campaign.addressees;
    const owner = await createUser({ name: 'Aigerim' });
    const editor = await createUser({ name: 'Danaya' });
    const viewer = await createUser();
    await addMember(campaign.id, owner.id, 'OWNER');
    await addMember(campaign.id, editor.id, 'EDITOR');
    await addMember(campaign.id, viewer.id, 'VIEWER');
    const noticesTo = (email: string) => smtp.to(email).filter((m) => m.subject?.startsWith(`Letters to ${office.name} are paused`));

    // Two letters refused at send time ("550 5.1.1").
    smtp.refuse({ to: office.email, code: 550, message: '5.1.1 <dead>: Recipient address rejected: User unknown' });
    await signAndConfirm(campaign.slug);
    await signAndConfirm(campaign.slug);
    await eventually(async () => ((await addresseeState(office.id)).hardBounces === 2 ? true : null), { what: 'two hard refusals to be counted' });
    expect((await addresseeState(office.id)).paused).toBe(false);
    expect(await db.delivery.count({ where: { addresseeId: office.id, status: 'FAILED' } })).toBe(2);

    // The relay takes the third letter, and a DSN comes back later: the same count.
    smtp.clearRefusals();
    await signAndConfirm(campaign.slug);
    const letter = await smtp.waitFor((m) => m.envelopeTo.includes(office.email));
    expect(letter.envelopeFrom).toMatch(/^bounces\+d\./);
    await bounceBack(letter.envelopeFrom, office.email);

    const paused = await addresseeState(office.id);
    expect(paused).toMatchObject({ paused: true, hardBounces: 3, pauseReason: '5.1.1 550 5.1.1 mailbox does not exist', pausedAt: expect.any(Date) });

    // One notice to the owner and one to the editor, none to the viewer.
    const toOwner = await smtp.waitFor((m) => m.envelopeTo.includes(owner.email) && m.subject?.includes('are paused') === true);
    await smtp.waitFor((m) => m.envelopeTo.includes(editor.email) && m.subject?.includes('are paused') === true);
    expect(toOwner.text).toContain('5.1.1 550 5.1.1 mailbox does not exist');
    expect(toOwner.text).toContain(`/dashboard/c/${campaign.id}/deliveries`);
    expect(toOwner.envelopeFrom).toMatch(/^bounces\+n\./);
    await eventually(async () => ((await addresseeState(office.id)).pauseNoticeSentAt ? true : null), { what: 'the notices to be queued' });
    await queueIdle(queue(QUEUE.emails));

    // More failures while paused, the reconciler, a repeated job: nobody is told twice about one pause.
    const later = await signAndConfirm(campaign.slug);
    const { reconcile } = await import('../../workers/maintenance.worker.ts');
    await reconcile(0);
    const again = await addJob(jobs.addresseePaused, { addresseeId: office.id }, { jobId: `again_${Date.now()}` });
    await jobCompleted(again);
    await queueIdle(queue(QUEUE.emails));
    expect(noticesTo(owner.email)).toHaveLength(1);
    expect(noticesTo(editor.email)).toHaveLength(1);
    expect(noticesTo(viewer.email)).toHaveLength(0);
    expect(await db.deliveryItem.count({ where: { addresseeId: office.id, signatureId: later.id } })).toBe(0);

    // The Deliveries tab's models say why.
    const log = await deliveryLog(campaign.id, office.id);
    expect(log?.addressee).toMatchObject({ paused: true, hardBounces: 3, pauseReason: '5.1.1 550 5.1.1 mailbox does not exist' });
    expect((await campaignNumbers(campaign.id)).addressees[0]).toMatchObject({ paused: true, pauseReason: expect.stringContaining('5.1.1') });

    // Resuming starts the count again; three more hard failures are a new pause, told once more.
    expect(await resumeAddressee(campaign.id, office.id)).toBe(true);
    expect(await addresseeState(office.id)).toMatchObject({ paused: false, hardBounces: 0, pauseReason: null, pausedAt: null });
    smtp.refuse({ to: office.email, code: 550, message: '5.1.1 User unknown' });
    await signAndConfirm(campaign.slug);
    await signAndConfirm(campaign.slug);
    await signAndConfirm(campaign.slug);
    await eventually(async () => ((await addresseeState(office.id)).paused ? true : null), { what: 'the second automatic pause' });
    await eventually(async () => (noticesTo(owner.email).length === 2 && noticesTo(editor.email).length === 2 ? true : null), {
      what: 'a notice of the second pause',
    });
    smtp.clearRefusals();
  });

  it('a pause by hand has no reason, sends no notice, and is not replaced by an automatic one', async () => {
    const campaign = await createCampaign();
    const [office] = campaign.addressees;
    const owner = await createUser();
    await addMember(campaign.id, owner.id, 'OWNER');
    expect(await pauseAddressee(campaign.id, office.id)).toBe(true);
    expect(await addresseeState(office.id)).toMatchObject({ paused: true, pauseReason: null, pausedAt: expect.any(Date) });

    const delivery = await db.delivery.create({ data: { addresseeId: office.id, kind: 'LETTER', status: 'SENT', sentAt: new Date() } });
    const { bounceAddress } = await import('../../app/utils/bounce-address.server.ts');
    for (let i = 0; i < 3; i += 1) {
      const other = await db.delivery.create({ data: { addresseeId: office.id, kind: 'LETTER', status: 'SENT', sentAt: new Date() } });
      await bounceBack(bounceAddress({ kind: 'delivery', deliveryId: other.id })!, office.email);
    }
    await bounceBack(bounceAddress({ kind: 'delivery', deliveryId: delivery.id })!, office.email);
    expect(await addresseeState(office.id)).toMatchObject({ paused: true, hardBounces: 4, pauseReason: null });
    const { reconcile } = await import('../../workers/maintenance.worker.ts');
    await reconcile(0);
    await queueIdle(queue(QUEUE.emails));
    expect(smtp.to(owner.email)).toHaveLength(0);
  });
});
