import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { useTestSmtp } from '../setup/mail-and-workers.ts';
import { createCampaign, signer } from '../setup/factories.ts';

const smtp = await useTestSmtp();

const { db } = await import('../../app/utils/db.server.ts');
const { createProducerConnection } = await import('../../app/utils/redis.server.ts');
const { resetEnvCache } = await import('../../app/utils/env.server.ts');
const { closeQueues } = await import('../../app/queues.server.ts');
const signatures = await import('../../app/models/signature.server.ts');
const { flushSignatureCounts, recountSignatures } = await import('../../app/models/counter.server.ts');

describe('campaign state', () => {
  it('refuses unknown and closed campaigns without writing a row', async () => {
    await expect(signatures.createSignature('no-such-campaign', signer(), '192.0.2.1')).rejects.toBeInstanceOf(
      signatures.CampaignNotFoundError,
    );
    for (const status of ['CLOSED', 'WON', 'DRAFT', 'IN_REVIEW'] as const) {
      const campaign = await createCampaign({ status });
      // Drafts answer like unknown campaigns, so their slugs cannot be probed.
      const expected = status === 'CLOSED' || status === 'WON' ? signatures.CampaignClosedError : signatures.CampaignNotFoundError;
      await expect(signatures.createSignature(campaign.slug, signer(), '192.0.2.1')).rejects.toBeInstanceOf(expected);
      expect(await db.signature.count({ where: { campaignId: campaign.id } })).toBe(0);
    }
  });

  it('does not confirm a signature once its campaign has closed', async () => {
    const campaign = await createCampaign();
    const { signatureId } = await signatures.createSignature(campaign.slug, signer(), '192.0.2.2');
    await db.campaign.update({ where: { id: campaign.id }, data: { status: 'CLOSED' } });
    const { confirmationToken } = await import('../../app/utils/crypto.server.ts');
    expect(await signatures.confirmSignature(confirmationToken(signatureId!))).toEqual({ ok: false, reason: 'closed' });
    expect((await db.signature.findUniqueOrThrow({ where: { id: signatureId! } })).status).toBe('PENDING');
  });

  it('rejects an unknown confirmation token', async () => {
    expect(await signatures.confirmSignature('not-a-real-token')).toEqual({ ok: false, reason: 'unknown' });
  });
});

describe('rate limit per IP and campaign', () => {
  it('turns away the submission over the limit, and only from that address', async () => {
    process.env.SIGNATURE_RATE_LIMIT = '2';
    resetEnvCache();
    try {
      const campaign = await createCampaign();
      await signatures.createSignature(campaign.slug, signer(), '192.0.2.50');
      await signatures.createSignature(campaign.slug, signer(), '192.0.2.50');
      await expect(signatures.createSignature(campaign.slug, signer(), '192.0.2.50')).rejects.toBeInstanceOf(
        signatures.RateLimitedError,
      );
      await signatures.createSignature(campaign.slug, signer(), '192.0.2.51');
      expect(await db.signature.count({ where: { campaignId: campaign.id } })).toBe(3);
    } finally {
      delete process.env.SIGNATURE_RATE_LIMIT;
      resetEnvCache();
    }
  });
});

describe('Redis unavailable while signing', () => {
  it('keeps the signature, answers without queueing, and the reconciler sends the email once Redis is back', async () => {
    const g = globalThis as { chorusRedis?: Redis };
    const healthy = g.chorusRedis;
    // A real client pointed at a port where nothing listens: exactly what the web process sees in an outage.
    await closeQueues();
    g.chorusRedis = createProducerConnection('redis://127.0.0.1:1');
    const campaign = await createCampaign();
    const input = signer();
    let outcome;
    try {
      outcome = await signatures.createSignature(campaign.slug, input, '192.0.2.60');
    } finally {
      g.chorusRedis.disconnect();
      await closeQueues();
      g.chorusRedis = healthy;
    }
    expect(outcome).toMatchObject({ duplicate: false, queued: false });
    const row = await db.signature.findUniqueOrThrow({ where: { id: outcome.signatureId! } });
    expect(row.confirmationSentAt).toBeNull();

    // Redis is back: a worker and its reconciler pick up what the database says is owed.
    const { reconcile } = await import('../../workers/maintenance.worker.ts');
    const { startWorkers } = await import('../../workers/start.ts');
    const workers = await startWorkers();
    try {
      const owed = await reconcile(0);
      expect(owed.confirmations).toBeGreaterThanOrEqual(1);
      const mail = await smtp.waitFor((m) => m.envelopeTo.includes(input.email));
      expect(mail.subject).toContain('Please confirm your signature');
    } finally {
      await workers.close();
    }
  });
});

describe('counters', () => {
  it('adds confirmations in batches and a recount corrects drift', async () => {
    const campaign = await createCampaign();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await signatures.createSignature(campaign.slug, signer(), `192.0.2.${100 + i}`)).signatureId!);
    await db.signature.updateMany({ where: { id: { in: ids.slice(0, 3) } }, data: { status: 'CONFIRMED', confirmedAt: new Date() } });

    expect(await flushSignatureCounts()).toBeGreaterThanOrEqual(3);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).signatureCount).toBe(3);
    expect(await flushSignatureCounts()).toBe(0);

    await db.campaign.update({ where: { id: campaign.id }, data: { signatureCount: 999 } });
    expect(await recountSignatures()).toBeGreaterThanOrEqual(1);
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).signatureCount).toBe(3);
  });
});
