import * as z from 'zod/mini';
import { DemandStatus } from '../generated/prisma/enums.ts';
import { optionalDay, optionalHttpUrl, optionalText, requiredDay, requiredLine, requiredText } from './person.ts';

// What has come of a campaign: demand statuses, addressees' responses, its timeline.

export const OUTCOME_LIMITS = { statusNote: 2000, summary: 2000, url: 2000, title: 200, description: 2000 } as const;

export const DEMAND_STATUS_LABELS: Record<DemandStatus, string> = {
  OPEN: 'Open',
  PARTLY_MET: 'Partly met',
  MET: 'Met',
  REJECTED: 'Rejected',
};

export const DEMAND_STATUSES = Object.keys(DEMAND_STATUS_LABELS) as DemandStatus[];

export const demandStatusSchema = z.object({
  status: z.enum(DEMAND_STATUSES as [DemandStatus, ...DemandStatus[]], { error: 'Please choose a status from the list.' }),
  note: optionalText('note', OUTCOME_LIMITS.statusNote, true),
  date: optionalDay('date'),
});

export const addresseeResponseSchema = z.object({
  date: requiredDay('date of the response'),
  summary: requiredText('summary of the response', OUTCOME_LIMITS.summary),
  url: optionalHttpUrl('link', OUTCOME_LIMITS.url),
});

export const timelineEventSchema = z.object({
  date: requiredDay('date'),
  title: requiredLine('title', OUTCOME_LIMITS.title),
  description: optionalText('description', OUTCOME_LIMITS.description, true),
});

export type DemandStatusInput = z.infer<typeof demandStatusSchema>;
export type AddresseeResponseInput = z.infer<typeof addresseeResponseSchema>;
export type TimelineEventInput = z.infer<typeof timelineEventSchema>;
