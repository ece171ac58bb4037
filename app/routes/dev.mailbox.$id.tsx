import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { readMessage } from '../../emails/mailbox.server.ts';
import { assertDevMailbox } from '../guards/dev-mailbox.server.ts';

export async function loader({ params }: LoaderFunctionArgs) {
  assertDevMailbox();
  const message = await readMessage(params.id ?? '');
  if (!message) throw data({ message: 'No such email.' }, { status: 404 });
  return { message };
}

export default function MailboxMessage() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/dev/mailbox">← Mailbox</Link>
      </p>
      <h1>{message.subject}</h1>
      <p className="hint">
        To {message.to} · {message.messageId}
      </p>
      {/* The HTML part is shown in a sandbox: no scripts, no access to this page. */}
      <iframe className="mail-body" title="Email" sandbox="allow-popups allow-top-navigation-by-user-activation" srcDoc={message.html} />
      <h2>Plain-text part</h2>
      <pre style={{ whiteSpace: 'pre-wrap' }}>{message.text}</pre>
      {message.attachments?.map((a) => (
        <details key={a.filename}>
          <summary>Attachment: {a.filename}</summary>
          <pre style={{ whiteSpace: 'pre-wrap' }}>{a.content}</pre>
        </details>
      ))}
    </>
  );
}
