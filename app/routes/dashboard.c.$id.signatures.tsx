import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import * as z from 'zod/mini';
import { FormError } from '../components/forms.tsx';
import { HIDE_REASON_MAX, hideComment, unhideComment } from '../models/comment-moderation.server.ts';
import { SEARCH_MAX, listSignatures } from '../models/signature-list.server.ts';
import { REMOVAL_REASON_MAX, removalLog, removeSignatureByOrganiser } from '../models/signature-removal.server.ts';
import { signerAccess } from '../models/signer-access.server.ts';
import { roleAtLeast } from '../models/membership.server.ts';
import { requireCampaignRole } from '../guards/auth.server.ts';
import { fieldErrors } from '../validation/forms.ts';
import { formatDateTime } from '../utils/dates.ts';

// The signatures of one campaign. What each row shows depends on the role (see signerAccess in
// app/models/signer-access.server.ts); editors can hide a public comment, with a reason, and show it again;
// owners can remove a signer, with a reason, and see the log of removals (who, when, why).

export async function loader({ request, params }: LoaderFunctionArgs) {
  const campaignId = params.id ?? '';
  const { role } = await requireCampaignRole(request, campaignId, 'VIEWER');
  const url = new URL(request.url);
  const page = Number.parseInt(url.searchParams.get('page') ?? '1', 10);
  const result = await listSignatures(campaignId, { search: url.searchParams.get('q'), page: Number.isNaN(page) ? 1 : page }, role);
  const notice = url.searchParams.has('hidden')
    ? 'The comment is hidden.'
    : url.searchParams.has('shown')
      ? 'The comment is shown again.'
      : url.searchParams.has('removed')
        ? 'The signature is removed.'
        : null;
  const canRemove = role === 'OWNER';
  const removals = canRemove ? await removalLog(campaignId) : [];
  return {
    ...result,
    signatures: result.signatures.map((s) => ({
      ...s,
      createdAt: s.createdAt.toISOString(),
      confirmedAt: s.confirmedAt?.toISOString() ?? null,
      commentHiddenAt: s.commentHiddenAt?.toISOString() ?? null,
    })),
    access: signerAccess(role),
    canModerate: roleAtLeast(role, 'EDITOR'),
    canRemove,
    removalReasonMax: REMOVAL_REASON_MAX,
    removals: removals.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
    notice,
  };
}

const moderationSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('hide'),
    signatureId: z.string().check(z.minLength(1), z.maxLength(100)),
    reason: z
      .string({ error: 'Please give a reason for hiding this comment.' })
      .check(
        z.trim(),
        z.minLength(1, 'Please give a reason for hiding this comment.'),
        z.maxLength(HIDE_REASON_MAX, `The reason is too long (at most ${HIDE_REASON_MAX} characters).`),
      ),
  }),
  z.object({ intent: z.literal('unhide'), signatureId: z.string().check(z.minLength(1), z.maxLength(100)) }),
  z.object({
    intent: z.literal('remove'),
    signatureId: z.string().check(z.minLength(1), z.maxLength(100)),
    reason: z
      .string({ error: 'Please give a reason for removing this signature.' })
      .check(
        z.trim(),
        z.minLength(1, 'Please give a reason for removing this signature.'),
        z.maxLength(REMOVAL_REASON_MAX, `The reason is too long (at most ${REMOVAL_REASON_MAX} characters).`),
      ),
  }),
]);

type ActionResult = { signatureId: string; intent?: string; values: { reason: string }; errors: Partial<Record<string, string>> };

