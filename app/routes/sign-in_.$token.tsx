import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { consumeLoginToken, findLoginToken, signInEmailOf } from '../models/user.server.ts';
import { serializeSessionId } from '../utils/session.server.ts';

export const meta: MetaFunction = () => [{ title: 'Sign in — Chorus' }, { name: 'robots', content: 'noindex' }];

const MESSAGES = {
  invalid: 'This sign-in link is not valid. Please ask for a new one.',
  expired: 'This sign-in link has expired (links work for 15 minutes). Please ask for a new one.',
  used: 'This sign-in link has already been used. Please ask for a new one.',
};

// Opening the link shows a button; only the POST signs in, so link scanners cannot use it up.
export async function loader({ params }: LoaderFunctionArgs) {
  const token = await findLoginToken(params.token ?? '');
  const email = token ? signInEmailOf(token) : null;
  if (!token || !email) return { usable: false, message: MESSAGES.invalid, email: null };
  if (token.usedAt) return { usable: false, message: MESSAGES.used, email: null };
  if (token.expiresAt.getTime() < Date.now()) return { usable: false, message: MESSAGES.expired, email: null };
  return { usable: true, message: null, email };
}

export async function action({ params }: ActionFunctionArgs) {
  const result = await consumeLoginToken(params.token ?? '');
  if (!result.ok) return data({ error: MESSAGES[result.reason] }, { status: 400 });
  return redirect('/dashboard', { headers: { 'Set-Cookie': await serializeSessionId(result.sessionId) } });
}

export default function SignInWithToken() {
  const { usable, message, email } = useLoaderData<typeof loader>();
  return (
    <section className="notice">
      <h1>Sign in to Chorus</h1>
      {usable ? (
        <>
          <p>
            Signing in as <strong>{email}</strong>.
          </p>
          <Form method="post">
            <button type="submit">Sign in</button>
          </Form>
        </>
      ) : (
        <>
          <p role="alert">{message}</p>
          <p>
            <Link to="/sign-in">Ask for a new sign-in link</Link>
          </p>
        </>
      )}
    </section>
  );
}
