import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useLoaderData, useNavigation } from '@remix-run/react';
import { confirmSignature, findSignatureByToken } from '../models/signature.server.ts';
import { isDatabaseUnavailable, serviceUnavailable } from '../utils/http.server.ts';

export const meta: MetaFunction = () => [{ title: 'Confirm your signature — Chorus' }, { name: 'robots', content: 'noindex' }];

const NOT_FOUND = 'This confirmation link is not valid. Please check that you copied the whole link from the email.';

// Opening the link only shows a button: mail scanners follow links, and must not confirm for anyone.
export async function loader({ params }: LoaderFunctionArgs) {
  try {
    const signature = await findSignatureByToken(params.token ?? '');
    if (!signature) throw data({ message: NOT_FOUND }, { status: 404 });
    return {
      firstName: signature.fullName.split(' ')[0],
      campaign: { title: signature.campaign.title, slug: signature.campaign.slug },
      confirmed: signature.status === 'CONFIRMED',
    };
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw serviceUnavailable('We cannot confirm signatures right now. Please open the link again in a few minutes.');
    throw error;
  }
}

export async function action({ params }: ActionFunctionArgs) {
  try {
    const result = await confirmSignature(params.token ?? '');
    if (!result.ok && result.reason === 'unknown') throw data({ message: NOT_FOUND }, { status: 404 });
    if (!result.ok) {
      throw data({ message: 'This campaign closed before your signature was confirmed, so it could not be counted.' }, { status: 409 });
    }
    return redirect(`/c/${result.campaign.slug}/thank-you`, 303);
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      throw serviceUnavailable('Your signature was NOT confirmed: our database is not answering. Please open the link again in a few minutes.');
    }
    throw error;
  }
}

export default function Confirm() {
  const { firstName, campaign, confirmed } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === 'submitting';
  return (
    <section className="notice">
      <h1>{confirmed ? 'Your signature is already confirmed' : 'Confirm your signature'}</h1>
      <p>
        {firstName}, {confirmed ? 'you have signed' : 'you are about to sign'} <strong>{campaign.title}</strong>.
      </p>
      {confirmed ? (
        <p>
          <a href={`/c/${campaign.slug}`}>Back to the campaign</a>
        </p>
      ) : (
        <Form method="post">
          <button type="submit" disabled={busy}>
            Confirm my signature
          </button>
        </Form>
      )}
    </section>
  );
}
