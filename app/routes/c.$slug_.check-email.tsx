import type { MetaFunction } from '@remix-run/node';
import { Link, useParams } from '@remix-run/react';

export const meta: MetaFunction = () => [{ title: 'Check your inbox — Chorus' }, { name: 'robots', content: 'noindex' }];

// The same page for a first signature, a repeat, and a bot: it reveals nothing about who has signed.
export default function CheckEmail() {
  const { slug } = useParams();
  return (
    <section className="notice">
      <h1>Check your inbox</h1>
      <p>
        We have sent you an email with a link to confirm your signature. Your signature counts once you confirm it.
      </p>
      <p className="hint">
        Nothing there after a few minutes? Look in your spam folder. You can submit the form again to have the email sent once
        more (at most once every 10 minutes).
      </p>
      <p>
        <Link to={`/c/${slug}`}>Back to the campaign</Link>
      </p>
    </section>
  );
}
