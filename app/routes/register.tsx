import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData } from '@remix-run/react';
import { requestSignInLink } from '../models/user.server.ts';
import { getUser } from '../guards/auth.server.ts';
import { clientIp } from '../utils/http.server.ts';
import { fieldErrors } from '../validation/forms.ts';
import { registerSchema } from '../validation/account.ts';

export const meta: MetaFunction = () => [{ title: 'Register as an organiser — Chorus' }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect('/dashboard');
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = Object.fromEntries(await request.formData());
  const values = { email: String(form.email ?? ''), name: String(form.name ?? '') };
  const parsed = registerSchema.safeParse(form);
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values, sent: false }, { status: 400 });
  await requestSignInLink({ ...parsed.data, register: true }, clientIp(context));
  return { errors: {}, values, sent: true };
}

export default function Register() {
  const result = useActionData<typeof action>();
  if (result?.sent) {
    return (
      <section className="notice">
        <h1>Check your email</h1>
        <p>
          We sent a sign-in link to <strong>{result.values.email}</strong>. It works once, for 15 minutes.
        </p>
      </section>
    );
  }
  const errors = (result?.errors ?? {}) as Record<string, string | undefined>;
  return (
    <section className="notice">
      <h1>Register as an organiser</h1>
      <p>Organisers launch and run campaigns. You sign in with a link sent by email.</p>
      <Form method="post" noValidate>
        <div className={errors.name ? 'field invalid' : 'field'}>
          <label htmlFor="name">Your name</label>
          <input id="name" name="name" type="text" autoComplete="name" maxLength={120} defaultValue={result?.values.name} aria-invalid={!!errors.name} />
          {errors.name ? <p className="error">{errors.name}</p> : null}
        </div>
        <div className={errors.email ? 'field invalid' : 'field'}>
          <label htmlFor="email">Email</label>
          <input id="email" name="email" type="email" autoComplete="email" defaultValue={result?.values.email} aria-invalid={!!errors.email} />
          {errors.email ? <p className="error">{errors.email}</p> : null}
        </div>
        <button type="submit">Register and email me a sign-in link</button>
      </Form>
      <p className="hint">
        Already registered? <Link to="/sign-in">Sign in</Link>.
      </p>
    </section>
  );
}
