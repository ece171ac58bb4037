import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react';
import { findCoSignatureByToken, partnerLinks } from '../models/partner-link.server.ts';
import { verifyCoSignature } from '../models/partner-verification.server.ts';
import { isDatabaseUnavailable, serviceUnavailable } from '../utils/http.server.ts';
import { CO_SIGNATURE_STATUS_TEXT } from '../validation/partner.ts';

export const meta: MetaFunction = () => [{ title: 'Confirm your co-signature — Chorus' }, { name: 'robots', content: 'noindex' }];

const NOT_FOUND = 'This confirmation link is not valid. Please check that you copied the whole link from the email.';

// Opening the link only shows a button: mail scanners follow links and must not confirm for anyone.
export async function loader({ params }: LoaderFunctionArgs) {
  try {
    const found = await findCoSignatureByToken(params.id ?? '', params.token ?? '');
    if (!found) throw data({ message: NOT_FOUND }, { status: 404 });
    return {
      partnerName: found.partner.name,
      campaign: { title: found.campaign.title, slug: found.campaign.slug },
      status: found.status,
      invited: found.inviteId !== null,
      managePath: partnerLinks(found.id, found.linkVersion).managePath,
    };
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw serviceUnavailable('We cannot confirm co-signatures right now. Please open the link again in a few minutes.');
    throw error;
  }
}

export async function action({ params }: ActionFunctionArgs) {
  try {
    const id = params.id ?? '';
    const result = await verifyCoSignature(id, params.token ?? '');
    if (!result.ok) throw data({ message: NOT_FOUND }, { status: 404 });
    // The same token opens the manage page: it is derived from the same id and link version.
    return redirect(`/partners/manage/${encodeURIComponent(id)}/${encodeURIComponent(params.token ?? '')}?confirmed=1`, 303);
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      throw serviceUnavailable('Your co-signature was NOT confirmed: our database is not answering. Please open the link again in a few minutes.');
    }
    throw error;
  }
}

export default function VerifyCoSignature() {
  const { partnerName, campaign, status, invited, managePath } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === 'submitting';
  const unverified = status === 'UNVERIFIED';
  return (
    <section className="notice">
      <h1>{unverified ? 'Confirm the co-signature' : 'This co-signature is already confirmed'}</h1>
      <p>
        <strong>{partnerName}</strong> {unverified ? 'is about to co-sign' : 'co-signed'} <strong>{campaign.title}</strong>.
      </p>
      {unverified ? (
        <>
          <p>
            {invited
              ? 'You were invited by the organisers: once you confirm, the co-signature appears on the statement.'
              : 'Once you confirm, the organisers review the co-signature before it appears on the statement.'}
          </p>
          <Form method="post">
            <button type="submit" disabled={busy}>
              Confirm
            </button>
          </Form>
        </>
      ) : (
        <p>
          Status: <strong>{CO_SIGNATURE_STATUS_TEXT[status]?.label ?? status}</strong>. <Link to={managePath}>Manage your co-signature</Link>
        </p>
      )}
    </section>
  );
}
