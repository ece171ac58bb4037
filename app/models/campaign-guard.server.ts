import type { Prisma } from '../generated/prisma/client.ts';
import { DomainError } from '../utils/domain-error.ts';

// What every model that edits a campaign shares: the error organisers read, and the per-campaign
// write lock. Functions are scoped by campaignId, so an id belonging to another campaign is "not found".
// Routes check the caller's role (requireCampaignRole / requireAdmin) before calling them.

export type Tx = Prisma.TransactionClient;

/** A rule an organiser ran into: the route shows `message` next to `field` with `status`. */
export class CampaignAdminError extends DomainError {
  constructor(
    message: string,
    status: 400 | 404 | 409 | 429 = 400,
    readonly field: string = 'form',
  ) {
    super(message, status, { [field]: message });
  }
}

export const notFound = (what: string) =>
  new CampaignAdminError(`We could not find that ${what} in this campaign. It may have been removed.`, 404);

/**
 * Serialises writes to one campaign's demands, addressees, members and status. FOR NO KEY UPDATE
 * does not block signatures (their foreign key only takes a KEY SHARE lock).
 */
export async function lockCampaign(tx: Tx, campaignId: string) {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM "Campaign" WHERE id = ${campaignId} FOR NO KEY UPDATE`;
  if (rows.length === 0) throw new CampaignAdminError('We could not find that campaign.', 404);
}
