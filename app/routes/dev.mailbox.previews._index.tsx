import { Link, useLoaderData } from '@remix-run/react';
import { assertDevMailbox } from '../guards/dev-mailbox.server.ts';
import { EMAIL_PREVIEWS } from '../../emails/previews.server.ts';

// Development only, like the mailbox: every kind of email rendered from sample data, nothing sent.
export async function loader() {
  assertDevMailbox();
  return { previews: EMAIL_PREVIEWS.map(({ kind, description }) => ({ kind, description })) };
}

export default function EmailPreviews() {
  const { previews } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/dev/mailbox">← Mailbox</Link>
      </p>
      <h1>Email previews</h1>
      <p className="hint">Each kind of email Chorus sends, rendered from sample data by its template (emails/). Nothing is sent.</p>
      <ul>
        {previews.map((p) => (
          <li key={p.kind}>
            <Link to={`/dev/mailbox/previews/${p.kind}`}>{p.kind}</Link>: {p.description}
          </li>
        ))}
      </ul>
    </>
  );
}
