import { Form, useNavigation } from '@remix-run/react';
import { COUNTRIES } from '../validation/countries.ts';
import { Link } from '@remix-run/react';
import { CONSENT_TEXT, LIMITS, LIST_PUBLICLY_TEXT, SHOW_NAME_TEXT, signatureSchema } from '../validation/signature.ts';
import { CheckboxField, FormError, SelectField, TextArea, TextField, useFormValidation } from './forms.tsx';

export type SignFormValues = Partial<Record<string, string>>;
export type SignFormErrors = Partial<Record<string, string>>;

const COUNTRY_OPTIONS = COUNTRIES.map((c) => ({ value: c.code, label: c.name }));

/**
 * Checked in the browser with the schema the server parses with; works without JavaScript too: a plain
 * POST, re-rendered with the typed values and the server's errors.
 */
export function SignForm({
  values,
  errors: serverErrors,
  partner,
}: {
  values: SignFormValues;
  errors: SignFormErrors;
  /** The approved coalition partner whose link (`?via=`) brought the signer, if any. */
  partner?: { slug: string; name: string } | null;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const { errors, formProps } = useFormValidation(signatureSchema, serverErrors);
  const field = { values, errors, idPrefix: 'sign-' };
  return (
    <Form method="post" {...formProps} aria-label="Sign this campaign">
      <FormError errors={errors} />
      <TextField {...field} name="fullName" label="Full name" autoComplete="name" maxLength={LIMITS.fullName} required />
      <TextField {...field} name="email" label="Email" type="email" autoComplete="email" maxLength={LIMITS.email} required />
      <TextField {...field} name="city" label="City or town" autoComplete="address-level2" maxLength={LIMITS.city} required />
      <SelectField {...field} name="country" label="Country" options={COUNTRY_OPTIONS} placeholder="Choose…" required />
      <TextArea {...field} name="comment" label="Why are you signing? (optional)" maxLength={LIMITS.comment} />
      <div className="hp" aria-hidden="true">
        <label htmlFor="sign-website">Leave this empty</label>
        <input id="sign-website" name="website" type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
      </div>
      <CheckboxField {...field} name="listPublicly">
        {LIST_PUBLICLY_TEXT}
      </CheckboxField>
      <CheckboxField {...field} name="showName">
        {SHOW_NAME_TEXT}
      </CheckboxField>
      <CheckboxField {...field} name="wantsUpdates">
        Email me updates about this campaign.
      </CheckboxField>
      {partner ? (
        <>
          <input type="hidden" name="via" value={partner.slug} />
          <CheckboxField {...field} name="shareWithPartner">
            Share my name and email with {partner.name}
          </CheckboxField>
        </>
      ) : null}
      <CheckboxField {...field} name="consent" textClassName="consent" required>
        {CONSENT_TEXT}
      </CheckboxField>
      <button type="submit" disabled={busy}>
        {busy ? 'Signing…' : 'Sign'}
      </button>
      <p className="hint">
        We will email you a link to confirm your signature. <Link to="/privacy">What we store, who sees it and how to be removed</Link>.
      </p>
    </Form>
  );
}
