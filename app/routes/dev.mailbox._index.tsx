import { Link, useLoaderData } from '@remix-run/react';
import { listMailbox } from '../../emails/mailbox.server.ts';
import { assertDevMailbox } from '../guards/dev-mailbox.server.ts';
import { formatDateTime } from '../utils/dates.ts';

export async function loader() {
  assertDevMailbox();
  const messages = await listMailbox();
  return { messages: messages.map(({ id, to, subject, date }) => ({ id, to, subject, date })) };
}

export default function Mailbox() {
  const { messages } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Development mailbox</h1>
      <p className="hint">
        Emails the worker sent while no SMTP server is configured. Newest first. Every kind of email, rendered from sample
        data: <Link to="/dev/mailbox/previews">previews</Link>.
      </p>
      {messages.length === 0 ? <p>No emails yet. Sign a campaign, and the confirmation appears here within seconds.</p> : null}
      <table className="mail">
        <thead>
          <tr>
            <th>When</th>
            <th>To</th>
            <th>Subject</th>
          </tr>
        </thead>
        <tbody>
          {messages.map((m) => (
            <tr key={m.id}>
              <td>{formatDateTime(m.date)}</td>
              <td>{m.to}</td>
              <td>
                <Link to={`/dev/mailbox/${m.id}`}>{m.subject}</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
