// Every form schema, by name, and one function that validates a list of form entries with one of them
// the way the browser and the actions do (FormData → formInput → schema). Bundled for Chromium by
// tests/unit/form-schemas.test.ts and imported as it is in Node.
import * as account from '../../../app/validation/account.ts';
import * as campaign from '../../../app/validation/campaign.ts';
import { validateForm } from '../../../app/validation/forms.ts';
import * as outcome from '../../../app/validation/outcome.ts';
import * as partner from '../../../app/validation/partner.ts';
import * as person from '../../../app/validation/person.ts';
import * as signature from '../../../app/validation/signature.ts';
import * as update from '../../../app/validation/update.ts';

export const schemas = {
  signature: signature.signatureSchema,
  coSign: partner.coSignSchema,
  partnerInvite: partner.partnerInviteSchema,
  signIn: account.signInSchema,
  register: account.registerSchema,
  campaignDetails: campaign.campaignDetailsSchema,
  demand: campaign.demandSchema,
  addressee: campaign.addresseeSchema,
  victory: campaign.victorySchema,
  reviewNote: campaign.reviewNoteSchema,
  inviteMember: campaign.inviteMemberSchema,
  update: update.updateSchema,
  personProfile: person.personProfileSchema,
  newPerson: person.newPersonSchema,
  personEvent: person.personEventSchema,
  statusChange: person.statusChangeSchema,
  demandStatus: outcome.demandStatusSchema,
  addresseeResponse: outcome.addresseeResponseSchema,
  timelineEvent: outcome.timelineEventSchema,
};

export type SchemaName = keyof typeof schemas;

/** The result as JSON text (dates as ISO strings), so results from two engines compare as text. */
export function validateEntries(name: SchemaName, entries: Array<[string, string]>): string {
  const form = new FormData();
  for (const [key, value] of entries) form.append(key, value);
  return JSON.stringify(validateForm(schemas[name], form));
}