export async function action({ request, params }: ActionFunctionArgs) {
  const campaignId = params.id ?? '';
  const { user, role } = await requireCampaignRole(request, campaignId, 'EDITOR');
  const form = Object.fromEntries(await request.formData());
  if (form.intent === 'remove' && role !== 'OWNER') {
    throw data({ message: 'Only the owners of this campaign can remove a signature.' }, { status: 403 });
  }
  const signatureId = typeof form.signatureId === 'string' ? form.signatureId.slice(0, 100) : '';
  const values = { reason: typeof form.reason === 'string' ? form.reason.slice(0, REMOVAL_REASON_MAX * 2) : '' };
  const parsed = moderationSchema.safeParse(form);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    if (errors.intent || errors.signatureId) errors.form = 'Please use the buttons next to a comment.';
    return data<ActionResult>({ signatureId, intent: String(form.intent ?? ''), values, errors }, { status: 400 });
  }
  const url = new URL(request.url);
  for (const flag of ['hidden', 'shown', 'removed']) url.searchParams.delete(flag);
  if (parsed.data.intent === 'remove') {
    const removed = await removeSignatureByOrganiser(campaignId, parsed.data.signatureId, user.id, parsed.data.reason);
    if (!removed.ok) {
      return data<ActionResult>(
        { signatureId, intent: 'remove', values, errors: { form: 'We could not find that signature in this campaign.' } },
        { status: 404 },
      );
    }
    url.searchParams.set('removed', '1');
    return redirect(`${url.pathname}?${url.searchParams}`, 303);
  }
  const result =
    parsed.data.intent === 'hide'
      ? await hideComment(campaignId, parsed.data.signatureId, parsed.data.reason)
      : await unhideComment(campaignId, parsed.data.signatureId);
  if (!result.ok) {
    return data<ActionResult>({ signatureId, values, errors: { form: 'We could not find that comment in this campaign.' } }, { status: 404 });
  }
  // Back to the same search and page.
  url.searchParams.set(parsed.data.intent === 'hide' ? 'hidden' : 'shown', '1');
  return redirect(`${url.pathname}?${url.searchParams}#s-${parsed.data.signatureId}`, 303);
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['signatures'][number];

function Moderation({ s, result, busy }: { s: Row; result?: ActionResult; busy: boolean }) {
  const errors = result?.signatureId === s.id && result.intent !== 'remove' ? result.errors : {};
  if (s.commentHiddenAt) {
    return (
      <Form method="post" className="moderation">
        <p className="hint">
          Hidden {formatDateTime(s.commentHiddenAt)}: {s.commentHiddenReason}
        </p>
        <input type="hidden" name="intent" value="unhide" />
        <input type="hidden" name="signatureId" value={s.id} />
        <button type="submit" className="secondary" disabled={busy}>
          Show the comment again
        </button>
      </Form>
    );
  }
  const id = `reason-${s.id}`;
  return (
    <Form method="post" className="moderation">
      <input type="hidden" name="intent" value="hide" />
      <input type="hidden" name="signatureId" value={s.id} />
      <label htmlFor={id}>Reason for hiding</label>
      <input
        id={id}
        name="reason"
        type="text"
        maxLength={HIDE_REASON_MAX}
        defaultValue={result?.signatureId === s.id ? result.values.reason : undefined}
        aria-invalid={!!errors.reason}
        aria-describedby={errors.reason ? `${id}-error` : undefined}
      />
      {errors.reason ? (
        <p className="error" id={`${id}-error`}>
          {errors.reason}
        </p>
      ) : null}
      <button type="submit" className="secondary" disabled={busy}>
        Hide comment
      </button>
    </Form>
  );
}

/** An owner's removal of a signer: a reason is required and logged (the signer's details are not). */
function Removal({ s, result, busy, max }: { s: Row; result?: ActionResult; busy: boolean; max: number }) {
  const mine = result?.signatureId === s.id && result.intent === 'remove';
  const errors = mine ? result.errors : {};
  const id = `remove-reason-${s.id}`;
  return (
    <details className="removal" open={mine}>
      <summary>Remove…</summary>
      <Form method="post">
        <input type="hidden" name="intent" value="remove" />
        <input type="hidden" name="signatureId" value={s.id} />
        <label htmlFor={id}>Reason for removing (logged; do not write the person’s details)</label>
        <input
          id={id}
          name="reason"
          type="text"
          maxLength={max}
          defaultValue={mine ? result.values.reason : undefined}
          aria-invalid={!!errors.reason}
          aria-describedby={errors.reason ? `${id}-error` : undefined}
        />
        {errors.reason ? (
          <p className="error" id={`${id}-error`}>
            {errors.reason}
          </p>
        ) : null}
        <button type="submit" className="secondary" disabled={busy}>
          Remove this signature
        </button>
      </Form>
    </details>
  );
}

