import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from '@remix-run/react';
import { useEffect } from 'react';
import { FormError, TextArea, TextField } from '../components/forms.tsx';
import { roleAtLeast } from '../models/membership.server.ts';
import {
  countUpdateRecipients,
  createUpdateDraft,
  deleteUpdateDraft,
  editUpdateDraft,
  getUpdateDraft,
  previewUpdate,
  startSendingUpdate,
  updateProgress,
} from '../models/update.server.ts';
import { requireCampaignRole } from '../guards/auth.server.ts';
import { dispatchIntent } from '../utils/intent.server.ts';
import { fieldErrors } from '../validation/forms.ts';
import { UPDATE_LIMITS, updateSchema, type UpdateInput } from '../validation/update.ts';
import { formatDateTime } from '../utils/dates.ts';

// Updates to signers. Viewers see what was sent and how far sending got; editors write, preview,
// save and send. Sending takes a second, explicit step, so nobody emails every signer by accident.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const campaignId = params.id ?? '';
  const { role } = await requireCampaignRole(request, campaignId, 'VIEWER');
  const canEdit = roleAtLeast(role, 'EDITOR');
  const url = new URL(request.url);
  const draftId = url.searchParams.get('draft');
  const [updates, recipientCount, draft] = await Promise.all([
    updateProgress(campaignId),
    canEdit ? countUpdateRecipients(campaignId) : Promise.resolve(0),
    canEdit && draftId ? getUpdateDraft(campaignId, draftId) : Promise.resolve(null),
  ]);
  const notice = url.searchParams.has('sent')
    ? 'Your update is being sent. Progress is shown below.'
    : url.searchParams.has('saved')
      ? 'Draft saved.'
      : url.searchParams.has('deleted')
        ? 'Draft deleted.'
        : null;
  return {
    canEdit,
    recipientCount,
    draft,
    notice,
    updates: updates.map((u) => ({
      id: u.id,
      title: u.title,
      status: u.status,
      recipientCount: u.recipientCount,
      sentCount: u.sentCount,
      failedCount: u.failedCount,
      unsubscribedCount: u.unsubscribedCount,
      createdAt: u.createdAt.toISOString(),
      sendStartedAt: u.sendStartedAt?.toISOString() ?? null,
      sentAt: u.sentAt?.toISOString() ?? null,
      author: u.author?.name ?? u.author?.email ?? null,
    })),
  };
}

type Values = { title: string; body: string };
type ActionResult = {
  values: Values;
  errors: Partial<Record<string, string>>;
  updateId?: string;
  preview?: { title: string; html: string };
  confirm?: { recipientCount: number };
};

function text(form: FormData, key: string, max: number): string {
  const v = form.get(key);
  return typeof v === 'string' ? v.slice(0, max) : '';
}

