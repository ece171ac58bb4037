import type { Job } from 'bullmq';
import { JOB, enqueueConfirmation, enqueueDigest, enqueueLetter, enqueueSignInLink } from '../app/queues.server.ts';
import { enqueueMemberInvited } from '../app/queues.server.ts';
import { owedMemberInvitations } from '../app/models/campaign-admin.server.ts';
import { enqueuePartnerVerification } from '../app/queues.server.ts';
import { owedPartnerVerifications } from '../app/models/reconcile.server.ts';
import { enqueueUpdateFanOut } from '../app/queues.server.ts';
import { stalledUpdates } from '../app/models/reconcile.server.ts';
import { finishDrainedUpdate } from '../app/models/update-delivery.server.ts';
import { env } from '../app/utils/env.server.ts';
import { flushSignatureCounts, recountSignatures } from '../app/models/counter.server.ts';
import { dueDigests, owedConfirmations, owedLetters, owedSignInLinks } from '../app/models/reconcile.server.ts';

export async function processMaintenanceJob(job: Job): Promise<string> {
  switch (job.name) {
    case JOB.reconcile:
      return JSON.stringify(await reconcile());
    case JOB.flushCounts:
      return `${await flushSignatureCounts()} counted`;
    case JOB.recount:
      return `${await recountSignatures()} counters corrected`;
    default:
      throw new Error(`Unknown job ${job.name} on the maintenance queue`);
  }
}

/**
 * Turns what the database says is owed back into jobs. Job ids are deterministic, so work that is
 * already queued is not queued twice; work lost with Redis is queued again.
 */
export async function reconcile(olderThanSeconds = env().RECONCILE_GRACE_SECONDS) {
  const updates = await stalledUpdates();
  // An update nobody is owed any more is finished; otherwise its (idempotent) fan-out runs again.
  for (const u of updates) if (!(await finishDrainedUpdate(u.id))) await enqueueUpdateFanOut(u.id);
  const confirmations = await owedConfirmations(olderThanSeconds);
  for (const s of confirmations) await enqueueConfirmation(s.id, s.confirmationRequestedAt);
  const letters = await owedLetters(olderThanSeconds);
  for (const l of letters) await enqueueLetter(l.addresseeId, l.signatureId, { replaceFinished: true });
  const digests = await dueDigests();
  for (const d of digests) await enqueueDigest(d.id, d.lastDigestAt ?? new Date(0), { replaceFinished: true });
  const signInLinks = await owedSignInLinks(olderThanSeconds);
  for (const t of signInLinks) await enqueueSignInLink(t.id);
  const memberInvitations = await owedMemberInvitations(olderThanSeconds);
  for (const m of memberInvitations) await enqueueMemberInvited(m.id);
  const partnerVerifications = await owedPartnerVerifications(olderThanSeconds);
  for (const p of partnerVerifications) await enqueuePartnerVerification(p.id, p.createdAt);
  return { confirmations: confirmations.length, letters: letters.length, digests: digests.length, signInLinks: signInLinks.length, memberInvitations: memberInvitations.length, partnerVerifications: partnerVerifications.length, stalledUpdates: updates.length };
}
