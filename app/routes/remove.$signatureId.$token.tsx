import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { findRemoval, removeOwnSignature } from '../models/signature-removal.server.ts';
import { isDatabaseUnavailable, serviceUnavailable } from '../utils/http.server.ts';

// The personal removal link in every signer email and on the thank-you page. Opening it only shows
// a button (mail scanners follow links and must not remove anyone); only the POST removes.

export const meta: MetaFunction = () => [{ title: 'Remove your signature — Chorus' }, { name: 'robots', content: 'noindex' }];

// The link is the signer's key: it must not travel on to other sites, nor sit in a shared cache.
export const headers = () => ({ 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'private, no-store' });

const NOT_FOUND = 'This removal link is not valid. Please check that you opened the whole link from the email.';

export async function loader({ params }: LoaderFunctionArgs) {
  try {
    const found = await findRemoval(params.signatureId ?? '', params.token ?? '');
    if (!found.found) throw data({ message: NOT_FOUND }, { status: 404 });
    return { campaign: found.signature?.campaign ?? null };
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw serviceUnavailable('We cannot show this page right now. Please open the link again in a few minutes.');
    throw error;
  }
}

export async function action({ params }: ActionFunctionArgs) {
  try {
    const result = await removeOwnSignature(params.signatureId ?? '', params.token ?? '');
    if (!result) throw data({ message: NOT_FOUND }, { status: 404 });
    return { removed: true as const, campaign: result.campaign };
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      throw serviceUnavailable('Your signature was NOT removed: our database is not answering. Please try again in a few minutes.');
    }
    throw error;
  }
}

export default function RemoveSignature() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const campaign = result?.campaign ?? loaded.campaign;
  if (result?.removed || !loaded.campaign) {
    return (
      <section className="notice" role="status">
        <h1>Your signature is removed</h1>
        <p>
          {campaign ? (
            <>
              Your signature on <strong>{campaign.title}</strong> is deleted, with your name, email address, city and comment.
            </>
          ) : (
            <>There is no signature for this link any more: it has been removed.</>
          )}{' '}
          It no longer counts, and it will not be sent to anyone again. Letters already delivered cannot be called back; the campaign
          page shows them only as numbers.
        </p>
        <p>
          <Link to="/privacy">How Chorus handles your data</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="notice">
      <h1>Remove your signature</h1>
      <p>
        You signed <strong>{loaded.campaign.title}</strong>. Removing your signature deletes your name, email address, city and comment
        from Chorus. It stops counting and you will get no more updates about this campaign. This cannot be undone, but you can sign
        again later.
      </p>
      <Form method="post">
        <button type="submit" disabled={busy}>
          Remove my signature
        </button>
      </Form>
      <p>
        <Link to={`/c/${loaded.campaign.slug}`}>Back to the campaign</Link>
      </p>
    </section>
  );
}
