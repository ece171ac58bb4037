import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintMessage, dsnMessage } from '../setup/bounce-reports.ts';
import { confirmLinkFrom, type CapturedMail } from '../setup/smtp.ts';
import { useTestSmtp, useWorkers } from '../setup/mail-and-workers.ts';
import { addMember, createCampaign, createUser, signer } from '../setup/factories.ts';
import { queueIdle } from '../setup/jobs.ts';
import { eventually } from '../setup/wait.ts';

// Bounces and complaints end to end, over real SMTP exchanges both ways: the workers send through an
// SMTP relay in this process (which accepts everything, as a relay does); the test then plays the
// remote mail servers, returning a DSN for each letter to the dead addressee and an ARF complaint
// about an update, over SMTP to the bounce listener (`npm run bounces`, started here in-process), at
// the envelope sender each message went out with. PostgreSQL and Redis are real.
process.env.BOUNCE_DOMAIN = 'bounces.chorus.example.org';
process.env.ADDRESSEE_HARD_BOUNCE_LIMIT = '2';
const smtp = await useTestSmtp();

const { db } = await import('../../app/utils/db.server.ts');
const { bounceAddress } = await import('../../app/utils/bounce-address.server.ts');
const { createSignature, confirmSignature } = await import('../../app/models/signature.server.ts');
const { createUpdateDraft, startSendingUpdate } = await import('../../app/models/update.server.ts');
const { startBounceListener } = await import('../../workers/bounce-listener.ts');
const { QUEUE, queue } = await import('../../app/queues.server.ts');

useWorkers();

let listener: Awaited<ReturnType<typeof startBounceListener>>;
beforeAll(async () => {
  listener = await startBounceListener({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await listener.close();
});

/** A remote mail server returning a report to the address a message came from: MAIL FROM:<> as RFC 5321 wants. */
async function returnToSender(to: string, raw: string) {
  const remote = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, tls: { rejectUnauthorized: false } });
  try {
    const info = await remote.sendMail({ envelope: { from: '', to: [to] }, raw });
    expect(info.accepted).toEqual([to]);
  } finally {
    remote.close();
  }
}

let ip = 0;
/** Signs through the model, then confirms with the link from the confirmation email the relay received. */
async function signAndConfirm(slug: string) {
  const input = signer({ wantsUpdates: true });
  ip += 1;
  const { signatureId } = await createSignature(slug, input, `198.51.100.${ip}`);
  const confirmation = await smtp.waitFor((m) => m.envelopeTo.includes(input.email));
  expect(confirmation.envelopeFrom).toBe(bounceAddress({ kind: 'confirmation', signatureId: signatureId! }));
  const token = confirmLinkFrom(confirmation).split('/').pop()!;
  expect(await confirmSignature(token)).toMatchObject({ ok: true });
  return { id: signatureId!, email: input.email };
}

async function sendUpdate(campaignId: string, authorId: string, title: string) {
  const draft = await createUpdateDraft(campaignId, authorId, { title, body: `${title}. Thank you for standing with Marat.` });
  expect(await startSendingUpdate(campaignId, draft.id)).toMatchObject({ ok: true });
  return eventually(async () => {
    const u = await db.update.findUniqueOrThrow({ where: { id: draft.id } });
    return u.status === 'SENT' ? u : null;
  }, { what: `the update "${title}" to finish` });
}

const updateMailTo = (email: string, title: string) => smtp.to(email).filter((m) => m.subject?.includes(title));

