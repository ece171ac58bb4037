import { db, isUniqueViolation } from '../utils/db.server.ts';
import { MemberRole } from '../generated/prisma/enums.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { DomainError } from '../utils/domain-error.ts';
import { personUrl } from '../utils/public-url.server.ts';
import { KAZAKH_LATIN, slugify } from '../utils/slug.ts';
import { VISIBLE_STATUSES } from './campaign.server.ts';
import { countUpdateRecipients, createUpdateDraft, deleteUpdateDraft, startSendingUpdate } from './update.server.ts';
import {
  PERSON_STATUS_LABELS,
  newPersonSchema,
  parseInput,
  type RawInput,
  personEventSchema,
  personProfileSchema,
  statusChangeSchema,
  type PersonProfileInput,
} from '../validation/person.ts';

// People at risk: profiles shared across campaigns. A profile may be edited by its creator and by
// the owners and editors of any campaign it is linked to; every write below checks that first.

export class PersonNotFoundError extends DomainError {
  constructor(message = 'We could not find that person.') {
    super(message, 404);
  }
}

export class PersonAccessError extends DomainError {
  constructor(message = 'You cannot change this profile: only its creator and the owners and editors of its campaigns can.') {
    super(message, 403);
  }
}

const EDITING_ROLES: MemberRole[] = [MemberRole.OWNER, MemberRole.EDITOR];

/** A URL slug from a name in Latin or Cyrillic script: "Марат Тұрымбетов" → "marat-turymbetov". */
export function slugifyName(name: string): string {
  return slugify(name, KAZAKH_LATIN) || 'person';
}

/** True when the user created the person or is an owner/editor of a campaign linked to them. */
export async function canEditPerson(userId: string, personId: string): Promise<boolean> {
  const count = await db.person.count({
    where: {
      id: personId,
      OR: [
        { createdById: userId },
        { campaigns: { some: { campaign: { members: { some: { userId, role: { in: EDITING_ROLES } } } } } } },
      ],
    },
  });
  return count > 0;
}

/** Members of any linked campaign (viewers too) may read the organisers' view, health notes included. */
export async function canViewPerson(userId: string, personId: string): Promise<boolean> {
  const count = await db.person.count({
    where: {
      id: personId,
      OR: [{ createdById: userId }, { campaigns: { some: { campaign: { members: { some: { userId } } } } } }],
    },
  });
  return count > 0;
}

async function assertCanEdit(userId: string, personId: string) {
  if (await canEditPerson(userId, personId)) return;
  const exists = await db.person.count({ where: { id: personId } });
  throw exists ? new PersonAccessError() : new PersonNotFoundError();
}

async function assertCampaignEditor(userId: string, campaignId: string) {
  const member = await db.campaignMember.findUnique({ where: { campaignId_userId: { campaignId, userId } }, select: { role: true } });
  if (!member || !EDITING_ROLES.includes(member.role)) {
    throw new PersonAccessError('Only the owners and editors of this campaign can change who it is about.');
  }
}

function profileData(input: PersonProfileInput) {
  return {
    name: input.name,
    photoUrl: input.photoUrl,
    role: input.role,
    residence: input.residence,
    dateOfBirth: input.dateOfBirth,
    charges: input.charges,
    healthNotes: input.healthNotes,
    healthNotesPublic: input.healthNotesPublic,
    story: input.story,
    sourceOrg: input.sourceOrg,
    sourceDate: input.sourceDate,
  };
}

/**
 * Creates a profile with a unique slug from the name ("-2", "-3" … on a clash). With
 * `linkToCampaignId`, the user must be an owner or editor there and the link is made in the same
 * transaction.
 */
