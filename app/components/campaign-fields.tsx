// Form fields for the organiser's campaign editor, shared by "new campaign" and its edit pages.
import { CAMPAIGN_LIMITS } from '../validation/campaign.ts';
import { SelectField, TextArea, TextField } from './forms.tsx';

type Errors = Partial<Record<string, string | undefined>>;
type Values = Partial<Record<string, unknown>>;

/** Title, address, summary, statement, goal and image: what the public page shows. */
export function CampaignDetailsFields({ values, errors, slugLocked, slugOptional }: { values: Values; errors: Errors; slugLocked?: boolean; slugOptional?: boolean }) {
  return (
    <>
      <TextField name="title" label="Title" values={values} errors={errors} maxLength={CAMPAIGN_LIMITS.title} />
      {slugLocked ? (
        <div className="field">
          <p>
            <strong>Web address:</strong> /c/{String(values.slug ?? '')}
          </p>
          <p className="hint">Published campaigns keep their address, so links already shared keep working.</p>
          <input type="hidden" name="slug" value={String(values.slug ?? '')} />
        </div>
      ) : (
        <TextField
          name="slug"
          label="Web address"
          values={values}
          errors={errors}
          maxLength={CAMPAIGN_LIMITS.slugMax}
          hint={`The campaign's page will be /c/<address>: lowercase letters a–z, digits and hyphens, ${CAMPAIGN_LIMITS.slugMin}–${CAMPAIGN_LIMITS.slugMax} characters. It cannot change once the campaign is published.${slugOptional ? ' Leave it empty to make one from the title.' : ''}`}
        />
      )}
      <TextArea name="summary" label="Summary" rows={3} values={values} errors={errors} maxLength={CAMPAIGN_LIMITS.summary} hint="One or two sentences, shown under the title and when the page is shared." />
      <TextArea
        name="statement"
        label="Statement"
        rows={16}
        values={values}
        errors={errors}
        maxLength={CAMPAIGN_LIMITS.statement}
        hint="Markdown: **bold**, *italic*, [a link](https://example.org), lists with - or 1., ## headings, > quotes."
      />
      <TextField name="goal" label="Signature goal" values={values} errors={errors} hint={`A whole number from 1 to ${CAMPAIGN_LIMITS.goalMax.toLocaleString('en')}.`} />
      <TextField name="imageUrl" label="Image address (optional)" type="url" values={values} errors={errors} maxLength={CAMPAIGN_LIMITS.imageUrl} hint="A picture for the page, as an https:// address." />
      <TextField
        name="replyTo"
        label="Reply address for addressees (optional)"
        type="email"
        values={values}
        errors={errors}
        maxLength={254}
        hint="Letters and digests carry it as Reply-To, so an addressee's reply or acknowledgement reaches your team. Record a reply on “Timeline & responses” so it appears under the delivery record. Never shown publicly."
      />
    </>
  );
}

export const DELIVERY_MODE_OPTIONS = [
  { value: 'PER_SIGNATURE', label: 'A letter for each confirmed signature' },
  { value: 'DIGEST', label: 'One digest letter at an interval, listing the new signatures (CSV attached)' },
] as const;

export function AddresseeFields({ values, errors }: { values: Values; errors: Errors }) {
  return (
    <>
      <TextField name="name" label="Name" values={values} errors={errors} maxLength={CAMPAIGN_LIMITS.addresseeName} />
      <TextField name="role" label="Role or title" values={values} errors={errors} maxLength={CAMPAIGN_LIMITS.addresseeRole} hint="Shown publicly, e.g. “Minister of Justice”." />
      <TextField name="email" label="Email" type="email" values={values} errors={errors} maxLength={254} hint="Never shown publicly." />
      <SelectField name="deliveryMode" label="Delivery" options={DELIVERY_MODE_OPTIONS} values={values} errors={errors} />
      <TextField
        name="digestIntervalMinutes"
        label="Digest interval (minutes)"
        values={values}
        errors={errors}
        hint={`For digests: ${CAMPAIGN_LIMITS.digestMinutesMin} to ${CAMPAIGN_LIMITS.digestMinutesMax.toLocaleString('en')} minutes (1440 = daily).`}
      />
      <TextField
        name="lettersPerHour"
        label="Letters per hour (at most)"
        values={values}
        errors={errors}
        hint={`For one letter per signature: ${CAMPAIGN_LIMITS.lettersPerHourMin} to ${CAMPAIGN_LIMITS.lettersPerHourMax.toLocaleString('en')}.`}
      />
    </>
  );
}

export function Notice({ message }: { message: string | null | undefined }) {
  return message ? (
    <p className="flash" role="status">
      {message}
    </p>
  ) : null;
}