export async function action({ request, params }: ActionFunctionArgs) {
  const campaignId = params.id ?? '';
  const { user } = await requireCampaignRole(request, campaignId, 'EDITOR');
  const form = await request.formData();
  const updateId = text(form, 'updateId', 100) || undefined;
  // Kept a little longer than the limits, so an over-long text comes back with its error, not cut.
  const values: Values = { title: text(form, 'title', UPDATE_LIMITS.title * 2), body: text(form, 'body', UPDATE_LIMITS.body + 1_000) };
  const notADraft = (v: Values) =>
    data<ActionResult>({ values: v, errors: { form: 'This update has already been sent, so it cannot be changed.' } }, { status: 409 });

  /** A handler for the title and body: it runs with them parsed, or the form comes back with their errors. */
  const withInput = <R,>(next: (input: UpdateInput) => Promise<R>) => async () => {
    const parsed = updateSchema.safeParse(values);
    return parsed.success ? next(parsed.data) : data<ActionResult>({ values, updateId, errors: fieldErrors(parsed.error) }, { status: 400 });
  };

  // Saving and sending both keep the text as a draft first: what is confirmed is what was saved.
  const saveDraft = async (input: UpdateInput) => {
    if (!updateId) return (await createUpdateDraft(campaignId, user.id, input)).id;
    return (await editUpdateDraft(campaignId, updateId, input)) ? updateId : null;
  };

  return dispatchIntent(
    form,
    {
      delete: async () => {
        if (!updateId || !(await deleteUpdateDraft(campaignId, updateId))) return notADraft({ title: '', body: '' });
        return redirect(`/dashboard/c/${campaignId}/updates?deleted=1`, 303);
      },
      'confirm-send': async () => {
        const draft = updateId ? await getUpdateDraft(campaignId, updateId) : null;
        if (!draft) {
          // A second click on "Send now" lands here after the first one started sending: same outcome.
          return redirect(`/dashboard/c/${campaignId}/updates?sent=${encodeURIComponent(updateId ?? '')}`, 303);
        }
        const draftValues = { title: draft.title, body: draft.body };
        if (form.get('understood') !== 'on') {
          return data<ActionResult>(
            {
              values: draftValues,
              updateId: draft.id,
              preview: previewUpdate(draftValues),
              confirm: { recipientCount: await countUpdateRecipients(campaignId) },
              errors: { understood: 'Please tick the box to confirm that this update will be emailed.' },
            },
            { status: 400 },
          );
        }
        const started = await startSendingUpdate(campaignId, draft.id);
        if (!started.ok && started.reason === 'not-found') throw data({ message: 'We could not find that update.' }, { status: 404 });
        return redirect(`/dashboard/c/${campaignId}/updates?sent=${encodeURIComponent(draft.id)}`, 303);
      },
      preview: withInput(async (input) => ({ values, updateId, errors: {}, preview: previewUpdate(input) }) satisfies ActionResult),
      save: withInput(async (input) => {
        const savedId = await saveDraft(input);
        if (!savedId) return notADraft(values);
        return redirect(`/dashboard/c/${campaignId}/updates?draft=${encodeURIComponent(savedId)}&saved=1`, 303);
      }),
      send: withInput(async (input) => {
        const savedId = await saveDraft(input);
        if (!savedId) return notADraft(values);
        return {
          values: { title: input.title, body: input.body },
          updateId: savedId,
          errors: {},
          preview: previewUpdate(input),
          confirm: { recipientCount: await countUpdateRecipients(campaignId) },
        } satisfies ActionResult;
      }),
    },
    (errors, status) => data<ActionResult>({ values, errors }, { status }),
  );
}

const STATUS: Record<string, string> = { DRAFT: 'Draft', SENDING: 'Sending', SENT: 'Sent' };

function signers(n: number) {
  return `${n.toLocaleString('en')} ${n === 1 ? 'signer' : 'signers'}`;
}

/** While an update is going out, the progress refreshes itself (the page also works without JS). */
function useRefreshWhileSending(sending: boolean) {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!sending) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible' && revalidator.state === 'idle') revalidator.revalidate();
    }, 3_000);
    return () => clearInterval(timer);
  }, [sending, revalidator]);
}

