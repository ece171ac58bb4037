import { db } from '../utils/db.server.ts';
import { CAMPAIGN_LIMITS } from '../validation/campaign.ts';
import { CampaignAdminError, lockCampaign, notFound } from './campaign-guard.server.ts';

// A campaign's demands: the numbered list of what it asks for.

const MAX_DEMANDS = CAMPAIGN_LIMITS.maxDemands;

export function listDemands(campaignId: string) {
  return db.demand.findMany({ where: { campaignId }, orderBy: { position: 'asc' }, select: { id: true, position: true, text: true } });
}

export async function addDemand(campaignId: string, text: string) {
  return db.$transaction(async (tx) => {
    await lockCampaign(tx, campaignId);
    const { _max, _count } = await tx.demand.aggregate({ where: { campaignId }, _max: { position: true }, _count: true });
    if (_count >= MAX_DEMANDS) throw new CampaignAdminError(`A campaign can have at most ${MAX_DEMANDS} demands.`, 409, 'text');
    return tx.demand.create({
      data: { campaignId, text, position: (_max.position ?? -1) + 1 },
      select: { id: true, position: true, text: true },
    });
  });
}

export async function updateDemand(campaignId: string, demandId: string, text: string) {
  const { count } = await db.demand.updateMany({ where: { id: demandId, campaignId }, data: { text } });
  if (count === 0) throw notFound('demand');
}

export async function removeDemand(campaignId: string, demandId: string) {
  const { count } = await db.demand.deleteMany({ where: { id: demandId, campaignId } });
  if (count === 0) throw notFound('demand');
}

/**
 * Swaps a demand with its neighbour. Positions are unique per campaign, so the demand first moves
 * to a temporary negative position (free, since real positions are never negative).
 * Returns false when it is already first (up) or last (down).
 */
export async function moveDemand(campaignId: string, demandId: string, direction: 'up' | 'down'): Promise<boolean> {
  return db.$transaction(async (tx) => {
    await lockCampaign(tx, campaignId);
    const demand = await tx.demand.findFirst({ where: { id: demandId, campaignId }, select: { id: true, position: true } });
    if (!demand) throw notFound('demand');
    const neighbour = await tx.demand.findFirst({
      where: { campaignId, position: direction === 'up' ? { lt: demand.position } : { gt: demand.position } },
      orderBy: { position: direction === 'up' ? 'desc' : 'asc' },
      select: { id: true, position: true },
    });
    if (!neighbour) return false;
    await tx.demand.update({ where: { id: demand.id }, data: { position: -1 - demand.position } });
    await tx.demand.update({ where: { id: neighbour.id }, data: { position: demand.position } });
    await tx.demand.update({ where: { id: demand.id }, data: { position: neighbour.position } });
    return true;
  });
}
