// The one shape of "a rule the person ran into" that models throw and actions answer. Not a .server
// module: validation code the browser also loads throws it too (InvalidInputError).

/** Per-field messages for a form ("form" for the whole form). */
export type DomainErrorFields = Partial<Record<string, string>>;

/**
 * A refusal a person should read: the action answers `status` and shows `fieldErrors` in its form
 * (`dispatchIntent` in app/utils/intent.server.ts does that for every organiser action). Models extend it
 * (CampaignAdminError, PersonAccessError, …); anything else thrown is a bug or an outage, not a refusal.
 */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409 | 429 = 400,
    readonly fieldErrors: DomainErrorFields = { form: message },
  ) {
    super(message);
    this.name = new.target.name;
  }
}