describe('bounces and complaints over real SMTP', () => {
  it('a dead addressee is paused after its letters bounce, its owners are told, and a complaint about an update suppresses the signer for the next one', async () => {
    const campaign = await createCampaign({ addressees: [{ name: 'Ministry of Justice', email: 'minister@justice.example.kz' }] });
    const [ministry] = campaign.addressees;
    const owner = await createUser({ name: 'Aigerim' });
    const editor = await createUser({ name: 'Danaya' });
    await addMember(campaign.id, owner.id, 'OWNER');
    await addMember(campaign.id, editor.id, 'EDITOR');

    // Two signers confirm; each signature becomes a letter the relay accepts.
    const aliya = await signAndConfirm(campaign.slug);
    const bolat = await signAndConfirm(campaign.slug);
    const letters = await eventually(async () => {
      const got = smtp.to(ministry.email);
      return got.length === 2 ? got : null;
    }, { what: 'both letters to reach the relay' });

    // The ministry's server does not know the mailbox: a DSN comes back for each letter, to its envelope sender.
    for (const letter of letters) {
      const delivery = await db.delivery.findFirstOrThrow({ where: { messageId: letter.messageId } });
      expect(letter.envelopeFrom).toBe(bounceAddress({ kind: 'delivery', deliveryId: delivery.id }));
      await returnToSender(
        letter.envelopeFrom,
        dsnMessage({ to: letter.envelopeFrom, recipient: ministry.email, status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 <minister@justice.example.kz>: User unknown' }),
      );
    }

    const paused = await db.addressee.findUniqueOrThrow({ where: { id: ministry.id } });
    expect(paused).toMatchObject({ paused: true, hardBounces: 2, pauseReason: '5.1.1 550 5.1.1 <minister@justice.example.kz>: User unknown' });
    expect(await db.delivery.findMany({ where: { addresseeId: ministry.id }, select: { status: true, error: true } })).toEqual([
      { status: 'SENT', error: 'Bounced (hard): 5.1.1 550 5.1.1 <minister@justice.example.kz>: User unknown' },
      { status: 'SENT', error: 'Bounced (hard): 5.1.1 550 5.1.1 <minister@justice.example.kz>: User unknown' },
    ]);

    // The owner and the editor are told, each once, from the notice's own bounce address.
    const isNotice = (m: CapturedMail) => m.subject === 'Letters to Ministry of Justice are paused: their address does not work';
    const toOwner = await smtp.waitFor((m) => m.envelopeTo.includes(owner.email) && isNotice(m));
    const toEditor = await smtp.waitFor((m) => m.envelopeTo.includes(editor.email) && isNotice(m));
    for (const notice of [toOwner, toEditor]) {
      expect(notice.envelopeFrom).toMatch(/^bounces\+n\.[a-z0-9]+\.[a-z2-7]{16}@bounces\.chorus\.example\.org$/);
      expect(notice.text).toContain('2 letters to minister@justice.example.kz could not be delivered');
      expect(notice.text).toContain('User unknown');
    }

    // A new signature no longer tries the dead address.
    const chingiz = await signAndConfirm(campaign.slug);

    // The first update reaches all three; Aliya's mail provider reports her "this is spam" click.
    const first = await sendUpdate(campaign.id, owner.id, 'The hearing is on Monday');
    expect(first).toMatchObject({ sentCount: 3, recipientCount: 3 });
    const [toAliya] = updateMailTo(aliya.email, 'The hearing is on Monday');
    const delivery = await db.updateDelivery.findFirstOrThrow({ where: { updateId: first.id, signatureId: aliya.id } });
    expect(toAliya.envelopeFrom).toBe(bounceAddress({ kind: 'update', updateDeliveryId: delivery.id }));
    const feedbackLoop = 'bounces@bounces.chorus.example.org';
    await returnToSender(feedbackLoop, complaintMessage({ to: feedbackLoop, originalMailFrom: toAliya.envelopeFrom, recipient: aliya.email }));
    expect(await db.suppressedAddress.findUnique({ where: { emailNormalized: aliya.email } })).toMatchObject({ reason: 'COMPLAINT' });

    // The next update skips her, and only her.
    const second = await sendUpdate(campaign.id, owner.id, 'The verdict is expected on Friday');
    expect(second).toMatchObject({ sentCount: 2, recipientCount: 2 });
    expect(updateMailTo(aliya.email, 'The verdict')).toHaveLength(0);
    expect(updateMailTo(bolat.email, 'The verdict')).toHaveLength(1);
    expect(updateMailTo(chingiz.email, 'The verdict')).toHaveLength(1);
    expect(await db.updateDelivery.findFirstOrThrow({ where: { updateId: second.id, signatureId: aliya.id } })).toMatchObject({
      sentAt: null,
      error: 'Not sent: the address is suppressed after a complaint (marked as spam) (feedback-type abuse)',
    });

    // Nothing more reached the dead address, and each organiser has exactly one notice of the pause.
    await queueIdle(queue(QUEUE.deliveries));
    await queueIdle(queue(QUEUE.emails));
    expect(smtp.to(ministry.email)).toHaveLength(2);
    expect(await db.deliveryItem.count({ where: { addresseeId: ministry.id, signatureId: chingiz.id } })).toBe(0);
    expect(smtp.to(owner.email).filter(isNotice)).toHaveLength(1);
    expect(smtp.to(editor.email).filter(isNotice)).toHaveLength(1);
  });
});
