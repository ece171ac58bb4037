import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { requestSignInLink } from '../models/user.server.ts';
import { getUser, safeRedirect } from '../guards/auth.server.ts';
import { clientIp } from '../utils/http.server.ts';
import { fieldErrors } from '../validation/forms.ts';
import { signInSchema } from '../validation/account.ts';

export const meta: MetaFunction = () => [{ title: 'Sign in — Chorus' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get('redirectTo'));
  if (await getUser(request)) throw redirect(redirectTo);
  return { redirectTo };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = Object.fromEntries(await request.formData());
  const parsed = signInSchema.safeParse(form);
  if (!parsed.success) {
    return data({ errors: fieldErrors(parsed.error), values: { email: String(form.email ?? '') }, sent: false }, { status: 400 });
  }
  await requestSignInLink({ email: parsed.data.email, register: false }, clientIp(context));
  // The same answer whether or not the address has an account, or was rate-limited.
  return { errors: {}, values: { email: parsed.data.email }, sent: true };
}

export default function SignIn() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result?.sent) {
    return (
      <section className="notice">
        <h1>Check your email</h1>
        <p>
          If <strong>{result.values.email}</strong> has a Chorus organiser account, a sign-in link is on its way. It works once,
          for 15 minutes.
        </p>
        <p className="hint">
          No account yet? <Link to="/register">Register as an organiser</Link>.
        </p>
      </section>
    );
  }
  const errors = (result?.errors ?? {}) as Record<string, string | undefined>;
  return (
    <section className="notice">
      <h1>Sign in</h1>
      <p>Organisers sign in with a link sent by email. No password needed.</p>
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <div className={errors.email ? 'field invalid' : 'field'}>
          <label htmlFor="email">Email</label>
          <input id="email" name="email" type="email" autoComplete="email" defaultValue={result?.values.email} aria-invalid={!!errors.email} aria-describedby={errors.email ? 'email-error' : undefined} />
          {errors.email ? (
            <p className="error" id="email-error">
              {errors.email}
            </p>
          ) : null}
        </div>
        <button type="submit">Email me a sign-in link</button>
      </Form>
      <p className="hint">
        New here? <Link to="/register">Register as an organiser</Link>.
      </p>
    </section>
  );
}
