import type { Prisma } from '../generated/prisma/client.ts';
import { CampaignStatus, MemberRole } from '../generated/prisma/enums.ts';
import { enqueueMemberInvited, enqueueOrDefer } from '../queues.server.ts';
import { db, isUniqueViolation } from '../utils/db.server.ts';
import { env } from '../utils/env.server.ts';
import { hitRateLimit } from '../utils/rate-limit.server.ts';
import { CAMPAIGN_LIMITS, type AddresseeInput, type CampaignDetailsInput } from '../validation/campaign.ts';
import { normalizeAccountEmail } from './user.server.ts';

// What organisers do to their campaigns: details, demands, addressees, lifecycle and members.
// Every function is scoped by campaignId, so an id belonging to another campaign is "not found".
// Routes check the caller's role (requireCampaignRole / requireAdmin) before calling these.

type Tx = Prisma.TransactionClient;

/** A rule an organiser ran into: the route shows `message` next to `field` with `status`. */
export class CampaignAdminError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 | 429 = 400,
    readonly field: string = 'form',
  ) {
    super(message);
    this.name = 'CampaignAdminError';
  }
}

const notFound = (what: string) => new CampaignAdminError(`We could not find that ${what} in this campaign. It may have been removed.`, 404);

/** Drafts and campaigns waiting for review can still change their address; published ones cannot. */
export const SLUG_EDITABLE_STATUSES: CampaignStatus[] = [CampaignStatus.DRAFT, CampaignStatus.IN_REVIEW];
/** Only campaigns that never went public can be deleted; the rest are closed instead. */
export const DELETABLE_STATUSES: CampaignStatus[] = [CampaignStatus.DRAFT, CampaignStatus.IN_REVIEW];

const MAX_DEMANDS = CAMPAIGN_LIMITS.maxDemands;
const MAX_ADDRESSEES = CAMPAIGN_LIMITS.maxAddressees;
const INVITES_PER_HOUR = 30;

const SLUG_TAKEN = 'That web address is already used by another campaign. Please choose another one.';
const SLUG_LOCKED =
  'The web address of a campaign cannot change once it has been published: links to it have already been shared.';

/**
 * Serialises writes to one campaign's demands, addressees, members and status. FOR NO KEY UPDATE
 * does not block signatures (their foreign key only takes a KEY SHARE lock).
 */