export async function createPerson(
  userId: string,
  rawInput: RawInput<typeof newPersonSchema>,
  options: { linkToCampaignId?: string } = {},
): Promise<{ id: string; slug: string }> {
  const input = parseInput(newPersonSchema, rawInput);
  if (options.linkToCampaignId) await assertCampaignEditor(userId, options.linkToCampaignId);
  const base = slugifyName(input.name);
  for (let attempt = 1; attempt <= 50; attempt++) {
    const slug = attempt === 1 ? base : `${base}-${attempt}`;
    try {
      return await db.$transaction(async (tx) => {
        const person = await tx.person.create({
          data: { ...profileData(input), status: input.status, slug, createdById: userId },
          select: { id: true, slug: true },
        });
        if (options.linkToCampaignId) {
          await tx.campaignPerson.create({
            data: { campaignId: options.linkToCampaignId, personId: person.id, position: await nextPosition(tx, options.linkToCampaignId) },
          });
        }
        return person;
      });
    } catch (error) {
      if (!isUniqueViolation(error, 'Person_slug_key')) throw error;
    }
  }
  throw new Error(`No free slug for ${base} after 50 attempts`);
}

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

async function nextPosition(tx: Tx, campaignId: string) {
  const last = await tx.campaignPerson.findFirst({ where: { campaignId }, orderBy: { position: 'desc' }, select: { position: true } });
  return (last?.position ?? -1) + 1;
}

/** Edits the profile fields (not the status: see changePersonStatus). The slug stays, so links keep working. */
export async function updatePerson(userId: string, personId: string, rawInput: RawInput<typeof personProfileSchema>) {
  const input = parseInput(personProfileSchema, rawInput);
  await assertCanEdit(userId, personId);
  await db.person.update({ where: { id: personId }, data: profileData(input), select: { id: true } });
}

export async function addPersonEvent(userId: string, personId: string, rawInput: RawInput<typeof personEventSchema>) {
  const input = parseInput(personEventSchema, rawInput);
  await assertCanEdit(userId, personId);
  return db.personEvent.create({ data: { personId, ...input }, select: { id: true } });
}

/** Removes an event of this person only; an id from another person's timeline is "not found". */
export async function removePersonEvent(userId: string, personId: string, eventId: string) {
  await assertCanEdit(userId, personId);
  const { count } = await db.personEvent.deleteMany({ where: { id: eventId, personId } });
  if (count === 0) throw new PersonNotFoundError();
}

/**
 * Links a person to a campaign. The user must be an owner/editor of the campaign AND already able
 * to edit the person: linking grants the campaign's editors edit rights over the profile, so an
 * organiser cannot gain them over someone else's profile just by linking it.
 */
export async function linkPersonToCampaign(userId: string, campaignId: string, personId: string) {
  await assertCampaignEditor(userId, campaignId);
  await assertCanEdit(userId, personId);
  await db.$transaction(async (tx) => {
    const existing = await tx.campaignPerson.findUnique({ where: { campaignId_personId: { campaignId, personId } }, select: { personId: true } });
    if (existing) return;
    await tx.campaignPerson.create({ data: { campaignId, personId, position: await nextPosition(tx, campaignId) } });
  });
}

/** Unlinking is the campaign's decision: its owners and editors may do it; the profile stays. */
export async function unlinkPersonFromCampaign(userId: string, campaignId: string, personId: string) {
  await assertCampaignEditor(userId, campaignId);
  const { count } = await db.campaignPerson.deleteMany({ where: { campaignId, personId } });
  if (count === 0) throw new PersonNotFoundError('That person is not linked to this campaign.');
}

const CARD_FIELDS = { id: true, slug: true, name: true, photoUrl: true, role: true, residence: true, status: true, charges: true } as const;

/** The whole profile with its timeline, oldest event first: what both the public and the organisers' pages show. */
const PROFILE_FIELDS = {
  ...CARD_FIELDS,
  dateOfBirth: true,
  healthNotes: true,
  healthNotesPublic: true,
  story: true,
  sourceOrg: true,
  sourceDate: true,
  events: { orderBy: [{ date: 'asc' }, { createdAt: 'asc' }], select: { id: true, date: true, title: true, description: true } },
} satisfies Prisma.PersonSelect;

