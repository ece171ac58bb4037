import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import * as z from 'zod/mini';
import { FormError } from '../components/forms.tsx';
import { pauseAddressee, resumeAddressee } from '../models/addressee.server.ts';
import { campaignNumbers } from '../models/campaign-numbers.server.ts';
import { deliveryLog, deliveryResends, failedDeliveriesOf, resendFailedDeliveries, retryDelivery } from '../models/delivery-log.server.ts';
import { roleAtLeast } from '../models/membership.server.ts';
import { campaignSuppressions } from '../models/suppression.server.ts';
import { requireCampaignRole } from '../guards/auth.server.ts';
import { formatDateTime } from '../utils/dates.ts';
import { UNKNOWN_INTENT, dispatchIntent, withFields } from '../utils/intent.server.ts';

// What was delivered to each addressee: the public receipt, whether deliveries are paused, and a
// log of every letter and digest with its SMTP Message-ID or error. Editors pause and resume an
// addressee, send a failed delivery again, or (after fixing the address) send all failed ones again at
// once, after one confirmation step; each such re-send is kept in a log. A paused addressee says why
// (by hand, or by Chorus after repeated hard bounces, with the last diagnostic), and the tab lists the
// signers whose address is suppressed (names for editors, addresses for owners, counts for viewers).

export async function loader({ request, params }: LoaderFunctionArgs) {
  const campaignId = params.id ?? '';
  const { role } = await requireCampaignRole(request, campaignId, 'VIEWER');
  const url = new URL(request.url);
  const numbers = await campaignNumbers(campaignId);
  const selectedId = url.searchParams.get('addressee') ?? numbers.addressees[0]?.id ?? null;
  const page = Number.parseInt(url.searchParams.get('page') ?? '1', 10);
  const log = selectedId ? await deliveryLog(campaignId, selectedId, Number.isNaN(page) ? 1 : page) : null;
  if (selectedId && !log) throw data({ message: 'We could not find that addressee in this campaign.' }, { status: 404 });
  const done = url.searchParams.get('done');
  const canEdit = roleAtLeast(role, 'EDITOR');
  // The confirmation step of "re-send all failed": the address they will go to, and how many.
  const failed = selectedId && canEdit && url.searchParams.get('resend') === 'confirm' ? await failedDeliveriesOf(campaignId, selectedId) : null;
  const resends = selectedId ? await deliveryResends(selectedId) : [];
  const suppressions = await campaignSuppressions(campaignId, { names: canEdit, addresses: role === 'OWNER' });
  return {
    canEdit,
    suppressions: { ...suppressions, recent: suppressions.recent.map((r) => ({ ...r, since: r.since.toISOString() })) },
    confirmResend: failed && failed.count > 0 ? { email: failed.email, count: failed.count, paused: failed.paused } : null,
    resends: resends.map((r) => ({
      id: r.id,
      // Viewers see who did it and how many, not the address.
      email: canEdit ? r.email : null,
      deliveryCount: r.deliveryCount,
      createdAt: r.createdAt.toISOString(),
      by: r.user ? (r.user.name ?? r.user.email) : 'a former member',
    })),
    notice: done ? (NOTICES[done] ?? null) : null,
    addressees: numbers.addressees.map((a) => ({ ...a, lastDeliveredAt: a.lastDeliveredAt?.toISOString() ?? null })),
    log: log && {
      ...log,
      addressee: {
        ...log.addressee,
        lastDeliveredAt: log.addressee.lastDeliveredAt?.toISOString() ?? null,
        pausedAt: log.addressee.pausedAt?.toISOString() ?? null,
      },
      deliveries: log.deliveries.map((d) => ({ ...d, createdAt: d.createdAt.toISOString(), sentAt: d.sentAt?.toISOString() ?? null })),
    },
  };
}

const NOTICES: Record<string, string> = {
  paused: 'Deliveries to this addressee are paused. Nothing is lost: what they are owed is sent once you resume.',
  resumed: 'Deliveries resumed. What was held back goes out within a few minutes.',
  retried: 'The delivery is queued to be sent again.',
  resent: 'The failed deliveries are queued to be sent again.',
};

