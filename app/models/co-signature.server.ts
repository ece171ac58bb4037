import { CampaignStatus, PartnerKind } from '../generated/prisma/enums.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { enqueueOrDefer, enqueuePartnerVerification } from '../queues.server.ts';
import { keyedHash, randomToken } from '../utils/crypto.server.ts';
import { db, isUniqueViolation } from '../utils/db.server.ts';
import { hitRateLimit } from '../utils/rate-limit.server.ts';
import type { CoSignInput } from '../validation/partner.ts';
import { PLAIN_LATIN, slugify } from '../utils/slug.ts';
import { VISIBLE_STATUSES } from './campaign.server.ts';
import { INVITE_MESSAGES, findInvite, inviteState } from './partner-invitation.server.ts';

// A partner co-signs a campaign's statement from the public form (unverified until its contact
// address confirms). The partner is found or created here.

/** Co-signature submissions per campaign and network per hour (each one sends an email). */
const CO_SIGN_LIMIT = 10;
/** A repeat of the form sends the email again at most this often per co-signature. */
const REPEAT_EMAIL_MINUTES = 10;

/** A refusal the person filling in the form should read; `status` is the HTTP status to answer with. */
export class CoSignRefusedError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'CoSignRefusedError';
  }
}

const CAMPAIGN_NOT_FOUND = 'We could not find this campaign. It may have been moved or removed.';

export type CoSignOutcome = { coSignatureId: string; partnerName: string; invited: boolean; queued: boolean };

/** The campaign as the co-sign page needs it, or null when it is not public. */
export function campaignForCoSigning(slug: string) {
  return db.campaign.findFirst({
    where: { slug, status: { in: VISIBLE_STATUSES } },
    select: { id: true, slug: true, title: true, summary: true, status: true },
  });
}

/**
 * Records a co-signature from the public form, unverified until the contact address confirms it.
 * With a valid invitation the co-signature needs no approval, and the invitation is used up in the
 * same transaction; an unusable invitation writes nothing at all.
 *
 * A repeat (the same partner co-signing the same statement again) gets exactly the answer a new
 * co-signature gets, and its contact address gets an email too (the confirmation link again, or,
 * once confirmed, a note that it is already on record), at most once every 10 minutes, as a new
 * co-signature's second submission would: the form never tells whether an address is already a
 * co-signatory's contact.
 */
