import { Form } from '@remix-run/react';
import { FormError, TextArea, TextField } from './forms.tsx';
import { PERSON_LIMITS, PERSON_STATUSES, PERSON_STATUS_LABELS } from '../validation/person.ts';

type Errors = Partial<Record<string, string | undefined>>;
type Values = Partial<Record<string, string | undefined>>;

/** The profile form for a person at risk; the status select only when creating (later changes leave a record). */
export function PersonForm(props: { values: Values; errors: Errors; withStatus: boolean; submitLabel: string; hidden?: Record<string, string> }) {
  const { values, errors } = props;
  const healthPublic = values.healthNotesPublic === 'on';
  return (
    <Form method="post" noValidate className="person-form">
      <FormError errors={errors} />
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <TextField name="name" label="Full name" values={values} errors={errors} maxLength={PERSON_LIMITS.name} required />
      <TextField name="role" label="Role" hint="For example: civil activist, blogger, journalist." values={values} errors={errors} maxLength={PERSON_LIMITS.role} required />
      <TextField name="photoUrl" label="Photo (web address, optional)" hint="An https:// link to a photo the person or their family agreed to publish." type="url" values={values} errors={errors} maxLength={PERSON_LIMITS.photoUrl} />
      <TextField name="residence" label="Place of residence (optional)" values={values} errors={errors} maxLength={PERSON_LIMITS.residence} />
      <TextField name="dateOfBirth" label="Date of birth (optional)" type="date" values={values} errors={errors} />
      <TextArea name="charges" label="Charges (optional)" hint="The article of the criminal code and what it covers." rows={3} values={values} errors={errors} maxLength={PERSON_LIMITS.charges} />
      {props.withStatus ? (
        <div className={errors.status ? 'field invalid' : 'field'}>
          <label htmlFor="f-status">Status</label>
          <select id="f-status" name="status" defaultValue={values.status ?? 'WITNESS'} aria-invalid={!!errors.status}>
            {PERSON_STATUSES.map((s) => (
              <option key={s} value={s}>
                {PERSON_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
          {errors.status ? <p className="error">{errors.status}</p> : null}
        </div>
      ) : null}
      <TextArea name="healthNotes" label="Health notes (optional)" rows={3} values={values} errors={errors} maxLength={PERSON_LIMITS.healthNotes} />
      <fieldset className="field">
        <legend>Who may read the health notes?</legend>
        <label className="check">
          <input type="radio" name="healthNotesPublic" value="" defaultChecked={!healthPublic} /> Organisers only
        </label>
        <label className="check">
          <input type="radio" name="healthNotesPublic" value="on" defaultChecked={healthPublic} /> Everyone (shown on the public profile)
        </label>
      </fieldset>
      <TextArea name="story" label="Story (Markdown)" hint="Who they are and what happened. **bold**, *italic*, lists and links work." rows={10} values={values} errors={errors} maxLength={PERSON_LIMITS.story} />
      <TextField name="sourceOrg" label="Source (optional)" hint="The organisation that documented the case." values={values} errors={errors} maxLength={PERSON_LIMITS.sourceOrg} />
      <TextField name="sourceDate" label="Source date (optional)" type="date" values={values} errors={errors} />
      <button type="submit" name="intent" value="save-profile">
        {props.submitLabel}
      </button>
    </Form>
  );
}

export const PERSON_FORM_FIELDS = [
  'name',
  'role',
  'photoUrl',
  'residence',
  'dateOfBirth',
  'charges',
  'status',
  'healthNotes',
  'healthNotesPublic',
  'story',
  'sourceOrg',
  'sourceDate',
] as const;

/** The submitted form as strings, for re-rendering on errors and for the model's schema. */
export function formValues(form: FormData, fields: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of fields) {
    const v = form.get(key);
    // Capped so a huge post cannot be echoed back; the schema reports anything over its limit.
    if (typeof v === 'string') values[key] = v.slice(0, 25_000);
  }
  return values;
}
