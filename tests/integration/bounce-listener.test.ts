import nodemailer, { type Transporter } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintMessage, dsnMessage } from '../setup/bounce-reports.ts';
import { createCampaign, signer } from '../setup/factories.ts';

// The bounce listener over a real SMTP exchange: nodemailer plays the remote mail server that sends
// a DSN or complaint back to the envelope sender; PostgreSQL is real.
process.env.BOUNCE_DOMAIN = 'bounces.chorus.example.org';
process.env.ADDRESSEE_HARD_BOUNCE_LIMIT = '3';

const { db } = await import('../../app/utils/db.server.ts');
const { bounceAddress } = await import('../../app/utils/bounce-address.server.ts');
const { createSignature } = await import('../../app/models/signature.server.ts');
const { startBounceListener } = await import('../../workers/bounce-listener.ts');

let listener: Awaited<ReturnType<typeof startBounceListener>>;
let remote: Transporter;

beforeAll(async () => {
  listener = await startBounceListener({ host: '127.0.0.1', port: 0 });
  // The listener offers STARTTLS with a self-signed certificate, as most MX hosts' peers accept.
  remote = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, tls: { rejectUnauthorized: false } });
});

afterAll(async () => {
  remote.close();
  await listener.close();
});

/** Sends a raw report the way a mail server returns one: from the null sender <>. */
function sendReport(to: string, raw: string) {
  return remote.sendMail({ envelope: { from: '', to: [to] }, raw });
}

let ip = 0;
async function newSignature(slug: string) {
  const input = signer();
  ip += 1;
  const { signatureId } = await createSignature(slug, input, `203.0.113.${ip}`);
  return { id: signatureId!, email: input.email };
}

const suppression = (email: string) => db.suppressedAddress.findUnique({ where: { emailNormalized: email.toLowerCase() } });

describe('the bounce listener', () => {
  it('takes a hard DSN for a confirmation and suppresses the signer, once however often it is delivered', async () => {
    const campaign = await createCampaign();
    const gone = await newSignature(campaign.slug);
    const returnPath = bounceAddress({ kind: 'confirmation', signatureId: gone.id })!;
    const report = dsnMessage({ to: returnPath, recipient: gone.email, status: '5.1.1' });

    const info = await sendReport(returnPath, report);
    expect(info.accepted).toEqual([returnPath]);
    expect(await suppression(gone.email)).toMatchObject({ reason: 'HARD', detail: expect.stringContaining('5.1.1') });

    // The remote server retried (our 250 got lost): still one event.
    await sendReport(returnPath, report);
    expect(await db.bounceEvent.count({ where: { signatureId: gone.id } })).toBe(1);
  });

  it('records a soft bounce (4.x.x) without suppressing the address', async () => {
    const campaign = await createCampaign();
    const full = await newSignature(campaign.slug);
    const returnPath = bounceAddress({ kind: 'confirmation', signatureId: full.id })!;

    await sendReport(returnPath, dsnMessage({ to: returnPath, recipient: full.email, action: 'delayed', status: '4.2.2', diagnostic: 'smtp; 452 4.2.2 Mailbox full' }));
    expect(await db.bounceEvent.findMany({ where: { signatureId: full.id }, select: { kind: true, source: true, status: true } })).toEqual([
      { kind: 'SOFT', source: 'DSN', status: '4.2.2' },
    ]);
    expect(await suppression(full.email)).toBeNull();
  });

  it('takes a complaint sent to the plain bounce address and suppresses the signer who complained', async () => {
    const campaign = await createCampaign();
    const annoyed = await newSignature(campaign.slug);
    const update = await db.update.create({ data: { campaignId: campaign.id, title: 'News', body: 'News', status: 'SENT' } });
    const delivery = await db.updateDelivery.create({ data: { updateId: update.id, signatureId: annoyed.id, sentAt: new Date() } });
    const originalMailFrom = bounceAddress({ kind: 'update', updateDeliveryId: delivery.id })!;

    await sendReport('bounces@bounces.chorus.example.org', complaintMessage({ to: 'bounces@bounces.chorus.example.org', originalMailFrom, recipient: annoyed.email }));
    expect(await suppression(annoyed.email)).toMatchObject({ reason: 'COMPLAINT' });
    expect(await db.bounceEvent.findFirst({ where: { signatureId: annoyed.id }, select: { kind: true, source: true } })).toEqual({ kind: 'COMPLAINT', source: 'ARF' });
  });

  it('refuses mail for any other address, and for a forged or altered token, at RCPT TO', async () => {
    const campaign = await createCampaign();
    const victim = await newSignature(campaign.slug);
    const real = bounceAddress({ kind: 'confirmation', signatureId: victim.id })!;
    const [local, domain] = real.split('@');
    const forged = `${local.slice(0, -4)}aaaa@${domain}`;

    for (const to of [forged, `postmaster@${domain}`, `bounces@elsewhere.example.org`]) {
      await expect(sendReport(to, dsnMessage({ to, recipient: victim.email }))).rejects.toMatchObject({ responseCode: 550 });
    }
    expect(await suppression(victim.email)).toBeNull();
    expect(await db.bounceEvent.count({ where: { signatureId: victim.id } })).toBe(0);
  });

  it('pauses an addressee at the third hard bounce, with the reason, and counts each letter once', async () => {
    const campaign = await createCampaign();
    const addressee = campaign.addressees[0];
    const deliveries = await Promise.all(
      [1, 2, 3].map(() => db.delivery.create({ data: { addresseeId: addressee.id, kind: 'LETTER', status: 'SENT', sentAt: new Date() } })),
    );
    const bounce = (deliveryId: string) => {
      const returnPath = bounceAddress({ kind: 'delivery', deliveryId })!;
      return sendReport(returnPath, dsnMessage({ to: returnPath, recipient: addressee.email, status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 mailbox does not exist' }));
    };

    await bounce(deliveries[0].id);
    await bounce(deliveries[0].id); // the same report again
    await bounce(deliveries[1].id);
    expect(await db.addressee.findUniqueOrThrow({ where: { id: addressee.id }, select: { paused: true, hardBounces: true } })).toEqual({ paused: false, hardBounces: 2 });

    await bounce(deliveries[2].id);
    const paused = await db.addressee.findUniqueOrThrow({ where: { id: addressee.id }, select: { paused: true, hardBounces: true, pauseReason: true, pausedAt: true } });
    expect(paused).toMatchObject({ paused: true, hardBounces: 3, pauseReason: '5.1.1 550 5.1.1 mailbox does not exist', pausedAt: expect.any(Date) });
    // The delivery log says the accepted letter came back.
    expect(await db.delivery.findUniqueOrThrow({ where: { id: deliveries[2].id }, select: { status: true, error: true } })).toEqual({
      status: 'SENT',
      error: 'Bounced (hard): 5.1.1 550 5.1.1 mailbox does not exist',
    });
  });

  it('accepts a report about a message Chorus no longer knows, and records nothing', async () => {
    const returnPath = bounceAddress({ kind: 'confirmation', signatureId: '00000000-0000-4000-8000-000000000000' })!;
    const info = await sendReport(returnPath, dsnMessage({ to: returnPath, recipient: 'removed@example.net' }));
    expect(info.accepted).toEqual([returnPath]);
    expect(await db.bounceEvent.count({ where: { messageRef: 'c.00000000-0000-4000-8000-000000000000' } })).toBe(0);
  });
});