const id = z.string().check(z.minLength(1), z.maxLength(100));
const addresseeSchema = z.object({ addresseeId: id });
const retrySchema = z.object({ addresseeId: id, deliveryId: id });
const resendSchema = z.object({ addresseeId: id, email: z.string().check(z.minLength(1), z.maxLength(320)) });

const RETRY_REFUSED: Record<string, string> = {
  'not-found': 'We could not find that delivery in this campaign.',
  'not-failed': 'Only a failed delivery can be sent again, and this one is not (or no longer) failed.',
  paused: 'Deliveries to this addressee are paused. Resume them first, then send the failed delivery again.',
};

const RESEND_REFUSED: Record<string, { status: number; message: string }> = {
  'not-found': { status: 404, message: 'We could not find that addressee in this campaign.' },
  paused: { status: 409, message: 'Deliveries to this addressee are paused. Resume them first, then send the failed deliveries again.' },
  'none-failed': { status: 409, message: 'This addressee has no failed deliveries (any more), so nothing was sent again.' },
  'address-changed': {
    status: 409,
    message: 'The address of this addressee changed after you looked. Nothing was sent; please check the address and confirm again.',
  },
};

export async function action({ request, params }: ActionFunctionArgs) {
  const campaignId = params.id ?? '';
  const { user } = await requireCampaignRole(request, campaignId, 'EDITOR');
  const form = await request.formData();
  const refuse = (message: string, status: number) => data({ errors: { form: message } }, { status });
  const back = (addresseeId: string, done: string) =>
    redirect(`/dashboard/c/${campaignId}/deliveries?${new URLSearchParams({ addressee: addresseeId, done })}`, 303);
  // A post without the button's fields did not come from this page.
  const notFromThisPage = () => refuse(UNKNOWN_INTENT, 400);
  const pauseOrResume = (pause: boolean) =>
    withFields(addresseeSchema, notFromThisPage, async ({ addresseeId }) => {
      const found = pause ? await pauseAddressee(campaignId, addresseeId) : await resumeAddressee(campaignId, addresseeId);
      return found ? back(addresseeId, pause ? 'paused' : 'resumed') : refuse('We could not find that addressee in this campaign.', 404);
    });

  return dispatchIntent(form, {
    pause: pauseOrResume(true),
    resume: pauseOrResume(false),
    retry: withFields(retrySchema, notFromThisPage, async ({ addresseeId, deliveryId }) => {
      const result = await retryDelivery(campaignId, deliveryId);
      if (!result.ok) return refuse(RETRY_REFUSED[result.reason], result.reason === 'not-found' ? 404 : 409);
      return back(addresseeId, 'retried');
    }),
    'resend-failed': withFields(resendSchema, notFromThisPage, async ({ addresseeId, email }) => {
      const result = await resendFailedDeliveries(campaignId, addresseeId, user.id, email);
      if (!result.ok) return refuse(RESEND_REFUSED[result.reason].message, RESEND_REFUSED[result.reason].status);
      return back(addresseeId, 'resent');
    }),
  });
}

const n = (value: number) => value.toLocaleString('en');
const STATUS: Record<string, string> = { PENDING: 'Pending', SENT: 'Accepted', FAILED: 'Failed' };

