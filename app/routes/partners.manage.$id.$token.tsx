import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { partnerLinks } from '../models/partner-link.server.ts';
import { partnerDashboard, withdrawCoSignature } from '../models/partner-manage.server.ts';
import { isDatabaseUnavailable, serviceUnavailable } from '../utils/http.server.ts';
import { CO_SIGNATURE_STATUS_TEXT } from '../validation/partner.ts';
import { formatDateTime } from '../utils/dates.ts';

export const meta: MetaFunction = () => [{ title: 'Your co-signature — Chorus' }, { name: 'robots', content: 'noindex' }];

// The secret link is the partner's only key: never let it travel on to other sites.
export const headers = () => ({ 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'private, no-store' });

const NOT_FOUND = 'This link is not valid. Please check that you copied the whole link from the email.';

export async function loader({ params }: LoaderFunctionArgs) {
  try {
    const id = params.id ?? '';
    const dashboard = await partnerDashboard(id, params.token ?? '');
    if (!dashboard) throw data({ message: NOT_FOUND }, { status: 404 });
    const { managePath, verifyPath } = partnerLinks(id, dashboard.linkVersion);
    return { ...dashboard, managePath, verifyPath };
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw serviceUnavailable('This page cannot be shown right now. Please try again in a minute.');
    throw error;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  if (form.get('intent') !== 'withdraw') return data({ error: 'Unknown action.' }, { status: 400 });
  if (form.get('confirm') !== 'on') return data({ error: 'Please tick the box to confirm that you want to withdraw.' }, { status: 400 });
  try {
    const id = params.id ?? '';
    if (!(await withdrawCoSignature(id, params.token ?? ''))) throw data({ message: NOT_FOUND }, { status: 404 });
    return redirect(`/partners/manage/${encodeURIComponent(id)}/${encodeURIComponent(params.token ?? '')}?withdrawn=1`, 303);
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      throw serviceUnavailable('Your co-signature was NOT withdrawn: our database is not answering. Please try again in a few minutes.');
    }
    throw error;
  }
}

export default function ManageCoSignature() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  const status = CO_SIGNATURE_STATUS_TEXT[d.coSignature.status] ?? { label: d.coSignature.status, explanation: '' };
  const withdrawn = d.coSignature.status === 'WITHDRAWN';
  return (
    <section className="notice">
      {search.get('confirmed') ? (
        <p className="flash" role="status">
          Thank you: the co-signature is confirmed.
        </p>
      ) : null}
      {search.get('withdrawn') && withdrawn ? (
        <p className="flash" role="status">
          The co-signature is withdrawn.
        </p>
      ) : null}
      <h1>{d.partner.name}</h1>
      <p>
        Co-signatory of <Link to={`/c/${d.campaign.slug}`}>{d.campaign.title}</Link>.
      </p>
      <p>
        Status: <strong data-testid="co-signature-status">{status.label}</strong>. {status.explanation}
      </p>
      {d.coSignature.status === 'UNVERIFIED' ? (
        <p>
          <Link to={d.verifyPath}>Confirm the co-signature</Link>
        </p>
      ) : null}
      <table className="data">
        <tbody>
          <tr>
            <th>Submitted</th>
            <td>{formatDateTime(d.coSignature.createdAt)}</td>
          </tr>
          <tr>
            <th>Confirmed</th>
            <td>{formatDateTime(d.coSignature.verifiedAt)}</td>
          </tr>
          <tr>
            <th>Decided</th>
            <td>{formatDateTime(d.coSignature.decidedAt)}</td>
          </tr>
          {d.coSignature.withdrawnAt ? (
            <tr>
              <th>Withdrawn</th>
              <td>{formatDateTime(d.coSignature.withdrawnAt)}</td>
            </tr>
          ) : null}
        </tbody>
      </table>

      {d.coSignature.status === 'APPROVED' ? (
        <>
          <h2>Your tracking link</h2>
          <p>Share this link with your supporters. Signatures that come through it are counted for you.</p>
          <p>
            <code data-testid="tracking-link">{d.trackingUrl}</code>
          </p>
          <p>
            Your public page: <a href={d.partnerPageUrl}>{d.partnerPageUrl}</a>
          </p>
        </>
      ) : null}

      <h2>Signatures you brought</h2>
      <p>
        <strong data-testid="brought-count">{d.broughtConfirmed}</strong> confirmed {d.broughtConfirmed === 1 ? 'signature' : 'signatures'}{' '}
        came through your link; <strong>{d.sharedWithPartner}</strong> of these signers agreed to share their name and email with you.
      </p>
      {d.canExport ? (
        <p>
          <a className="button secondary" href={`${d.managePath}/export`} download>
            Download them as CSV
          </a>
        </p>
      ) : null}

      {!withdrawn ? (
        <>
          <h2>Withdraw</h2>
          <p>Take your name off the statement. This cannot be undone from this page.</p>
          <Form method="post">
            <input type="hidden" name="intent" value="withdraw" />
            <label className="check">
              <input type="checkbox" name="confirm" />
              <span>Yes, withdraw the co-signature of {d.partner.name}.</span>
            </label>
            {result?.error ? (
              <p className="error" role="alert">
                {result.error}
              </p>
            ) : null}
            <button type="submit" className="secondary" disabled={busy}>
              Withdraw the co-signature
            </button>
          </Form>
        </>
      ) : null}
    </section>
  );
}