export async function coSign(
  campaignSlug: string,
  input: CoSignInput,
  options: { inviteToken?: string | null; ip?: string } = {},
): Promise<CoSignOutcome> {
  const campaign = await db.campaign.findUnique({ where: { slug: campaignSlug }, select: { id: true, status: true } });
  if (!campaign || !VISIBLE_STATUSES.includes(campaign.status)) throw new CoSignRefusedError(CAMPAIGN_NOT_FOUND, 404);
  if (campaign.status !== CampaignStatus.PUBLISHED) {
    throw new CoSignRefusedError('This statement is no longer open for co-signatures.', 409);
  }
  if (options.ip) {
    const limit = await hitRateLimit(`cosign:${campaign.id}:${keyedHash('ip', options.ip)}`, CO_SIGN_LIMIT, 3600);
    if (!limit.allowed) throw new CoSignRefusedError('Too many co-signatures have come from your network. Please try again later.', 429);
  }

  // Two requests creating the same partner (or the same slug) at once: the loser tries again and finds it.
  for (let attempt = 1; ; attempt++) {
    try {
      const written = await db.$transaction((tx) => writeCoSignature(tx, campaign.id, input, options.inviteToken ?? null));
      const queued = written.emailRequestedAt
        ? await enqueueOrDefer(`partner verification ${written.id}`, () =>
            enqueuePartnerVerification(written.id, written.emailRequestedAt!, { repeat: written.repeat }),
          )
        : true;
      return { coSignatureId: written.id, partnerName: written.partnerName, invited: written.invited, queued };
    } catch (error) {
      // Two identical submissions at once: the loser finds the winner's row and is a repeat.
      if (attempt < 3 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

async function writeCoSignature(tx: Prisma.TransactionClient, campaignId: string, input: CoSignInput, inviteToken: string | null) {
  let inviteId: string | null = null;
  if (inviteToken !== null) {
    const invite = await findInvite(tx, inviteToken);
    const state = inviteState(invite, campaignId);
    if (state !== 'valid') throw new CoSignRefusedError(INVITE_MESSAGES[state], 410);
    inviteId = invite!.id;
  }

  const partner = await findOrCreatePartner(tx, input);
  const existing = await tx.coSignature.findUnique({
    where: { campaignId_partnerId: { campaignId, partnerId: partner.id } },
    select: { id: true },
  });
  let written: { id: string; emailRequestedAt: Date | null; repeat: boolean };
  if (existing) {
    // A repeat: nothing about the co-signature changes; its email goes out again unless it was
    // asked for in the last few minutes (conditional, so racing repeats send one email).
    const rows = await tx.$queryRaw<Array<{ verificationRequestedAt: Date }>>`
      UPDATE "CoSignature" SET "verificationRequestedAt" = now(), "verificationSentAt" = NULL
      WHERE id = ${existing.id}
        AND "verificationRequestedAt" <= now() - make_interval(mins => ${REPEAT_EMAIL_MINUTES})
      RETURNING "verificationRequestedAt"`;
    written = { id: existing.id, emailRequestedAt: rows[0]?.verificationRequestedAt ?? null, repeat: true };
  } else {
    const row = await tx.coSignature.create({
      data: { campaignId, partnerId: partner.id, supportLine: input.supportLine, inviteId },
      select: { id: true, verificationRequestedAt: true },
    });
    written = { id: row.id, emailRequestedAt: row.verificationRequestedAt, repeat: false };
  }
  if (inviteId) {
    // Conditional, so two submissions racing with one invitation cannot both use it.
    const now = new Date();
    const { count } = await tx.partnerInvite.updateMany({
      where: { id: inviteId, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count !== 1) throw new CoSignRefusedError(INVITE_MESSAGES.used, 410);
  }
  return { ...written, partnerName: partner.name, invited: inviteId !== null };
}

/**
 * A partner is identified by kind, contact address and name. An existing partner's public details
 * are left as they are: an unverified form must not be able to change another's logo or website.
 */
async function findOrCreatePartner(tx: Prisma.TransactionClient, input: CoSignInput) {
  const contactEmail = input.contactEmail.toLowerCase();
  const kind = input.kind === 'ORGANISATION' ? PartnerKind.ORGANISATION : PartnerKind.INDIVIDUAL;
  const found = await tx.partner.findUnique({
    where: { kind_contactEmail_name: { kind, contactEmail, name: input.name } },
    select: { id: true, name: true },
  });
  if (found) return found;
  return tx.partner.create({
    data: {
      slug: await uniquePartnerSlug(tx, input.name),
      kind,
      name: input.name,
      title: input.title,
      affiliation: input.affiliation,
      country: input.country,
      website: input.website,
      contactEmail,
      representativeName: input.representativeName,
      logoUrl: input.logoUrl,
    },
    select: { id: true, name: true },
  });
}

async function uniquePartnerSlug(tx: Prisma.TransactionClient, name: string): Promise<string> {
  const base = slugify(name, PLAIN_LATIN);
  if (!base) return `partner-${randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, '')}`;
  const taken = await tx.partner.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } });
  const slugs = new Set(taken.map((p) => p.slug));
  if (!slugs.has(base)) return base;
  for (let n = 2; n < 1000; n++) if (!slugs.has(`${base}-${n}`)) return `${base}-${n}`;
  return `${base}-${randomToken(4).toLowerCase().replace(/[^a-z0-9]/g, '')}`;
}