export default function Deliveries() {
  const { canEdit, notice, addressees, log, confirmResend, resends, suppressions } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  if (addressees.length === 0) return <p>This campaign has no addressees yet, so nothing is delivered.</p>;
  const selected = log?.addressee;
  const pageLink = (p: number) => `?${new URLSearchParams({ addressee: selected?.id ?? '', page: String(p) })}`;

  return (
    <>
      {notice ? (
        <p className="flash" role="status">
          {notice}
        </p>
      ) : null}
      <FormError errors={result?.errors} />

      <h2>Addressees</h2>
      <table className="data">
        <thead>
          <tr>
            <th>Addressee</th>
            <th>Mode</th>
            <th>Receipt</th>
            <th>Pending / failed</th>
            <th>State</th>
          </tr>
        </thead>
        <tbody>
          {addressees.map((a) => (
            <tr key={a.id} data-testid="addressee-row" className={a.id === selected?.id ? 'selected' : undefined}>
              <td>
                <Link to={`?addressee=${a.id}`}>{a.name}</Link>
                <div className="hint">{a.role}</div>
              </td>
              <td>{a.deliveryMode === 'DIGEST' ? 'Digest' : 'Letter per signature'}</td>
              <td>
                {n(a.lettersSent)} emails, {n(a.signaturesDelivered)} signatures
                {a.lastDeliveredAt ? <div className="hint">last {formatDateTime(a.lastDeliveredAt)}</div> : null}
              </td>
              <td>
                {n(a.deliveries.PENDING)} / {n(a.deliveries.FAILED)}
              </td>
              <td>
                {a.paused ? <strong>{a.pauseReason === null ? 'Paused' : 'Paused automatically'}</strong> : 'Delivering'}
                {canEdit ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="addresseeId" value={a.id} />
                    <button type="submit" name="intent" value={a.paused ? 'resume' : 'pause'} className="secondary" disabled={busy}>
                      {a.paused ? 'Resume' : 'Pause'}
                    </button>
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      {log && selected ? (
        <>
          <h2>Delivery log: {selected.name}</h2>
          <p className="hint">
            To {selected.email}.{' '}
            {selected.deliveryMode === 'DIGEST'
              ? `A digest every ${n(selected.digestIntervalMinutes)} minutes.`
              : `A letter per signature, at most ${n(selected.lettersPerHour)} an hour.`}{' '}
            {selected.paused ? 'Paused: nothing is sent until an editor resumes.' : null}
          </p>
          {selected.paused ? (
            <div className="pause-reason" data-testid="pause-reason">
              {selected.pauseReason === null ? (
                <p>
                  Paused by an organiser{selected.pausedAt ? ` on ${formatDateTime(selected.pausedAt)}` : ''}.
                </p>
              ) : (
                <>
                  <p>
                    <strong>Paused automatically</strong>
                    {selected.pausedAt ? ` on ${formatDateTime(selected.pausedAt)}` : ''} after {n(selected.hardBounces)} hard{' '}
                    {selected.hardBounces === 1 ? 'bounce' : 'bounces'}: letters to {selected.email} were refused or came back
                    as undeliverable. The owners and editors were emailed.
                  </p>
                  <p>
                    Last diagnostic: <code>{selected.pauseReason}</code>
                  </p>
                  <p className="hint">
                    Check the address and correct it on the <Link to="../addressees">Addressees</Link> tab, then resume and send
                    the failed deliveries again.
                  </p>
                </>
              )}
            </div>
          ) : selected.hardBounces > 0 ? (
            <p className="hint" data-testid="hard-bounces">
              {n(selected.hardBounces)} hard {selected.hardBounces === 1 ? 'bounce' : 'bounces'} since the address was last
              changed or deliveries resumed; deliveries pause by themselves when there are too many.
            </p>
          ) : null}
          {canEdit && confirmResend ? (
            <section className="confirm-send" aria-labelledby="resend-heading" data-testid="resend-confirm">
              <h3 id="resend-heading">Send {n(confirmResend.count)} failed {confirmResend.count === 1 ? 'delivery' : 'deliveries'} again?</h3>
              <p>
                They will go to <strong>{confirmResend.email}</strong>. If that address is wrong, fix it on the{' '}
                <Link to="../addressees">Addressees</Link> tab first.
              </p>
              <Form method="post" className="inline-form">
                <input type="hidden" name="addresseeId" value={selected.id} />
                <input type="hidden" name="email" value={confirmResend.email} />
                <button type="submit" name="intent" value="resend-failed" disabled={busy || confirmResend.paused}>
                  Yes, send {n(confirmResend.count)} again to {confirmResend.email}
                </button>{' '}
                <Link to={`?${new URLSearchParams({ addressee: selected.id })}`}>Cancel</Link>
              </Form>
            </section>
          ) : canEdit && !selected.paused && (addressees.find((a) => a.id === selected.id)?.deliveries.FAILED ?? 0) > 0 ? (
            <p>
              <Link to={`?${new URLSearchParams({ addressee: selected.id, resend: 'confirm' })}`} className="button secondary">
                Send all failed deliveries again…
              </Link>
            </p>
          ) : null}
          {log.deliveries.length === 0 ? (
            <p>Nothing has been sent to this addressee yet.</p>
          ) : (
            <table className="data" data-testid="delivery-log">
              <thead>
                <tr>
                  <th>Created</th>
                  <th>Kind</th>
                  <th>Signatures</th>
                  <th>Status</th>
                  <th>Attempts</th>
                  <th>Message-ID / error</th>
                </tr>
              </thead>
              <tbody>
                {log.deliveries.map((d) => (
                  <tr key={d.id} data-testid="delivery-row">
                    <td>{formatDateTime(d.createdAt)}</td>
                    <td>{d.kind === 'DIGEST' ? 'Digest' : 'Letter'}</td>
                    <td>{n(d.itemCount)}</td>
                    <td>
                      {STATUS[d.status]}
                      {d.sentAt ? <div className="hint">{formatDateTime(d.sentAt)}</div> : null}
                    </td>
                    <td>{d.attempts}</td>
                    <td className="mono">
                      {d.messageId ? <code>{d.messageId}</code> : null}
                      {d.error ? <p className="error">{d.error}</p> : null}
                      {canEdit && d.status === 'FAILED' ? (
                        <Form method="post">
                          <input type="hidden" name="addresseeId" value={selected.id} />
                          <input type="hidden" name="deliveryId" value={d.id} />
                          <button type="submit" name="intent" value="retry" disabled={busy || selected.paused}>
                            Send again
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {log.pageCount > 1 ? (
            <nav className="pager" aria-label="Pages">
              {log.page > 1 ? <Link to={pageLink(log.page - 1)}>← Newer</Link> : null}
              <span>
                Page {log.page} of {log.pageCount}
              </span>
              {log.page < log.pageCount ? <Link to={pageLink(log.page + 1)}>Older →</Link> : null}
            </nav>
          ) : null}
          {resends.length > 0 ? (
            <>
              <h3>Failed deliveries sent again</h3>
              <ul data-testid="resend-log">
                {resends.map((r) => (
                  <li key={r.id}>
                    {formatDateTime(r.createdAt)}: {r.by} sent {n(r.deliveryCount)} failed {r.deliveryCount === 1 ? 'delivery' : 'deliveries'} again
                    {r.email ? ` to ${r.email}` : ''}.
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}

      <h2>Signers Chorus no longer writes to</h2>
      <div data-testid="suppressions">
        {suppressions.hardBounces + suppressions.complaints === 0 ? (
          <p>No signer address of this campaign is suppressed.</p>
        ) : (
          <>
            <p>
              {n(suppressions.hardBounces + suppressions.complaints)} signer{' '}
              {suppressions.hardBounces + suppressions.complaints === 1 ? 'address is' : 'addresses are'} suppressed:{' '}
              {n(suppressions.hardBounces)} after a hard bounce, {n(suppressions.complaints)} after a complaint (marked as
              spam). Confirmations and updates are not sent to them; their signatures still count and are delivered.
            </p>
            {suppressions.recent.length > 0 ? (
              <table className="data">
                <thead>
                  <tr>
                    <th>Signer</th>
                    <th>Why</th>
                    <th>Since</th>
                  </tr>
                </thead>
                <tbody>
                  {suppressions.recent.map((r) => (
                    <tr key={r.signatureId} data-testid="suppressed-signer">
                      <td>
                        {r.fullName}
                        {r.email ? <div className="hint">{r.email}</div> : null}
                      </td>
                      <td>
                        {r.reason === 'COMPLAINT' ? 'Complaint (marked as spam)' : 'Hard bounce'}
                        {r.detail ? <div className="hint">{r.detail}</div> : null}
                      </td>
                      <td>{formatDateTime(r.since)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </>
        )}
      </div>
    </>
  );
}