export default function CampaignUpdates() {
  const { canEdit, recipientCount, draft, notice, updates } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const busy = useNavigation().state === 'submitting';
  useRefreshWhileSending(updates.some((u) => u.status === 'SENDING'));

  const values: Values = result?.values ?? (draft ? { title: draft.title, body: draft.body } : { title: '', body: '' });
  const updateId = result?.updateId ?? draft?.id;
  const errors = result?.errors ?? {};

  return (
    <>
      <h2>Updates to signers</h2>
      <p className="hint">
        Updates are emailed to confirmed signers who asked for news about this campaign, and shown on the campaign page.
        Every email carries a one-click unsubscribe link.
      </p>
      {notice ? (
        <p className="flash" role="status">
          {notice}
        </p>
      ) : null}

      {canEdit && result?.confirm && updateId ? (
        <section className="confirm-send" data-testid="confirm-send" aria-labelledby="confirm-send-title">
          <h3 id="confirm-send-title">Send “{values.title}” to {signers(result.confirm.recipientCount)}?</h3>
          <p>
            It will be emailed to {signers(result.confirm.recipientCount)} and published on the campaign page. An email cannot be
            recalled once it has gone out.
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="confirm-send" />
            <input type="hidden" name="updateId" value={updateId} />
            <div className={errors.understood ? 'check field invalid' : 'check'}>
              <input
                id="f-understood"
                type="checkbox"
                name="understood"
                aria-invalid={!!errors.understood}
                aria-describedby={errors.understood ? 'f-understood-error' : undefined}
              />
              <label htmlFor="f-understood">
                I understand this emails {result.confirm.recipientCount.toLocaleString('en')}{' '}
                {result.confirm.recipientCount === 1 ? 'person' : 'people'}.
              </label>
            </div>
            {errors.understood ? (
              <p className="error" id="f-understood-error">
                {errors.understood}
              </p>
            ) : null}
            <button type="submit" disabled={busy}>
              Send now
            </button>{' '}
            <span className="hint">Or change the text below and save it as a draft.</span>
          </Form>
        </section>
      ) : null}

      {canEdit ? (
        <section aria-labelledby="compose-title">
          <h3 id="compose-title">{updateId ? 'Edit draft' : 'Write an update'}</h3>
          {/* Remounted when the values change, so defaultValue always shows what was last submitted. */}
          <Form method="post" noValidate key={`${updateId ?? 'new'}:${values.title.length}:${values.body.length}`}>
            <FormError errors={errors} />
            {updateId ? <input type="hidden" name="updateId" value={updateId} /> : null}
            <TextField name="title" label="Title" values={values} errors={errors} maxLength={UPDATE_LIMITS.title} />
            <TextArea
              name="body"
              label="Message"
              values={values}
              errors={errors}
              rows={14}
              maxLength={UPDATE_LIMITS.body}
              hint="Markdown: **bold**, _italic_, [a link](https://example.org), lists with “- ”, ## headings. Images and scripts are removed."
            />
            <p className="update-actions">
              <button type="submit" name="intent" value="preview" className="secondary" disabled={busy}>
                Preview
              </button>{' '}
              <button type="submit" name="intent" value="save" className="secondary" disabled={busy}>
                Save draft
              </button>{' '}
              <button type="submit" name="intent" value="send" disabled={busy}>
                Send to {signers(recipientCount)}
              </button>
            </p>
          </Form>
          {result?.preview ? (
            <div className="preview" data-testid="update-preview" aria-label="Preview">
              <p className="hint">Preview: this is how the email and the campaign page will show it.</p>
              <h3>{result.preview.title}</h3>
              {/* renderMarkdown output (sanitised on the server), exactly as the email and page use it. */}
              <div className="statement" dangerouslySetInnerHTML={{ __html: result.preview.html }} />
            </div>
          ) : null}
        </section>
      ) : null}

      <h3>Sent and drafts</h3>
      {updates.length === 0 ? <p>No updates yet.</p> : null}
      {updates.length > 0 ? (
        <table className="data" data-testid="update-list">
          <thead>
            <tr>
              <th>Title</th>
              <th>Status</th>
              <th>Progress</th>
              <th>Started</th>
              {canEdit ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {updates.map((u) => (
              <tr key={u.id} data-testid="update-row">
                <td>
                  {u.title}
                  {u.author ? <div className="hint">by {u.author}</div> : null}
                </td>
                <td data-testid="update-status">{STATUS[u.status]}</td>
                <td>
                  {u.status === 'DRAFT' ? (
                    '—'
                  ) : (
                    <>
                      <span data-testid="update-progress">{`${u.sentCount.toLocaleString('en')} / ${u.recipientCount.toLocaleString('en')}`}</span>{' '}
                      sent
                      {u.failedCount > 0 ? <div className="hint">{u.failedCount.toLocaleString('en')} could not be delivered</div> : null}
                      {u.unsubscribedCount > 0 ? (
                        <div className="hint">{u.unsubscribedCount.toLocaleString('en')} unsubscribed before it reached them</div>
                      ) : null}
                    </>
                  )}
                </td>
                <td>{u.status === 'DRAFT' ? `Draft from ${formatDateTime(u.createdAt)}` : formatDateTime(u.sendStartedAt)}</td>
                {canEdit ? (
                  <td>
                    {u.status === 'DRAFT' ? (
                      <>
                        <Link to={`?draft=${u.id}`}>Edit</Link>{' '}
                        <Form method="post" className="inline-form">
                          <input type="hidden" name="intent" value="delete" />
                          <input type="hidden" name="updateId" value={u.id} />
                          <button type="submit" className="link-button" disabled={busy}>
                            Delete
                          </button>
                        </Form>
                      </>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