async function lockCampaign(tx: Tx, campaignId: string) {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM "Campaign" WHERE id = ${campaignId} FOR NO KEY UPDATE`;
  if (rows.length === 0) throw new CampaignAdminError('We could not find that campaign.', 404);
}

/** A slug is free unless another campaign uses it now or used it before (old links redirect there). */
async function assertSlugFree(tx: Tx, slug: string, campaignId?: string) {
  const current = await tx.campaign.findUnique({ where: { slug }, select: { id: true } });
  if (current && current.id !== campaignId) throw new CampaignAdminError(SLUG_TAKEN, 409, 'slug');
  const old = await tx.campaignSlug.findUnique({ where: { slug }, select: { campaignId: true } });
  if (old && old.campaignId !== campaignId) throw new CampaignAdminError(SLUG_TAKEN, 409, 'slug');
}

function slugConflict(error: unknown): CampaignAdminError | null {
  return isUniqueViolation(error, 'Campaign_slug_key') || isUniqueViolation(error, 'CampaignSlug_pkey')
    ? new CampaignAdminError(SLUG_TAKEN, 409, 'slug')
    : null;
}

// ---------------------------------------------------------------- details

/** A new draft; its creator becomes its first owner in the same transaction. */
export async function createCampaign(userId: string, input: CampaignDetailsInput) {
  try {
    return await db.$transaction(async (tx) => {
      await assertSlugFree(tx, input.slug);
      return tx.campaign.create({
        data: {
          slug: input.slug,
          status: CampaignStatus.DRAFT,
          title: input.title,
          summary: input.summary,
          statement: input.statement,
          goal: input.goal,
          imageUrl: input.imageUrl,
          createdById: userId,
          members: { create: { userId, role: MemberRole.OWNER } },
        },
        select: { id: true, slug: true, status: true },
      });
    });
  } catch (error) {
    throw slugConflict(error) ?? error;
  }
}

export function getCampaignDetails(campaignId: string) {
  return db.campaign.findUnique({
    where: { id: campaignId },
    select: {
      id: true,
      slug: true,
      status: true,
      title: true,
      summary: true,
      statement: true,
      goal: true,
      imageUrl: true,
      publishedAt: true,
      updatedAt: true,
    },
  });
}

export function canChangeSlug(campaign: { status: CampaignStatus; publishedAt: Date | null }) {
  return SLUG_EDITABLE_STATUSES.includes(campaign.status) && campaign.publishedAt === null;
}

export async function updateCampaignDetails(campaignId: string, input: CampaignDetailsInput) {
  try {
    return await db.$transaction(async (tx) => {
      await lockCampaign(tx, campaignId);
      const current = await tx.campaign.findUniqueOrThrow({
        where: { id: campaignId },
        select: { slug: true, status: true, publishedAt: true },
      });
      if (input.slug !== current.slug) await changeSlug(tx, campaignId, current, input.slug);
      return tx.campaign.update({
        where: { id: campaignId },
        data: {
          slug: input.slug,
          title: input.title,
          summary: input.summary,
          statement: input.statement,
          goal: input.goal,
          imageUrl: input.imageUrl,
        },
        select: { id: true, slug: true, status: true },
      });
    });
  } catch (error) {
    throw slugConflict(error) ?? error;
  }
}

/**
 * Today a published campaign's slug is fixed. Should that rule ever be relaxed, the old slug of a
 * campaign that was public is kept in CampaignSlug, so the public page redirects old links.
 */
async function changeSlug(tx: Tx, campaignId: string, current: { slug: string; status: CampaignStatus; publishedAt: Date | null }, next: string) {
  if (!canChangeSlug(current)) throw new CampaignAdminError(SLUG_LOCKED, 409, 'slug');
  await assertSlugFree(tx, next, campaignId);
  // Taking back one of its own earlier slugs: that one is current again, not a redirect.
  await tx.campaignSlug.deleteMany({ where: { slug: next, campaignId } });
  if (current.publishedAt) await tx.campaignSlug.create({ data: { slug: current.slug, campaignId } });
}

// ---------------------------------------------------------------- demands

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

// ---------------------------------------------------------------- addressees

export function listAddressees(campaignId: string) {
  return db.addressee.findMany({
    where: { campaignId },
    orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
    select: {
      id: true,
      name: true,
      role: true,
      email: true,
      deliveryMode: true,
      digestIntervalMinutes: true,
      lettersPerHour: true,
      lettersSent: true,
      signaturesDelivered: true,
    },
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

export async function updateAddressee(campaignId: string, addresseeId: string, input: AddresseeInput) {
  const { count } = await db.addressee.updateMany({ where: { id: addresseeId, campaignId }, data: addresseeData(input) });
  if (count === 0) throw notFound('addressee');
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

// ---------------------------------------------------------------- lifecycle

export function getCampaignStatus(campaignId: string) {
  return db.campaign.findUnique({
    where: { id: campaignId },
    select: {
      id: true,
      slug: true,
      title: true,
      status: true,
      publishedAt: true,
      closedAt: true,
      submittedAt: true,
      reviewNote: true,
      victoryNote: true,
      signatureCount: true,
      _count: { select: { demands: true, addressees: true } },
    },
  });
}

const STATUS_WORDS: Record<CampaignStatus, string> = {
  DRAFT: 'a draft',
  IN_REVIEW: 'waiting for review',
  PUBLISHED: 'published',
  CLOSED: 'closed',
  WON: 'marked as won',
};

async function statusUnder(tx: Tx, campaignId: string) {
  await lockCampaign(tx, campaignId);
  return tx.campaign.findUniqueOrThrow({
    where: { id: campaignId },
    select: { status: true, publishedAt: true, closedAt: true, _count: { select: { demands: true, addressees: true } } },
  });
}

function requireStatus(status: CampaignStatus, allowed: CampaignStatus[], action: string) {
  if (!allowed.includes(status)) throw new CampaignAdminError(`This campaign is ${STATUS_WORDS[status]}, so it cannot ${action}.`, 409);
}

function requireContent(counts: { demands: number; addressees: number }) {
  const missing = [counts.demands === 0 ? 'at least one demand' : null, counts.addressees === 0 ? 'at least one addressee' : null].filter(Boolean);
  if (missing.length) throw new CampaignAdminError(`Before publishing, add ${missing.join(' and ')}.`, 409);
}

/**
 * Publishes a draft, or (with MODERATION=on) sends it to the platform admins' review queue.
 * Returns the new status.
 */
export async function publishCampaign(campaignId: string): Promise<CampaignStatus> {
  const moderated = env().MODERATION === 'on';
  return db.$transaction(async (tx) => {
    const campaign = await statusUnder(tx, campaignId);
    requireStatus(campaign.status, [CampaignStatus.DRAFT], moderated ? 'be submitted for review' : 'be published');
    requireContent(campaign._count);
    const now = new Date();
    const data = moderated
      ? { status: CampaignStatus.IN_REVIEW, submittedAt: now }
      : { status: CampaignStatus.PUBLISHED, publishedAt: now, reviewNote: null };
    const updated = await tx.campaign.update({ where: { id: campaignId }, data, select: { status: true } });
    return updated.status;
  });
}

export function listCampaignsInReview() {
  return db.campaign.findMany({
    where: { status: CampaignStatus.IN_REVIEW },
    orderBy: { submittedAt: 'asc' },
    select: {
      id: true,
      slug: true,
      title: true,
      summary: true,
      submittedAt: true,
      reviewNote: true,
      createdBy: { select: { email: true, name: true } },
      _count: { select: { demands: true, addressees: true } },
    },
    take: 200,
  });
}

/** Admins only (the route checks): the campaign goes public. */
export async function approveCampaign(campaignId: string) {
  await db.$transaction(async (tx) => {
    const campaign = await statusUnder(tx, campaignId);
    requireStatus(campaign.status, [CampaignStatus.IN_REVIEW], 'be approved');
    // Editors may change a campaign while it waits; it must still be complete.
    requireContent(campaign._count);
    await tx.campaign.update({
      where: { id: campaignId },
      data: { status: CampaignStatus.PUBLISHED, publishedAt: new Date(), reviewNote: null },
    });
  });
}

/** Admins only: back to draft, with the reason its members see on the status page. */
export async function sendBackCampaign(campaignId: string, reason: string) {
  await db.$transaction(async (tx) => {
    const campaign = await statusUnder(tx, campaignId);
    requireStatus(campaign.status, [CampaignStatus.IN_REVIEW], 'be sent back');
    await tx.campaign.update({
      where: { id: campaignId },
      data: { status: CampaignStatus.DRAFT, reviewNote: reason, submittedAt: null },
    });
  });
}

export async function closeCampaign(campaignId: string) {
  await db.$transaction(async (tx) => {
    const campaign = await statusUnder(tx, campaignId);
    requireStatus(campaign.status, [CampaignStatus.PUBLISHED], 'be closed');
    await tx.campaign.update({ where: { id: campaignId }, data: { status: CampaignStatus.CLOSED, closedAt: new Date() } });
  });
}

/** A published or closed campaign that got what it asked for; the note is shown on its page. Also edits the note. */
export async function markWon(campaignId: string, victoryNote: string) {
  await db.$transaction(async (tx) => {
    const campaign = await statusUnder(tx, campaignId);
    requireStatus(campaign.status, [CampaignStatus.PUBLISHED, CampaignStatus.CLOSED, CampaignStatus.WON], 'be marked as won');
    await tx.campaign.update({
      where: { id: campaignId },
      data: { status: CampaignStatus.WON, victoryNote, closedAt: campaign.closedAt ?? new Date() },
    });
  });
}

/** Owners only (the route checks). Campaigns that were ever public keep their record: close them instead. */
export async function deleteCampaign(campaignId: string) {
  await db.$transaction(async (tx) => {
    const campaign = await statusUnder(tx, campaignId);
    if (!DELETABLE_STATUSES.includes(campaign.status) || campaign.publishedAt) {
      throw new CampaignAdminError(
        'Only campaigns that were never published can be deleted. Its signers and addressees rely on its public record: close it instead.',
        409,
      );
    }
    await tx.campaign.delete({ where: { id: campaignId } });
  });
}

// ---------------------------------------------------------------- members

export function listMembers(campaignId: string) {
  return db.campaignMember.findMany({
    where: { campaignId },
    orderBy: [{ invitedAt: 'asc' }],
    select: { id: true, role: true, invitedAt: true, notifiedAt: true, user: { select: { id: true, email: true, name: true } } },
  });
}

/**
 * Adds someone to the campaign, creating their organiser account if they have none, and emails
 * them (after the commit) that they were added. They sign in with a link like everyone else.
 */
export async function inviteMember(campaignId: string, email: string, role: MemberRole) {
  const address = normalizeAccountEmail(email);
  const limit = await hitRateLimit(`invite:${campaignId}`, INVITES_PER_HOUR, 3600);
  if (!limit.allowed) throw new CampaignAdminError('Too many invitations from this campaign in the last hour. Please try again later.', 429);
  const member = await db.$transaction(async (tx) => {
    await lockCampaign(tx, campaignId);
    const user = await tx.user.upsert({ where: { email: address }, create: { email: address }, update: {}, select: { id: true } });
    const existing = await tx.campaignMember.findUnique({ where: { campaignId_userId: { campaignId, userId: user.id } }, select: { id: true } });
    if (existing) throw new CampaignAdminError(`${address} is already a member of this campaign.`, 409, 'email');
    return tx.campaignMember.create({ data: { campaignId, userId: user.id, role }, select: { id: true, role: true } });
  });
  await enqueueOrDefer(`member invitation ${member.id}`, () => enqueueMemberInvited(member.id));
  return { ...member, email: address };
}

async function ownerCount(tx: Tx, campaignId: string) {
  return tx.campaignMember.count({ where: { campaignId, role: MemberRole.OWNER } });
}

const LAST_OWNER = 'A campaign needs at least one owner. Make someone else an owner first.';

export async function changeMemberRole(campaignId: string, memberId: string, role: MemberRole) {
  await db.$transaction(async (tx) => {
    await lockCampaign(tx, campaignId);
    const member = await tx.campaignMember.findFirst({ where: { id: memberId, campaignId }, select: { role: true } });
    if (!member) throw notFound('member');
    if (member.role === MemberRole.OWNER && role !== MemberRole.OWNER && (await ownerCount(tx, campaignId)) <= 1) {
      throw new CampaignAdminError(LAST_OWNER, 409);
    }
    await tx.campaignMember.update({ where: { id: memberId }, data: { role } });
  });
}

/** Returns the removed member's user id (the caller may have removed themselves). */
export async function removeMember(campaignId: string, memberId: string): Promise<{ userId: string }> {
  return db.$transaction(async (tx) => {
    await lockCampaign(tx, campaignId);
    const member = await tx.campaignMember.findFirst({ where: { id: memberId, campaignId }, select: { role: true, userId: true } });
    if (!member) throw notFound('member');
    if (member.role === MemberRole.OWNER && (await ownerCount(tx, campaignId)) <= 1) throw new CampaignAdminError(LAST_OWNER, 409);
    await tx.campaignMember.delete({ where: { id: memberId } });
    return { userId: member.userId };
  });
}

// ---------------------------------------------------------------- invitation emails (worker side)

/** For the invitation email: who, to which campaign, as what; null once sent or if removed meanwhile. */
export function findOwedMemberInvitation(memberId: string) {
  return db.campaignMember.findFirst({
    where: { id: memberId, notifiedAt: null },
    select: {
      id: true,
      role: true,
      user: { select: { email: true, name: true } },
      campaign: { select: { title: true } },
    },
  });
}

export async function markMemberNotified(memberId: string, at = new Date()) {
  await db.campaignMember.updateMany({ where: { id: memberId, notifiedAt: null }, data: { notifiedAt: at } });
}

/**
 * Invitations whose email was never sent (Redis was down), for the reconciler. A creator is never
 * told about their own campaign, and after a few days an invitation is no longer news.
 */
export function owedMemberInvitations(olderThanSeconds = 30) {
  return db.$queryRaw<Array<{ id: string }>>`
    SELECT m.id FROM "CampaignMember" m JOIN "Campaign" c ON c.id = m."campaignId"
    WHERE m."notifiedAt" IS NULL
      AND m."userId" IS DISTINCT FROM c."createdById"
      AND m."invitedAt" < now() - make_interval(secs => ${olderThanSeconds})
      AND m."invitedAt" > now() - interval '3 days'
    LIMIT 1000`;
}
