import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { FormError, TextField, useFormValidation } from '../components/forms.tsx';
import { hideComment, unhideComment } from '../models/comment-moderation.server.ts';
import { SEARCH_MAX, listSignatures } from '../models/signature-list.server.ts';
import { removalLog, removeSignatureByOrganiser } from '../models/signature-removal.server.ts';
import { signerAccess } from '../models/signer-access.server.ts';
import { roleAtLeast } from '../models/membership.server.ts';
import { requireCampaignRole } from '../guards/auth.server.ts';
import { HIDE_REASON_MAX, REMOVAL_REASON_MAX, hideCommentSchema, removeSignatureSchema, showCommentSchema } from '../validation/moderation.ts';
import { dispatchIntent, intentOf, withFields } from '../utils/intent.server.ts';
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
    removals: removals.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
    notice,
  };
}

type ActionResult = { signatureId: string; intent?: string; values: { reason: string }; errors: Partial<Record<string, string>> };

export async function action({ request, params }: ActionFunctionArgs) {
  const campaignId = params.id ?? '';
  const { user, role } = await requireCampaignRole(request, campaignId, 'EDITOR');
  const form = await request.formData();
  const intent = intentOf(form);
  const posted = (key: string, max: number) => String(form.get(key) ?? '').slice(0, max);
  const signatureId = posted('signatureId', 100);
  const values = { reason: posted('reason', REMOVAL_REASON_MAX * 2) };
  const fail = (errors: ActionResult['errors'], status: number) => data<ActionResult>({ signatureId, intent, values, errors }, { status });
  const invalid = (errors: ActionResult['errors']) =>
    fail(errors.signatureId ? { ...errors, form: 'Please use the buttons next to a comment.' } : errors, 400);
  // Back to the same search and page, with what happened.
  const back = (flag: 'hidden' | 'shown' | 'removed', hash = '') => {
    const url = new URL(request.url);
    for (const old of ['hidden', 'shown', 'removed']) url.searchParams.delete(old);
    url.searchParams.set(flag, '1');
    return redirect(`${url.pathname}?${url.searchParams}${hash}`, 303);
  };
  const moderated = (result: { ok: boolean }, flag: 'hidden' | 'shown') =>
    result.ok ? back(flag, `#s-${signatureId}`) : fail({ form: 'We could not find that comment in this campaign.' }, 404);
  const remove = withFields(removeSignatureSchema, invalid, async (input) => {
    const removed = await removeSignatureByOrganiser(campaignId, input.signatureId, user.id, input.reason);
    return removed.ok ? back('removed') : fail({ form: 'We could not find that signature in this campaign.' }, 404);
  });

  return dispatchIntent(
    form,
    {
      hide: withFields(hideCommentSchema, invalid, async (input) => moderated(await hideComment(campaignId, input.signatureId, input.reason), 'hidden')),
      unhide: withFields(showCommentSchema, invalid, async (input) => moderated(await unhideComment(campaignId, input.signatureId), 'shown')),
      remove: (sent) => {
        if (role !== 'OWNER') throw data({ message: 'Only the owners of this campaign can remove a signature.' }, { status: 403 });
        return remove(sent);
      },
    },
    fail,
  );
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['signatures'][number];

/** The reason field of a row's form, checked in the browser with the form's schema before it is sent. */
function ReasonForm({
  s,
  intent,
  schema,
  label,
  maxLength,
  result,
  className,
  children,
}: {
  s: Row;
  intent: 'hide' | 'remove';
  schema: typeof hideCommentSchema | typeof removeSignatureSchema;
  label: string;
  maxLength: number;
  result?: ActionResult;
  className?: string;
  children: React.ReactNode;
}) {
  const mine = result?.signatureId === s.id && (result.intent === 'remove') === (intent === 'remove');
  const { errors, formProps } = useFormValidation(schema, mine ? result.errors : undefined);
  return (
    <Form method="post" className={className} {...formProps}>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="signatureId" value={s.id} />
      <TextField name="reason" label={label} idPrefix={`${intent}-${s.id}-`} maxLength={maxLength} values={mine ? result.values : undefined} errors={errors} />
      {children}
    </Form>
  );
}

function Moderation({ s, result, busy }: { s: Row; result?: ActionResult; busy: boolean }) {
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
  return (
    <ReasonForm s={s} intent="hide" schema={hideCommentSchema} label="Reason for hiding" maxLength={HIDE_REASON_MAX} result={result} className="moderation">
      <button type="submit" className="secondary" disabled={busy}>
        Hide comment
      </button>
    </ReasonForm>
  );
}

/** An owner's removal of a signer: a reason is required and logged (the signer's details are not). */
function Removal({ s, result, busy }: { s: Row; result?: ActionResult; busy: boolean }) {
  const mine = result?.signatureId === s.id && result.intent === 'remove';
  return (
    <details className="removal" open={mine}>
      <summary>Remove…</summary>
      <ReasonForm
        s={s}
        intent="remove"
        schema={removeSignatureSchema}
        label="Reason for removing (logged; do not write the person’s details)"
        maxLength={REMOVAL_REASON_MAX}
        result={result}
      >
        <button type="submit" className="secondary" disabled={busy}>
          Remove this signature
        </button>
      </ReasonForm>
    </details>
  );
}

export default function Signatures() {
  const { signatures, total, page, pageCount, search, access, canModerate, canRemove, removals, notice } =
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
                    <Removal s={s} result={result} busy={busy} />
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