export default function Signatures() {
  const { signatures, total, page, pageCount, search, access, canModerate, canRemove, removalReasonMax, removals, notice } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const busy = useNavigation().state === 'submitting';
  const pageLink = (p: number) => `?${new URLSearchParams({ ...(search ? { q: search } : {}), page: String(p) })}`;

  return (
    <>
      <h2>Signatures</h2>
      <p className="hint">
        {access.email
          ? 'As an owner you see full names and email addresses. Signers agreed to this only so their signature is counted and delivered: never share them.'
          : access.details
            ? 'As an editor you see full names, countries and comments, but not email addresses.'
            : 'As a viewer you see what the public page shows: first names (or full names where signers agreed) and cities.'}
      </p>
      {notice ? (
        <p className="flash" role="status">
          {notice}
        </p>
      ) : null}
      {result?.errors.form ? <FormError errors={result.errors} /> : null}

      <Form method="get" className="search" role="search">
        <label htmlFor="q">Search {access.email ? 'names, cities and email addresses' : 'names and cities'}</label>
        <input id="q" name="q" type="search" defaultValue={search} maxLength={SEARCH_MAX} />
        <button type="submit">Search</button>
        {search ? <Link to="?">Clear</Link> : null}
      </Form>

      <p data-testid="signature-total">
        {total.toLocaleString('en')} {total === 1 ? 'signature' : 'signatures'}
        {search ? ` matching “${search}”` : ''}
        {pageCount > 1 ? ` · page ${page} of ${pageCount}` : ''}
      </p>

      {signatures.length === 0 ? null : (
        <table className="data">
          <thead>
            <tr>
              <th>Name</th>
              {access.email ? <th>Email</th> : null}
              <th>Place</th>
              {access.details ? <th>Status</th> : null}
              <th>Signed</th>
              {access.details ? <th>Comment</th> : null}
              {canRemove ? <th>Remove</th> : null}
            </tr>
          </thead>
          <tbody>
            {signatures.map((s) => (
              <tr key={s.id} id={`s-${s.id}`} data-testid="signature-row">
                <td>{s.fullName ?? s.name}</td>
                {access.email ? <td>{s.email}</td> : null}
                <td>{s.countryName ? `${s.city}, ${s.countryName}` : s.city}</td>
                {access.details ? <td>{s.status === 'CONFIRMED' ? 'Confirmed' : 'Waiting for confirmation'}</td> : null}
                <td>{formatDateTime(s.confirmedAt ?? s.createdAt)}</td>
                {access.details ? (
                  <td>
                    {s.comment ? <p className={s.commentHiddenAt ? 'comment hidden-comment' : 'comment'}>{s.comment}</p> : null}
                    {s.comment && canModerate ? <Moderation s={s} result={result} busy={busy} /> : null}
                  </td>
                ) : null}
                {canRemove ? (
                  <td>
                    <Removal s={s} result={result} busy={busy} max={removalReasonMax} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {pageCount > 1 ? (
        <nav className="pager" aria-label="Pages">
          {page > 1 ? <Link to={pageLink(page - 1)}>← Newer</Link> : null}
          <span>
            Page {page} of {pageCount}
          </span>
          {page < pageCount ? <Link to={pageLink(page + 1)}>Older →</Link> : null}
        </nav>
      ) : null}

      {canRemove ? (
        <>
          <h3>Removed signatures</h3>
          <p className="hint">Who removed a signature, when and why. Nothing about the removed signer is kept.</p>
          {removals.length === 0 ? (
            <p>None.</p>
          ) : (
            <table className="data" data-testid="removal-log">
              <thead>
                <tr>
                  <th>When</th>
                  <th>By</th>
                  <th>Was</th>
                  <th>Reason</th>
                </tr>
              </thead>
              <tbody>
                {removals.map((r) => (
                  <tr key={r.id}>
                    <td>{formatDateTime(r.createdAt)}</td>
                    <td>{r.source === 'SIGNER' ? 'The signer, with their removal link' : (r.removedBy ?? 'A former member')}</td>
                    <td>{r.wasConfirmed ? 'Confirmed' : 'Not confirmed'}</td>
                    <td>{r.reason ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : null}
    </>
  );
}
