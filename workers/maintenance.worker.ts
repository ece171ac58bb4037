import {
  enqueueConfirmation,
  enqueueDigest,
  enqueueLetter,
  enqueueMemberInvited,
  enqueuePartnerVerification,
  enqueueSignInLink,
  enqueueUpdateFanOut,
} from '../app/queues.server.ts';
import { flushSignatureCounts, recountSignatures } from '../app/models/counter.server.ts';
import {
  dueDigests,
  owedConfirmations,
  owedLetters,
  owedMemberInvitations,
  owedPartnerVerifications,
  owedSignInLinks,
  stalledUpdates,
} from '../app/models/reconcile.server.ts';
import { finishDrainedUpdate } from '../app/models/update-delivery.server.ts';
import { env } from '../app/utils/env.server.ts';
import type { QueueHandlers } from './processor.ts';
import { purgeExpiredData } from '../app/models/retention.server.ts';
import { owedPartnerLinks } from '../app/models/partner-link.server.ts';
import { enqueueAddresseePaused, enqueuePartnerNewLink, enqueuePauseNotice } from '../app/queues.server.ts';
import { owedPauseNotices, unsentPauseNotices } from '../app/models/pause-notice.server.ts';

export const maintenanceHandlers: QueueHandlers<'maintenance'> = {
  reconcile: async () => JSON.stringify(await reconcile()),
  flushCounts: async () => `${await flushSignatureCounts()} counted`,
  recount: async () => `${await recountSignatures()} counters corrected`,
  purgeExpired: async () => JSON.stringify(await purgeExpiredData()),
};

/**
 * Turns what the database says is owed back into jobs. Job ids are deterministic, so work that is
 * already queued is not queued twice; work lost with Redis is queued again. Each kind of work is a
 * step of its own: one failing step is reported without holding up the others.
 * Owed work whose job already finished (its retries ran out while PostgreSQL was down, say) is
 * queued again: the send protocol then records an acceptance noted earlier instead of sending twice.
 */
export async function reconcile(olderThanSeconds = env().RECONCILE_GRACE_SECONDS) {
  const again = { replaceFinished: true };
  const steps: Array<[string, () => Promise<number>]> = [
    ['stalledUpdates', async () => {
      const updates = await stalledUpdates();
      // An update nobody is owed any more is finished; otherwise its (idempotent) fan-out runs again.
      for (const u of updates) if (!(await finishDrainedUpdate(u.id))) await enqueueUpdateFanOut(u.id);
      return updates.length;
    }],
    ['confirmations', async () => {
      const rows = await owedConfirmations(olderThanSeconds);
      for (const s of rows) await enqueueConfirmation(s.id, s.confirmationRequestedAt, again);
      return rows.length;
    }],
    ['letters', async () => {
      const rows = await owedLetters(olderThanSeconds);
      for (const l of rows) await enqueueLetter(l.addresseeId, l.signatureId, again);
      return rows.length;
    }],
    ['digests', async () => {
      const rows = await dueDigests();
      for (const d of rows) await enqueueDigest(d.id, d.lastDigestAt ?? new Date(0), again);
      return rows.length;
    }],
    ['signInLinks', async () => {
      const rows = await owedSignInLinks(olderThanSeconds);
      for (const t of rows) await enqueueSignInLink(t.id, again);
      return rows.length;
    }],
    ['memberInvitations', async () => {
      const rows = await owedMemberInvitations(olderThanSeconds);
      for (const m of rows) await enqueueMemberInvited(m.id, again);
      return rows.length;
    }],
    ['pauseNotices', async () => {
      const rows = await owedPauseNotices(olderThanSeconds);
      for (const a of rows) await enqueueAddresseePaused(a.id, a.pausedAt, again);
      const unsent = await unsentPauseNotices(olderThanSeconds);
      for (const n of unsent) await enqueuePauseNotice(n.id, again);
      return rows.length + unsent.length;
    }],
    ['partnerLinks', async () => {
      const rows = await owedPartnerLinks(olderThanSeconds);
      for (const p of rows) await enqueuePartnerNewLink(p.id, p.linkVersion);
      return rows.length;
    }],
    ['partnerVerifications', async () => {
      const rows = await owedPartnerVerifications(olderThanSeconds);
      for (const p of rows) {
        const repeat = p.verificationRequestedAt.getTime() > p.createdAt.getTime();
        await enqueuePartnerVerification(p.id, p.verificationRequestedAt, { ...again, repeat });
      }
      return rows.length;
    }],
  ];
  const counts: Record<string, number> = {};
  const failures: string[] = [];
  for (const [name, step] of steps) {
    try {
      counts[name] = await step();
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message}`);
    }
  }
  // The job fails (and shows in BullMQ) when any step did, after every step has had its turn.
  if (failures.length) throw new Error(`reconcile: ${failures.join('; ')}`);
  return counts as { stalledUpdates: number; confirmations: number; letters: number; digests: number; signInLinks: number; memberInvitations: number; partnerLinks: number; partnerVerifications: number };
}
