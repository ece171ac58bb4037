import type { Prisma } from '../generated/prisma/client.ts';
import { BounceKind, BounceSource } from '../generated/prisma/enums.ts';
import { messageRef, type BounceRef } from '../utils/bounce-address.server.ts';
import { db } from '../utils/db.server.ts';
import { env } from '../utils/env.server.ts';
import { classifySmtpReply } from '../utils/bounce-report.server.ts';
import { enqueueAddresseePaused, enqueueOrDefer } from '../queues.server.ts';

// What Chorus learns when mail does not arrive: every bounce and complaint is recorded (soft ones
// too); a hard bounce or complaint from a signer's address puts it on the suppression list; hard
// failures to an addressee are counted, and at ADDRESSEE_HARD_BOUNCE_LIMIT the addressee is paused.

export { BounceKind, BounceSource };

export type BounceInput = {
  kind: BounceKind;
  source: BounceSource;
  /** The enhanced status code, e.g. "5.1.1". */
  status: string | null;
  /** The remote server's words (a DSN's Diagnostic-Code, an SMTP reply, an ARF Feedback-Type). */
  detail: string | null;
};

export type BounceOutcome =
  | { recorded: false; reason: 'unknown-message' | 'duplicate' }
  | { recorded: true; suppressed: boolean; pausedAddresseeId: string | null };

type Target = { signatureId?: string; emailNormalized?: string; addresseeId?: string; deliveryId?: string };

async function targetOf(tx: Prisma.TransactionClient, ref: BounceRef): Promise<Target | null> {
  switch (ref.kind) {
    case 'confirmation': {
      const s = await tx.signature.findUnique({ where: { id: ref.signatureId }, select: { id: true, emailNormalized: true } });
      return s && { signatureId: s.id, emailNormalized: s.emailNormalized };
    }
    case 'update': {
      const d = await tx.updateDelivery.findUnique({
        where: { id: ref.updateDeliveryId },
        select: { signature: { select: { id: true, emailNormalized: true } } },
      });
      return d && { signatureId: d.signature.id, emailNormalized: d.signature.emailNormalized };
    }
    case 'delivery': {
      const d = await tx.delivery.findUnique({ where: { id: ref.deliveryId }, select: { id: true, addresseeId: true } });
      return d && { deliveryId: d.id, addresseeId: d.addresseeId };
    }
    // Mail to organisers and partners: recorded, nothing more (they are people Chorus works with, not
    // a list; their addresses are fixed by hand).
    case 'signInLink':
      return (await tx.loginToken.findUnique({ where: { id: ref.loginTokenId }, select: { id: true } })) && {};
    case 'memberInvitation':
      return (await tx.campaignMember.findUnique({ where: { id: ref.memberId }, select: { id: true } })) && {};
    case 'partnerVerification':
    case 'partnerLink':
      return (await tx.coSignature.findUnique({ where: { id: ref.coSignatureId }, select: { id: true } })) && {};
    case 'pauseNotice':
      return (await tx.pauseNotice.findUnique({ where: { id: ref.pauseNoticeId }, select: { id: true } })) && {};
  }
}

export function describeBounce(input: Pick<BounceInput, 'status' | 'detail'>): string {
  return [input.status, input.detail].filter(Boolean).join(' ').slice(0, 500) || 'no details given';
}

/**
 * Records one bounce or complaint about one message, once (a report delivered twice counts once),
 * and acts on it in the same transaction. A message Chorus no longer knows (its signature was removed)
 * is not recorded: without the row there is no address to act on. When it pauses an addressee, the
 * notice to the campaign's owners and editors is queued after the commit (or by the reconciler).
 *
 * `occurrence` tells apart refusals of the same message at send time (a failed letter sent again
 * after its address was fixed is the same Delivery row): each one counts.
 */
