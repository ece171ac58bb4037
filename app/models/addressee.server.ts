import { db } from '../utils/db.server.ts';
import { CAMPAIGN_LIMITS, type AddresseeInput } from '../validation/campaign.ts';
import { CampaignAdminError, lockCampaign, notFound } from './campaign-guard.server.ts';
import type { Prisma } from '../generated/prisma/client.ts';

// Who a campaign writes to: adding, editing and removing addressees, and pausing their deliveries.

const MAX_ADDRESSEES = CAMPAIGN_LIMITS.maxAddressees;

/** An addressee's settings: what organisers edit and the worker follows. */
export const addresseeSettings = {
  id: true,
  name: true,
  role: true,
  email: true,
  deliveryMode: true,
  digestIntervalMinutes: true,
  lettersPerHour: true,
} as const;

/** What has gone out to an addressee so far, and whether its deliveries are paused. */
export const addresseeProgress = {
  paused: true,
  lettersSent: true,
  signaturesDelivered: true,
  lastDeliveredAt: true,
} as const;

/** The order organisers gave their addressees (ties: oldest first). */
export const addresseeOrder = (): Prisma.AddresseeOrderByWithRelationInput[] => [{ position: 'asc' }, { createdAt: 'asc' }];

export function listAddressees(campaignId: string) {
  return db.addressee.findMany({
    where: { campaignId },
    orderBy: addresseeOrder(),
    select: { ...addresseeSettings, lettersSent: true, signaturesDelivered: true },
  });
}

function addresseeData(input: AddresseeInput) {
  return {
    name: input.name,
    role: input.role,
    email: input.email,
    deliveryMode: input.deliveryMode,
    digestIntervalMinutes: input.digestIntervalMinutes,
    lettersPerHour: input.lettersPerHour,
  };
}

export async function addAddressee(campaignId: string, input: AddresseeInput) {
  return db.$transaction(async (tx) => {
    await lockCampaign(tx, campaignId);
    const { _max, _count } = await tx.addressee.aggregate({ where: { campaignId }, _max: { position: true }, _count: true });
    if (_count >= MAX_ADDRESSEES) throw new CampaignAdminError(`A campaign can have at most ${MAX_ADDRESSEES} addressees.`, 409);
    return tx.addressee.create({
      data: { campaignId, position: (_max.position ?? -1) + 1, ...addresseeData(input) },
      select: { id: true, name: true },
    });
  });
}

/** A new address starts with a clean record: hard failures of the old one no longer count toward a pause. */
export async function updateAddressee(campaignId: string, addresseeId: string, input: AddresseeInput) {
  await db.$transaction(async (tx) => {
    const [current] = await tx.$queryRaw<Array<{ email: string }>>`
      SELECT email FROM "Addressee" WHERE id = ${addresseeId} AND "campaignId" = ${campaignId} FOR UPDATE`;
    if (!current) throw notFound('addressee');
    const data = addresseeData(input);
    await tx.addressee.update({ where: { id: addresseeId }, data: current.email === data.email ? data : { ...data, hardBounces: 0 } });
  });
}

/** Once letters went out, the addressee's public delivery record must stay: refuse to remove it. */
export async function removeAddressee(campaignId: string, addresseeId: string) {
  await db.$transaction(async (tx) => {
    await lockCampaign(tx, campaignId);
    const addressee = await tx.addressee.findFirst({
      where: { id: addresseeId, campaignId },
      select: { id: true, name: true, _count: { select: { deliveries: true } } },
    });
    if (!addressee) throw notFound('addressee');
    if (addressee._count.deliveries > 0) {
      throw new CampaignAdminError(
        `${addressee.name} has already been sent letters, and that record stays public, so they cannot be removed.`,
        409,
      );
    }
    await tx.addressee.delete({ where: { id: addressee.id } });
  });
}

/**
 * A paused addressee gets nothing; what it is owed stays owed (see prepareLetter, prepareDigest).
 * A pause by hand has no reason (pauseReason is only set when Chorus paused it after hard bounces,
 * see bounce.server.ts); pausing one that is already paused keeps the earlier pause and its reason.
 */
export async function pauseAddressee(campaignId: string, addresseeId: string): Promise<boolean> {
  const exists = await db.addressee.count({ where: { id: addresseeId, campaignId } });
  if (exists === 0) return false;
  await db.addressee.updateMany({
    where: { id: addresseeId, campaignId, paused: false },
    data: { paused: true, pausedAt: new Date(), pauseReason: null },
  });
  return true;
}

/**
 * What was held back goes out on the reconciler's next run (every minute by default). Resuming starts
 * the count of hard failures again: organisers resume once they have fixed or checked the address.
 */
export async function resumeAddressee(campaignId: string, addresseeId: string): Promise<boolean> {
  const { count } = await db.addressee.updateMany({
    where: { id: addresseeId, campaignId },
    data: { paused: false, pausedAt: null, pauseReason: null, hardBounces: 0 },
  });
  return count === 1;
}
