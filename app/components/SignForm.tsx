import { Form, useNavigation } from '@remix-run/react';
import { LabelledField } from './forms.tsx';
import { COUNTRIES } from '../validation/countries.ts';
import { Link } from '@remix-run/react';
import { CONSENT_TEXT, LIMITS, LIST_PUBLICLY_TEXT, SHOW_NAME_TEXT } from '../validation/signature.ts';

export type SignFormValues = Partial<Record<string, string>>;
export type SignFormErrors = Partial<Record<string, string>>;

/** Works without JavaScript: a plain POST, re-rendered with the typed values on error. */
export function SignForm({
  values,
  errors,
  partner,
}: {
  values: SignFormValues;
  errors: SignFormErrors;
  /** The approved coalition partner whose link (`?via=`) brought the signer, if any. */
  partner?: { slug: string; name: string } | null;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === 'submitting';
  const describedBy = (name: string) => (errors[name] ? `sign-${name}-error` : undefined);
  const field = { values, errors, idPrefix: 'sign-' };
  return (
    <Form method="post" noValidate aria-label="Sign this campaign">
      {errors.form ? (
        <p className="form-error" role="alert">
          {errors.form}
        </p>
      ) : null}
      <LabelledField name="fullName" label="Full name" {...field}>
        {({ id, error, defaultValue }) => (
          <input id={id} name="fullName" type="text" autoComplete="name" maxLength={LIMITS.fullName} defaultValue={defaultValue} aria-invalid={!!error} aria-describedby={describedBy('fullName')} required />
        )}
      </LabelledField>
      <LabelledField name="email" label="Email" {...field}>
        {({ id, error, defaultValue }) => (
          <input id={id} name="email" type="email" autoComplete="email" maxLength={LIMITS.email} defaultValue={defaultValue} aria-invalid={!!error} aria-describedby={describedBy('email')} required />
        )}
      </LabelledField>
      <LabelledField name="city" label="City or town" {...field}>
        {({ id, error, defaultValue }) => (
          <input id={id} name="city" type="text" autoComplete="address-level2" maxLength={LIMITS.city} defaultValue={defaultValue} aria-invalid={!!error} aria-describedby={describedBy('city')} required />
        )}
      </LabelledField>
      <LabelledField name="country" label="Country" {...field}>
        {({ id, error, defaultValue }) => (
          <select id={id} name="country" defaultValue={defaultValue ?? ''} aria-invalid={!!error} aria-describedby={describedBy('country')} required>
            <option value="">Choose…</option>
            {COUNTRIES.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        )}
      </LabelledField>
      <LabelledField name="comment" label="Why are you signing? (optional)" {...field}>
        {({ id, defaultValue }) => (
          <textarea id={id} name="comment" maxLength={LIMITS.comment} defaultValue={defaultValue} aria-describedby={describedBy('comment')} />
        )}
      </LabelledField>
      <div className="hp" aria-hidden="true">
        <label htmlFor="sign-website">Leave this empty</label>
        <input id="sign-website" name="website" type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
      </div>
      <label className="check">
        <input type="checkbox" name="listPublicly" defaultChecked={values.listPublicly === 'on'} />
        <span>{LIST_PUBLICLY_TEXT}</span>
      </label>
      <label className="check">
        <input type="checkbox" name="showName" defaultChecked={values.showName === 'on'} />
        <span>{SHOW_NAME_TEXT}</span>
      </label>
      <label className="check">
        <input type="checkbox" name="wantsUpdates" defaultChecked={values.wantsUpdates === 'on'} />
        <span>Email me updates about this campaign.</span>
      </label>
      {partner ? (
        <>
          <input type="hidden" name="via" value={partner.slug} />
          <label className="check">
            <input type="checkbox" name="shareWithPartner" defaultChecked={values.shareWithPartner === 'on'} />
            <span>Share my name and email with {partner.name}</span>
          </label>
        </>
      ) : null}
      <div className={errors.consent ? 'field invalid' : 'field'}>
        <label className="check">
          <input type="checkbox" name="consent" defaultChecked={values.consent === 'on'} aria-describedby={describedBy('consent')} required />
          <span className="consent">{CONSENT_TEXT}</span>
        </label>
        {errors.consent ? (
          <p className="error" id="sign-consent-error">
            {errors.consent}
          </p>
        ) : null}
      </div>
      <button type="submit" disabled={busy}>
        {busy ? 'Signing…' : 'Sign'}
      </button>
      <p className="hint">
        We will email you a link to confirm your signature. <Link to="/privacy">What we store, who sees it and how to be removed</Link>.
      </p>
    </Form>
  );
}
