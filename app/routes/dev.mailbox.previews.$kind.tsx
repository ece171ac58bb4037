import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { assertDevMailbox } from '../guards/dev-mailbox.server.ts';
import { findPreview } from '../../emails/previews.server.ts';
import { env } from '../utils/env.server.ts';

export async function loader({ params }: LoaderFunctionArgs) {
  assertDevMailbox();
  const preview = findPreview(params.kind ?? '');
  if (!preview) throw data({ message: 'No such kind of email.' }, { status: 404 });
  const mail = preview.render(env().PUBLIC_URL);
  return {
    kind: preview.kind,
    description: preview.description,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    headers: { ...(mail.replyTo ? { 'Reply-To': mail.replyTo } : {}), ...mail.headers } as Record<string, string>,
    attachment: mail.csv ? { filename: mail.csvFilename ?? 'attachment.csv', content: mail.csv } : null,
  };
}

export default function EmailPreview() {
  const mail = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/dev/mailbox/previews">← Email previews</Link>
      </p>
      <h1>{mail.subject}</h1>
      <p className="hint">
        {mail.kind}: {mail.description} Rendered from sample data.
      </p>
      {Object.keys(mail.headers).length ? (
        <dl aria-label="Headers">
          {Object.entries(mail.headers).map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>
                <code>{value}</code>
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      {/* The HTML part is shown in a sandbox: no scripts, no access to this page. */}
      <iframe className="mail-body" title="Email" sandbox="allow-popups allow-top-navigation-by-user-activation" srcDoc={mail.html} />
      <h2>Plain-text part</h2>
      <pre style={{ whiteSpace: 'pre-wrap' }}>{mail.text}</pre>
      {mail.attachment ? (
        <details>
          <summary>Attachment: {mail.attachment.filename}</summary>
          <pre style={{ whiteSpace: 'pre-wrap' }}>{mail.attachment.content}</pre>
        </details>
      ) : null}
    </>
  );
}