export async function recordBounce(ref: BounceRef, input: BounceInput, occurrence?: string): Promise<BounceOutcome> {
  const outcome = await db.$transaction(async (tx): Promise<BounceOutcome> => {
    const target = await targetOf(tx, ref);
    if (!target) return { recorded: false, reason: 'unknown-message' };
    const detail = input.detail?.slice(0, 1000) ?? null;
    const { count } = await tx.bounceEvent.createMany({
      data: [
        {
          messageRef: occurrence ? `${messageRef(ref)}#${occurrence}` : messageRef(ref),
          kind: input.kind,
          source: input.source,
          status: input.status,
          detail,
          signatureId: target.signatureId ?? null,
          addresseeId: target.addresseeId ?? null,
          deliveryId: target.deliveryId ?? null,
        },
      ],
      skipDuplicates: true,
    });
    if (count === 0) return { recorded: false, reason: 'duplicate' };

    let suppressed = false;
    if (target.emailNormalized && input.kind !== BounceKind.SOFT) {
      await tx.suppressedAddress.createMany({
        data: [{ emailNormalized: target.emailNormalized, reason: input.kind, detail: describeBounce(input) }],
        skipDuplicates: true,
      });
      suppressed = true;
    }

    let pausedAddresseeId: string | null = null;
    if (target.deliveryId && input.source !== BounceSource.SMTP) {
      // The letter was accepted, then came back: say so in the delivery log.
      await tx.delivery.update({ where: { id: target.deliveryId }, data: { error: `Bounced (${input.kind.toLowerCase()}): ${describeBounce(input)}` } });
    }
    if (target.addresseeId && input.kind === BounceKind.HARD) {
      pausedAddresseeId = (await countAddresseeHardBounce(tx, target.addresseeId, describeBounce(input))) ? target.addresseeId : null;
    }
    return { recorded: true, suppressed, pausedAddresseeId };
  });
  if (outcome.recorded && outcome.pausedAddresseeId) {
    const addresseeId = outcome.pausedAddresseeId;
    const pause = await db.addressee.findUnique({ where: { id: addresseeId }, select: { pausedAt: true } });
    if (pause?.pausedAt) {
      const pausedAt = pause.pausedAt;
      await enqueueOrDefer(`notice of the pause of ${addresseeId}`, () => enqueueAddresseePaused(addresseeId, pausedAt));
    }
  }
  return outcome;
}

/**
 * A refusal the SMTP server gave while Chorus was sending (a 5xx reply): the same consequences as a
 * bounce report (a signer's address suppressed, an addressee's hard failure counted), classified
 * from the reply's enhanced status code or reply code.
 */
export function recordSendRefusal(ref: BounceRef, refusal: { responseCode?: number; message: string }): Promise<BounceOutcome> {
  const { kind, status } = classifySmtpReply(refusal.responseCode, refusal.message);
  return recordBounce(
    ref,
    { kind: kind === 'HARD' ? BounceKind.HARD : BounceKind.SOFT, source: BounceSource.SMTP, status, detail: refusal.message },
    `smtp-${Date.now()}`,
  );
}

/** Counts one hard failure; true when this one reached the limit and paused the addressee. */
async function countAddresseeHardBounce(tx: Prisma.TransactionClient, addresseeId: string, reason: string): Promise<boolean> {
  const [row] = await tx.$queryRaw<Array<{ paused: boolean; hardBounces: number }>>`
    SELECT paused, "hardBounces" FROM "Addressee" WHERE id = ${addresseeId} FOR UPDATE`;
  if (!row) return false;
  const hardBounces = row.hardBounces + 1;
  const pause = !row.paused && hardBounces >= env().ADDRESSEE_HARD_BOUNCE_LIMIT;
  await tx.addressee.update({
    where: { id: addresseeId },
    data: pause ? { hardBounces, paused: true, pauseReason: reason, pausedAt: new Date() } : { hardBounces },
  });
  return pause;
}

/** Why Chorus no longer writes to an address, or null when it does. Suppression is for every campaign. */
export function suppressionOf(emailNormalized: string) {
  return db.suppressedAddress.findUnique({ where: { emailNormalized }, select: { reason: true, detail: true, createdAt: true } });
}

/** The line recorded on a message that was not sent because its address is suppressed. */
export function suppressedNote(suppression: { reason: BounceKind; detail: string | null }): string {
  const why = suppression.reason === BounceKind.COMPLAINT ? 'a complaint (marked as spam)' : 'a hard bounce';
  return `Not sent: the address is suppressed after ${why}${suppression.detail ? ` (${suppression.detail})` : ''}`;
}
