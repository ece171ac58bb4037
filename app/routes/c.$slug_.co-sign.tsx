import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { CoSignRefusedError, campaignForCoSigning, coSign } from '../models/co-signature.server.ts';
import { INVITE_MESSAGES, checkInvite } from '../models/partner-invitation.server.ts';
import { clientIp, isDatabaseUnavailable, serviceUnavailable } from '../utils/http.server.ts';
import { COUNTRIES } from '../validation/countries.ts';
import { CO_SIGN_CONSENT_TEXT, PARTNER_LIMITS, coSignSchema } from '../validation/partner.ts';
import { fieldErrors } from '../validation/forms.ts';
import { FormError, SelectField, TextArea, TextField } from '../components/forms.tsx';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Co-sign: ${data.campaign.title} — Chorus` : 'Co-sign — Chorus' },
  { name: 'robots', content: 'noindex' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const campaign = await campaignForCoSigning(params.slug ?? '');
    if (!campaign) throw data({ message: 'We could not find this campaign. It may have been moved or removed.' }, { status: 404 });
    const invite = new URL(request.url).searchParams.get('invite');
    const inviteState = invite ? await checkInvite(campaign.id, invite) : null;
    return {
      campaign,
      // Only a usable invitation travels on with the form; otherwise the partner may co-sign without it.
      invite: inviteState === 'valid' ? invite : null,
      inviteMessage: inviteState && inviteState !== 'valid' ? INVITE_MESSAGES[inviteState] : null,
    };
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw serviceUnavailable('This page cannot be shown right now. Please try again in a minute.');
    throw error;
  }
}

type Values = Partial<Record<string, string>>;
type ActionResult =
  | { sent: false; errors: Partial<Record<string, string>>; values: Values }
  | { sent: true; email: string; name: string; invited: boolean };

const FIELDS = [
  'kind',
  'name',
  'title',
  'affiliation',
  'country',
  'website',
  'contactEmail',
  'representativeName',
  'logoUrl',
  'supportLine',
  'consent',
  'invite',
] as const;

export async function action({ request, params, context }: ActionFunctionArgs) {
  const slug = params.slug ?? '';
  const form = await request.formData();
  const values: Record<string, string> = {};
  for (const key of FIELDS) {
    const v = form.get(key);
    if (typeof v === 'string') values[key] = v.slice(0, 5_000);
  }
  // Bots fill every field; people never see this one. Nothing is stored for them.
  if (String(form.get('fax') ?? '') !== '') {
    return { sent: true, email: values.contactEmail ?? '', name: values.name ?? '', invited: false } satisfies ActionResult;
  }

  const parsed = coSignSchema.safeParse(values);
  if (!parsed.success) return data<ActionResult>({ sent: false, errors: fieldErrors(parsed.error), values }, { status: 400 });

  try {
    const outcome = await coSign(slug, parsed.data, { inviteToken: values.invite || null, ip: clientIp(context) });
    return { sent: true, email: parsed.data.contactEmail, name: outcome.partnerName, invited: outcome.invited } satisfies ActionResult;
  } catch (error) {
    if (error instanceof CoSignRefusedError) {
      return data<ActionResult>({ sent: false, errors: { form: error.message }, values }, { status: error.status });
    }
    console.error(`[co-sign] not recorded: ${(error as Error).message}`);
    const message = isDatabaseUnavailable(error)
      ? 'Your co-signature was NOT recorded: our database is not answering. Please try again in a few minutes.'
      : 'Your co-signature was NOT recorded because of an error on our side. Please try again in a few minutes.';
    return data<ActionResult>({ sent: false, errors: { form: message }, values }, { status: 503, headers: { 'Retry-After': '60' } });
  }
}

export default function CoSign() {
  const { campaign, invite, inviteMessage } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';

  if (result?.sent) {
    return (
      <section className="notice">
        <h1>Check your email</h1>
        <p>
          We have sent a link to <strong>{result.email}</strong>. Open it and press Confirm to confirm the co-signature of{' '}
          <strong>{result.name}</strong>.
        </p>
        <p>
          {result.invited
            ? 'You were invited by the organisers, so your co-signature appears on the statement as soon as you confirm it.'
            : 'Once you confirm it, the organisers review your co-signature before it appears on the statement.'}
        </p>
        <p className="hint">Keep the email: it also holds your private link to see the status, your tracking link, or to withdraw.</p>
        <p>
          <Link to={`/c/${campaign.slug}`}>Back to the statement</Link>
        </p>
      </section>
    );
  }

  const errors = result?.errors ?? {};
  const values: Values = result?.values ?? { kind: 'ORGANISATION' };
  const open = campaign.status === 'PUBLISHED';
  return (
    <section className="notice co-sign">
      <p className="hint">
        <Link to={`/c/${campaign.slug}`}>{campaign.title}</Link>
      </p>
      <h1>Co-sign this statement</h1>
      <p>
        Organisations and public figures can add their name to <strong>{campaign.title}</strong>. We will email the contact address
        a link to confirm.
      </p>
      {!open ? (
        <p role="alert">This statement is no longer open for co-signatures.</p>
      ) : (
        <>
          {invite ? (
            <p className="flash" role="status">
              You were invited by the organisers: once you confirm your email address, your co-signature appears on the statement
              without further approval.
            </p>
          ) : null}
          {inviteMessage ? (
            <p className="form-error" role="alert">
              {inviteMessage}
            </p>
          ) : null}
          <Form method="post" noValidate aria-label="Co-sign this statement" className="co-sign-form">
            <FormError errors={errors} />
            {invite ? <input type="hidden" name="invite" value={invite} /> : null}
            <fieldset className={errors.kind ? 'field invalid' : 'field'}>
              <legend>I co-sign as</legend>
              <label className="check">
                <input type="radio" name="kind" value="ORGANISATION" defaultChecked={values.kind !== 'INDIVIDUAL'} />
                <span>An organisation</span>
              </label>
              <label className="check">
                <input type="radio" name="kind" value="INDIVIDUAL" defaultChecked={values.kind === 'INDIVIDUAL'} />
                <span>An individual (for example a lawyer, journalist or public figure)</span>
              </label>
              {errors.kind ? <p className="error">{errors.kind}</p> : null}
            </fieldset>
            <TextField idPrefix="cs-" name="name" label="Name of the organisation, or your full name" values={values} errors={errors} maxLength={PARTNER_LIMITS.name} />
            <div className="only-individual">
              <TextField
                idPrefix="cs-"
                name="title"
                label="Your title (individuals)"
                hint='For example "Civil activist" or "Human-rights lawyer".'
                values={values}
                errors={errors}
                maxLength={PARTNER_LIMITS.title}
              />
              <TextField
                idPrefix="cs-"
                name="affiliation"
                label="Affiliation (individuals, optional)"
                hint='For example "head of a civil-initiatives foundation".'
                values={values}
                errors={errors}
                maxLength={PARTNER_LIMITS.affiliation}
              />
            </div>
            <SelectField
              idPrefix="cs-"
              name="country"
              label="Country"
              placeholder="Choose…"
              options={COUNTRIES.map((c) => ({ value: c.code, label: c.name }))}
              values={values}
              errors={errors}
            />
            <TextField idPrefix="cs-" name="website" label="Website (optional)" type="url" hint="Starting with https://" values={values} errors={errors} maxLength={PARTNER_LIMITS.url} />
            <TextField
              idPrefix="cs-"
              name="contactEmail"
              label="Contact email"
              type="email"
              autoComplete="email"
              hint="Never shown publicly. We send the confirmation link here."
              values={values}
              errors={errors}
              maxLength={PARTNER_LIMITS.email}
            />
            <div className="only-organisation">
              <TextField
                idPrefix="cs-"
                name="representativeName"
                label="Representative's name (organisations)"
                hint="The person who co-signs on the organisation's behalf; not shown publicly."
                values={values}
                errors={errors}
                maxLength={PARTNER_LIMITS.representativeName}
              />
              <TextField idPrefix="cs-" name="logoUrl" label="Logo address (organisations, optional)" type="url" hint="A link to an image, starting with https://" values={values} errors={errors} maxLength={PARTNER_LIMITS.url} />
            </div>
            {/* rows={2}: the browser's default height, as before the shared TextArea. */}
            <TextArea idPrefix="cs-" name="supportLine" label="A line of support (optional)" rows={2} values={values} errors={errors} maxLength={PARTNER_LIMITS.supportLine} />
            <div className="hp" aria-hidden="true">
              <label htmlFor="cs-fax">Leave this empty</label>
              <input id="cs-fax" name="fax" type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
            </div>
            <div className={errors.consent ? 'field invalid' : 'field'}>
              <label className="check">
                <input type="checkbox" name="consent" defaultChecked={values.consent === 'on'} aria-describedby={errors.consent ? 'cs-consent-error' : undefined} />
                <span className="consent">
                  {CO_SIGN_CONSENT_TEXT} The name, country, website, title, affiliation,
                  logo and line of support are shown publicly once the co-signature is confirmed
                  {invite ? '' : ' and approved by the organisers'}.
                </span>
              </label>
              {errors.consent ? (
                <p className="error" id="cs-consent-error">
                  {errors.consent}
                </p>
              ) : null}
            </div>
            <button type="submit" disabled={busy}>
              {busy ? 'Sending…' : 'Co-sign'}
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
