import { describe, expect, it } from 'vitest';
import { confirmLinkFrom, type CapturedMail } from '../setup/smtp.ts';
import { useTestSmtp, useWorkers } from '../setup/mail-and-workers.ts';
import { createCampaign, signer } from '../setup/factories.ts';
import { eventually } from '../setup/wait.ts';
import { queueIdle } from '../setup/jobs.ts';

// Real PostgreSQL, Redis and SMTP: the workers run in this process against all three.
const smtp = await useTestSmtp();

const { db } = await import('../../app/utils/db.server.ts');
const { createSignature, confirmSignature } = await import('../../app/models/signature.server.ts');
const { QUEUE, addJob, jobs, queue } = await import('../../app/queues.server.ts');

useWorkers();

const tokenOf = (mail: CapturedMail) => confirmLinkFrom(mail).split('/confirm/')[1];

describe('sign → confirm → count → letters and digest', () => {
  it('delivers the whole path through real services', async () => {
    const campaign = await createCampaign({
      addressees: [
        { deliveryMode: 'PER_SIGNATURE', name: 'President' },
        { deliveryMode: 'DIGEST', name: 'Ministry of Interior', digestIntervalMinutes: 60 },
      ],
    });
    const [president, ministry] = campaign.addressees;
    const input = signer({ showName: true });

    const outcome = await createSignature(campaign.slug, input, '203.0.113.5');
    expect(outcome).toMatchObject({ duplicate: false, queued: true });

    const confirmation = await smtp.waitFor((m) => m.envelopeTo.includes(input.email));
    expect(confirmation.subject).toBe(`Please confirm your signature: ${campaign.title}`);
    expect(confirmation.text).toContain('Dear Нұрғали Ақжігітов');
    expect(confirmation.html).toContain('Нұрғали Ақжігітов');

    const row = await eventually(async () => {
      const r = await db.signature.findUniqueOrThrow({ where: { id: outcome.signatureId! } });
      return r.confirmationSentAt ? r : null;
    }, { what: 'the confirmation to be recorded as sent' });
    expect(row.status).toBe('PENDING');
    // Only hashes are stored: neither the token nor the IP address appears in the row.
    expect(JSON.stringify(row)).not.toContain(tokenOf(confirmation));
    expect(JSON.stringify(row)).not.toContain('203.0.113.5');

    const confirmed = await confirmSignature(tokenOf(confirmation));
    expect(confirmed).toMatchObject({ ok: true, alreadyConfirmed: false });
    const again = await confirmSignature(tokenOf(confirmation));
    expect(again).toMatchObject({ ok: true, alreadyConfirmed: true });

    await eventually(async () => (await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).signatureCount === 1, {
      what: 'the count to reach 1',
    });

    const letter = await smtp.waitFor((m) => m.envelopeTo.includes(president.email));
    expect(letter.text).toContain('Нұрғали Ақжігітов, Өскемен has signed');
    expect(letter.text).toContain('1. Drop the charges.');
    expect(letter.text).not.toContain(input.email);
    expect(letter.messageId).toMatch(/^<letter-/);

    const digest = await smtp.waitFor((m) => m.envelopeTo.includes(ministry.email));
    expect(digest.subject).toContain('1 new signature');
    expect(digest.attachments).toHaveLength(1);
    const csv = digest.attachments[0].content.toString('utf8');
    expect(csv).toContain('Нұрғали Ақжігітов,Өскемен,Kazakhstan');
    expect(csv).not.toContain(input.email);

    const receipts = await eventually(async () => {
      const rows = await db.addressee.findMany({ where: { campaignId: campaign.id }, orderBy: { position: 'asc' } });
      return rows.every((r) => r.lettersSent === 1) ? rows : null;
    }, { what: 'both receipts' });
    expect(receipts.map((r) => r.signaturesDelivered)).toEqual([1, 1]);
    const deliveries = await db.delivery.findMany({ where: { addressee: { campaignId: campaign.id } } });
    expect(deliveries.every((d) => d.status === 'SENT' && d.messageId && d.sentAt)).toBe(true);
  });
});

