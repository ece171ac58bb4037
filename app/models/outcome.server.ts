import { db } from '../utils/db.server.ts';
import { DomainError } from '../utils/domain-error.ts';
import {
  addresseeResponseSchema,
  demandStatusSchema,
  timelineEventSchema,
} from '../validation/outcome.ts';
import { parseInput, type RawInput } from '../validation/person.ts';
import { peopleForCampaign } from './person.server.ts';

// What has come of a campaign: demand statuses, addressees' responses and a dated timeline.
// Every function is scoped by campaignId: an id from another campaign is "not found", never changed.
// Callers check the member's role (requireCampaignRole) before calling.

export class OutcomeNotFoundError extends DomainError {
  constructor(message: string) {
    super(message, 404);
  }
}

/** Sets a demand's status with a dated note; today when no date is given. */
export async function setDemandStatus(campaignId: string, demandId: string, rawInput: RawInput<typeof demandStatusSchema>) {
  const input = parseInput(demandStatusSchema, rawInput);
  const { count } = await db.demand.updateMany({
    where: { id: demandId, campaignId },
    data: { status: input.status, statusNote: input.note, statusDate: input.date ?? startOfToday() },
  });
  if (count === 0) throw new OutcomeNotFoundError('That demand is not part of this campaign.');
}

export async function logAddresseeResponse(campaignId: string, addresseeId: string, rawInput: RawInput<typeof addresseeResponseSchema>) {
  const input = parseInput(addresseeResponseSchema, rawInput);
  const addressee = await db.addressee.findFirst({ where: { id: addresseeId, campaignId }, select: { id: true } });
  if (!addressee) throw new OutcomeNotFoundError('That addressee is not part of this campaign.');
  return db.addresseeResponse.create({
    data: { campaignId, addresseeId, date: input.date, summary: input.summary, url: input.url },
    select: { id: true },
  });
}

export async function removeResponse(campaignId: string, responseId: string) {
  const { count } = await db.addresseeResponse.deleteMany({ where: { id: responseId, campaignId } });
  if (count === 0) throw new OutcomeNotFoundError('That response is not part of this campaign.');
}

export async function addTimelineEvent(campaignId: string, rawInput: RawInput<typeof timelineEventSchema>) {
  const input = parseInput(timelineEventSchema, rawInput);
  return db.timelineEvent.create({ data: { campaignId, ...input }, select: { id: true } });
}

export async function removeTimelineEvent(campaignId: string, eventId: string) {
  const { count } = await db.timelineEvent.deleteMany({ where: { id: eventId, campaignId } });
  if (count === 0) throw new OutcomeNotFoundError('That timeline event is not part of this campaign.');
}

function startOfToday() {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

const RESPONSE_FIELDS = { id: true, addresseeId: true, date: true, summary: true, url: true } as const;
const TIMELINE_FIELDS = { id: true, date: true, title: true, description: true } as const;

/**
 * Everything the public campaign page adds about outcomes, in one call: the people the campaign is
 * about, each demand's status, responses grouped by addressee (oldest first) and the timeline by date.
 */
export async function publicOutcomes(campaignId: string) {
  const [people, demands, responses, timeline] = await Promise.all([
    peopleForCampaign(campaignId),
    db.demand.findMany({
      where: { campaignId },
      orderBy: { position: 'asc' },
      select: { id: true, status: true, statusNote: true, statusDate: true },
    }),
    db.addresseeResponse.findMany({ where: { campaignId }, orderBy: [{ date: 'asc' }, { createdAt: 'asc' }], select: RESPONSE_FIELDS }),
    db.timelineEvent.findMany({ where: { campaignId }, orderBy: [{ date: 'asc' }, { createdAt: 'asc' }], select: TIMELINE_FIELDS }),
  ]);
  const responsesByAddressee: Record<string, Array<Omit<(typeof responses)[number], 'addresseeId'>>> = {};
  for (const { addresseeId, ...response } of responses) (responsesByAddressee[addresseeId] ??= []).push(response);
  const demandStatuses: Record<string, Omit<(typeof demands)[number], 'id'>> = {};
  for (const { id, ...status } of demands) demandStatuses[id] = status;
  return { people, demandStatuses, responsesByAddressee, timeline };
}

/** The Timeline & responses tab: demands and addressees with their records. */
export async function outcomesForOrganisers(campaignId: string) {
  const [demands, addressees, timeline, campaign] = await Promise.all([
    db.demand.findMany({
      where: { campaignId },
      orderBy: { position: 'asc' },
      select: { id: true, position: true, text: true, status: true, statusNote: true, statusDate: true },
    }),
    db.addressee.findMany({
      where: { campaignId },
      orderBy: { position: 'asc' },
      select: {
        id: true,
        name: true,
        role: true,
        addresseeResponses: { orderBy: [{ date: 'asc' }, { createdAt: 'asc' }], select: { id: true, date: true, summary: true, url: true } },
      },
    }),
    db.timelineEvent.findMany({ where: { campaignId }, orderBy: [{ date: 'asc' }, { createdAt: 'asc' }], select: TIMELINE_FIELDS }),
    // Where addressees' replies arrive (Reply-To of letters and digests), so organisers know where to look.
    db.campaign.findUnique({ where: { id: campaignId }, select: { replyTo: true } }),
  ]);
  return {
    demands,
    addressees: addressees.map(({ addresseeResponses, ...a }) => ({ ...a, responses: addresseeResponses })),
    timeline,
    replyTo: campaign?.replyTo ?? null,
  };
}