/** The people a campaign is about, in the organisers' order (public cards and the People tab). */
export async function peopleForCampaign(campaignId: string) {
  const rows = await db.campaignPerson.findMany({
    where: { campaignId },
    orderBy: [{ position: 'asc' }, { person: { name: 'asc' } }],
    select: { person: { select: CARD_FIELDS } },
  });
  return rows.map((r) => ({ ...r.person, statusLabel: PERSON_STATUS_LABELS[r.person.status] }));
}

export type PersonCard = Awaited<ReturnType<typeof peopleForCampaign>>[number];

/**
 * The public profile. A person is public only while linked to at least one visible campaign, so a
 * profile prepared for a draft is not published early; health notes only when marked public.
 */
export async function getPublicPerson(slug: string) {
  const person = await db.person.findUnique({
    where: { slug },
    select: {
      ...PROFILE_FIELDS,
      updatedAt: true,
      campaigns: {
        where: { campaign: { status: { in: VISIBLE_STATUSES } } },
        orderBy: { campaign: { publishedAt: 'desc' } },
        select: { campaign: { select: { slug: true, title: true, summary: true, status: true } } },
      },
    },
  });
  if (!person || person.campaigns.length === 0) return null;
  const { healthNotes, healthNotesPublic, campaigns, ...rest } = person;
  return {
    ...rest,
    statusLabel: PERSON_STATUS_LABELS[person.status],
    healthNotes: healthNotesPublic ? healthNotes : null,
    campaigns: campaigns.map((c) => c.campaign),
  };
}

/** Profiles the user may see in the dashboard: created by them or linked to one of their campaigns. */
export async function listPeopleForUser(userId: string) {
  const people = await db.person.findMany({
    where: { OR: [{ createdById: userId }, { campaigns: { some: { campaign: { members: { some: { userId } } } } } }] },
    orderBy: { name: 'asc' },
    select: {
      ...CARD_FIELDS,
      createdById: true,
      updatedAt: true,
      campaigns: { select: { campaign: { select: { id: true, title: true, members: { where: { userId }, select: { role: true } } } } } },
    },
  });
  return people.map(({ campaigns, createdById, ...p }) => ({
    ...p,
    statusLabel: PERSON_STATUS_LABELS[p.status],
    canEdit: createdById === userId || campaigns.some((c) => c.campaign.members.some((m) => EDITING_ROLES.includes(m.role))),
    campaigns: campaigns.map((c) => ({ id: c.campaign.id, title: c.campaign.title })),
  }));
}

/** Profiles this user could link to the campaign: those they can edit that are not linked yet. */
export async function linkablePeople(userId: string, campaignId: string) {
  const people = await db.person.findMany({
    where: {
      campaigns: { none: { campaignId } },
      OR: [
        { createdById: userId },
        { campaigns: { some: { campaign: { members: { some: { userId, role: { in: EDITING_ROLES } } } } } } },
      ],
    },
    orderBy: { name: 'asc' },
    select: { id: true, name: true, role: true },
    take: 500,
  });
  return people;
}

/** Everything the organisers' page shows, or null when the user may not see this person at all. */
export async function personForOrganiser(userId: string, personId: string) {
  if (!(await canViewPerson(userId, personId))) return null;
  const person = await db.person.findUnique({
    where: { id: personId },
    select: {
      ...PROFILE_FIELDS,
      campaigns: {
        orderBy: { campaign: { title: 'asc' } },
        select: {
          campaign: { select: { id: true, slug: true, title: true, status: true, members: { where: { userId }, select: { role: true } } } },
        },
      },
    },
  });
  if (!person) return null;
  const campaigns = person.campaigns.map(({ campaign: { members, ...c } }) => ({ ...c, myRole: members[0]?.role ?? null }));
  return {
    ...person,
    statusLabel: PERSON_STATUS_LABELS[person.status],
    campaigns,
    isPublic: campaigns.some((c) => VISIBLE_STATUSES.includes(c.status)),
    canEdit: await canEditPerson(userId, personId),
  };
}