describe('duplicates', () => {
  it('keeps one signature per normalised email and re-sends the confirmation at most once per 10 minutes', async () => {
    const campaign = await createCampaign();
    const first = await createSignature(campaign.slug, signer({ email: 'Aida.Nur+one@gmail.com' }), '198.51.100.1');
    const firstMail = await smtp.waitFor((m) => m.envelopeTo.includes('Aida.Nur+one@gmail.com'));

    const repeat = await createSignature(campaign.slug, signer({ email: 'aidanur@GMAIL.com' }), '198.51.100.1');
    expect(repeat).toMatchObject({ duplicate: true, queued: false });
    expect(await db.signature.count({ where: { campaignId: campaign.id } })).toBe(1);

    // Ten minutes later, a repeat submission re-sends the same link to the first address.
    await db.$executeRaw`UPDATE "Signature" SET "confirmationRequestedAt" = now() - interval '11 minutes' WHERE id = ${first.signatureId}`;
    const later = await createSignature(campaign.slug, signer({ email: 'aidanur@gmail.com' }), '198.51.100.1');
    expect(later).toMatchObject({ duplicate: true, queued: true });
    const resent = await eventually(async () => {
      const mails = smtp.to('Aida.Nur+one@gmail.com');
      return mails.length === 2 ? mails[1] : null;
    }, { what: 'a second confirmation' });
    expect(confirmLinkFrom(resent)).toBe(confirmLinkFrom(firstMail));
  });
});

describe('SMTP failures', () => {
  it('retries a temporary (4xx) refusal with backoff until the letter is accepted', async () => {
    const campaign = await createCampaign();
    const [office] = campaign.addressees;
    smtp.refuse({ to: office.email, code: 451, message: 'Try again later', times: 2 });
    const input = signer();
    await createSignature(campaign.slug, input, '192.0.2.10');
    await confirmSignature(tokenOf(await smtp.waitFor((m) => m.envelopeTo.includes(input.email))));

    await smtp.waitFor((m) => m.envelopeTo.includes(office.email));
    const delivery = await eventually(() => db.delivery.findFirst({ where: { addresseeId: office.id, status: 'SENT' } }), {
      what: 'the delivery to be marked sent',
    });
    expect(delivery.attempts).toBe(2);
    expect(delivery.error).toBeNull();
    expect(smtp.to(office.email)).toHaveLength(1);
  });

  it('records a permanent (5xx) refusal as failed and does not retry it', async () => {
    const campaign = await createCampaign();
    const [office] = campaign.addressees;
    smtp.refuse({ to: office.email, code: 550, message: 'Mailbox unavailable' });
    const input = signer();
    await createSignature(campaign.slug, input, '192.0.2.11');
    await confirmSignature(tokenOf(await smtp.waitFor((m) => m.envelopeTo.includes(input.email))));

    const failed = await eventually(() => db.delivery.findFirst({ where: { addresseeId: office.id, status: 'FAILED' } }), {
      what: 'the delivery to be marked failed',
    });
    expect(failed.error).toMatch(/550/);
    expect(failed.attempts).toBe(1);
    // The row is written inside the job; BullMQ records the job as failed only after it returns.
    const jobId = `letter_${office.id}_${(await db.deliveryItem.findFirstOrThrow({ where: { deliveryId: failed.id } })).signatureId}`;
    const job = await eventually(
      async () => {
        const j = await queue(QUEUE.deliveries).getJob(jobId);
        // Read again once failed: the copy read before may predate the attempt's count.
        return (await j?.getState()) === 'failed' && (await queue(QUEUE.deliveries).getJob(jobId));
      },
      { what: 'the letter job to be failed' },
    );
    expect(job.attemptsMade).toBe(1);
    const addressee = await db.addressee.findUniqueOrThrow({ where: { id: office.id } });
    expect(addressee.lettersSent).toBe(0);
  });
});

describe('idempotency', () => {
  it('sends each (addressee, signature) letter once even when its job runs several times', async () => {
    const campaign = await createCampaign();
    const [office] = campaign.addressees;
    const input = signer();
    const { signatureId } = await createSignature(campaign.slug, input, '192.0.2.20');
    await confirmSignature(tokenOf(await smtp.waitFor((m) => m.envelopeTo.includes(input.email))));
    await smtp.waitFor((m) => m.envelopeTo.includes(office.email));

    // The same work under other job ids, at once: the database's unique key decides.
    const copies = await Promise.all(
      ['dup_a', 'dup_b', 'dup_c'].map((jobId) => addJob(jobs.letter, { addresseeId: office.id, signatureId: signatureId! }, { jobId })),
    );
    await eventually(async () => {
      const states = await Promise.all(copies.map((j) => j.getState()));
      return states.every((s) => s === 'completed');
    }, { what: 'the duplicate jobs to finish' });
    const { reconcile } = await import('../../workers/maintenance.worker.ts');
    const owed = await reconcile(0);
    expect(owed.letters).toBe(0);
    await queueIdle(queue(QUEUE.deliveries));
    expect(smtp.to(office.email)).toHaveLength(1);
    expect(await db.deliveryItem.count({ where: { addresseeId: office.id, signatureId: signatureId! } })).toBe(1);
  });
});
