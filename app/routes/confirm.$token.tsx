import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { confirmationExpired } from '../models/confirmation.server.ts';
import { confirmSignature, findSignatureByToken, requestNewConfirmationLink } from '../models/signature.server.ts';
import { thankYouCookie } from '../models/thank-you.server.ts';
import { env } from '../utils/env.server.ts';
import { isDatabaseUnavailable, serviceUnavailable } from '../utils/http.server.ts';

export const meta: MetaFunction = () => [{ title: 'Confirm your signature — Chorus' }, { name: 'robots', content: 'noindex' }];

const NOT_FOUND =
  'This confirmation link is not valid. Please check that you copied the whole link from the email. ' +
  'Signatures that are not confirmed are deleted after a while: if yours was, you can sign again on the campaign page.';

// Opening the link only shows a button: mail scanners follow links, and must not confirm for anyone.
export async function loader({ params }: LoaderFunctionArgs) {
  try {
    const signature = await findSignatureByToken(params.token ?? '');
    if (!signature) throw data({ message: NOT_FOUND }, { status: 404 });
    const confirmed = signature.status === 'CONFIRMED';
    return {
      firstName: signature.fullName.split(' ')[0],
      campaign: { title: signature.campaign.title, slug: signature.campaign.slug },
      confirmed,
      expired: !confirmed && confirmationExpired(signature.confirmationRequestedAt),
      linkDays: env().CONFIRMATION_LINK_DAYS,
    };
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw serviceUnavailable('We cannot confirm signatures right now. Please open the link again in a few minutes.');
    throw error;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? '';
  try {
    // Scanners and old pages may POST without a body: that is a plain confirmation.
    const form = await request.formData().catch(() => new FormData());
    if (form.get('intent') === 'new-link') {
      const outcome = await requestNewConfirmationLink(token);
      if (outcome === 'unknown') throw data({ message: NOT_FOUND }, { status: 404 });
      return { newLink: outcome };
    }
    const result = await confirmSignature(token);
    if (!result.ok && result.reason === 'unknown') throw data({ message: NOT_FOUND }, { status: 404 });
    if (!result.ok && result.reason === 'expired') return data({ newLink: null, expired: true }, { status: 410 });
    if (!result.ok) {
      throw data({ message: 'This campaign closed before your signature was confirmed, so it could not be counted.' }, { status: 409 });
    }
    // The thank-you page shows the signer's own removal link, carried there in a short-lived cookie.
    return redirect(`/c/${result.campaign.slug}/thank-you`, {
      status: 303,
      headers: { 'Set-Cookie': await thankYouCookie(result.campaign.slug, result.signatureId) },
    });
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      throw serviceUnavailable('Your signature was NOT confirmed: our database is not answering. Please open the link again in a few minutes.');
    }
    throw error;
  }
}

const NEW_LINK_TEXT = {
  sent: 'We have emailed you a new link. Please open it and press the button there. This old link no longer works.',
  'recently-sent': 'We emailed you a new link a few minutes ago. Please look in your inbox (and spam folder); you can ask again a little later.',
  'not-pending': 'Your signature is already confirmed: there is nothing more to do.',
} as const;

export default function Confirm() {
  const { firstName, campaign, confirmed, expired, linkDays } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  if (result?.newLink) {
    return (
      <section className="notice" role="status">
        <h1>{result.newLink === 'not-pending' ? 'Already confirmed' : 'Check your inbox'}</h1>
        <p>{NEW_LINK_TEXT[result.newLink]}</p>
      </section>
    );
  }
  if (expired) {
    return (
      <section className="notice">
        <h1>This confirmation link has expired</h1>
        <p>
          {firstName}, confirmation links work for {linkDays} days, and this one is older, so your signature on{' '}
          <strong>{campaign.title}</strong> is not counted yet. We can email you a new link.
        </p>
        <Form method="post">
          <input type="hidden" name="intent" value="new-link" />
          <button type="submit" disabled={busy}>
            Email me a new link
          </button>
        </Form>
      </section>
    );
  }
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
          <input type="hidden" name="intent" value="confirm" />
          <button type="submit" disabled={busy}>
            Confirm my signature
          </button>
        </Form>
      )}
    </section>
  );
}