/**
 * The person's linked campaigns this user may announce to (owner or editor, campaign public), with
 * how many signers would receive the announcement now.
 */
export async function announcementTargets(userId: string, personId: string) {
  const links = await db.campaignPerson.findMany({
    where: {
      personId,
      campaign: { status: { in: VISIBLE_STATUSES }, members: { some: { userId, role: { in: EDITING_ROLES } } } },
    },
    orderBy: { campaign: { title: 'asc' } },
    select: { campaign: { select: { id: true, title: true } } },
  });
  return Promise.all(links.map(async ({ campaign }) => ({ ...campaign, recipients: await countUpdateRecipients(campaign.id) })));
}

/**
 * Changes a person's status and records it on their timeline. With `announceToCampaignIds`, each of
 * those campaigns (linked, public, and edited by this user) also sends its signers an update
 * "<name>: <status>" through the update machinery, with its unsubscribe link.
 *
 * Order keeps the database consistent: the drafts are written first (invisible until sent); if the
 * status change then fails they are deleted again; only after the status commit do they start sending.
 * A draft whose sending could not start stays on the campaign's Updates tab for the organisers.
 */
export async function changePersonStatus(
  userId: string,
  personId: string,
  rawInput: RawInput<typeof statusChangeSchema>,
  options: { announceToCampaignIds?: string[] } = {},
) {
  const input = parseInput(statusChangeSchema, rawInput);
  await assertCanEdit(userId, personId);
  const person = await db.person.findUniqueOrThrow({ where: { id: personId }, select: { name: true, slug: true } });
  const label = PERSON_STATUS_LABELS[input.status];

  const wanted = [...new Set(options.announceToCampaignIds ?? [])];
  const allowed = new Set((await announcementTargets(userId, personId)).map((t) => t.id));
  const refused = wanted.filter((id) => !allowed.has(id));
  if (refused.length > 0) {
    throw new PersonAccessError('You can only announce to public campaigns about this person that you own or edit.');
  }

  const update = { title: `${person.name}: ${label}`, body: announcementBody(person, label, input.note) };
  const drafts: Array<{ campaignId: string; updateId: string }> = [];
  try {
    for (const campaignId of wanted) drafts.push({ campaignId, updateId: (await createUpdateDraft(campaignId, userId, update)).id });
    const event = await db.$transaction(async (tx) => {
      await tx.person.update({ where: { id: personId }, data: { status: input.status }, select: { id: true } });
      return tx.personEvent.create({
        data: { personId, date: input.date ?? today(), title: `Status: ${label}`, description: input.note },
        select: { id: true },
      });
    });
    const announcements: Array<{ campaignId: string; updateId: string; recipientCount: number | null }> = [];
    for (const draft of drafts) {
      const started = await startSendingUpdate(draft.campaignId, draft.updateId).catch((error: Error) => {
        console.warn(`[people] announcement ${draft.updateId} left as a draft: ${error.message}`);
        return null;
      });
      announcements.push({ ...draft, recipientCount: started?.ok ? started.recipientCount : null });
    }
    return { status: input.status, statusLabel: label, eventId: event.id, announcements };
  } catch (error) {
    await Promise.all(drafts.map((d) => deleteUpdateDraft(d.campaignId, d.updateId).catch(() => false)));
    throw error;
  }
}

function announcementBody(person: { name: string; slug: string }, label: string, note: string | null) {
  const parts = [`${person.name}'s status is now: **${label}**.`];
  if (note) parts.push(note);
  // A bare address (autolinked), so the plain-text part of the email keeps it too.
  parts.push(`${person.name}'s profile and timeline: ${personUrl(person.slug)}`);
  return parts.join('\n\n');
}

function today() {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}
