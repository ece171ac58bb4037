import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { findUnsubscribe, unsubscribe } from '../models/update.server.ts';
import { isDatabaseUnavailable, serviceUnavailable } from '../utils/http.server.ts';

// The unsubscribe link in every update. Opening it only shows a button (mail scanners follow links);
// the button POSTs. Mail providers' RFC 8058 one-click POST (`List-Unsubscribe=One-Click`, no
// cookies, no form token) reaches the same action and gets a 200: the token in the URL is the proof.

export const meta: MetaFunction = () => [{ title: 'Unsubscribe from updates — Chorus' }, { name: 'robots', content: 'noindex' }];

const NOT_FOUND =
  'This unsubscribe link is not valid. Please check that you opened the whole link from the email, or use the link in a more recent update.';

export async function loader({ params }: LoaderFunctionArgs) {
  try {
    const found = await findUnsubscribe(params.signatureId ?? '', params.token ?? '');
    if (!found) throw data({ message: NOT_FOUND }, { status: 404 });
    return { campaign: found.campaign, unsubscribed: found.unsubscribed };
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw serviceUnavailable('We cannot show this page right now. Please open the link again in a few minutes.');
    throw error;
  }
}

export async function action({ params }: ActionFunctionArgs) {
  try {
    const result = await unsubscribe(params.signatureId ?? '', params.token ?? '');
    if (!result) throw data({ message: NOT_FOUND }, { status: 404 });
    return { done: true as const, campaign: result.campaign };
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      throw serviceUnavailable('You are NOT unsubscribed yet: our database is not answering. Please try again in a few minutes.');
    }
    throw error;
  }
}

export default function Unsubscribe() {
  const { campaign, unsubscribed } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>()?.done || unsubscribed;
  const busy = useNavigation().state === 'submitting';
  if (done) {
    return (
      <section className="notice" role="status">
        <h1>You are unsubscribed</h1>
        <p>
          You will not receive any more updates about <strong>{campaign.title}</strong>. Your signature still counts.
        </p>
        <p>
          <a href={`/c/${campaign.slug}`}>Back to the campaign</a>
        </p>
      </section>
    );
  }
  return (
    <section className="notice">
      <h1>Unsubscribe from updates about {campaign.title}</h1>
      <p>You signed this campaign and asked for updates about it. Press the button to stop them. Your signature still counts.</p>
      <Form method="post">
        <button type="submit" disabled={busy}>
          Unsubscribe
        </button>
      </Form>
    </section>
  );
}
