import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { Notice } from '../components/campaign-fields.tsx';
import { FormError, TextArea } from '../components/forms.tsx';
import { DELETABLE_STATUSES, closeCampaign, deleteCampaign, getCampaignStatus, markWon, publishCampaign } from '../models/campaign-lifecycle.server.ts';
import { roleAtLeast } from '../models/membership.server.ts';
import { requireCampaignRole } from '../guards/auth.server.ts';
import { dispatchIntent, intentOf } from '../utils/intent.server.ts';
import { env } from '../utils/env.server.ts';
import { CAMPAIGN_LIMITS, formValues, victorySchema } from '../validation/campaign.ts';
import { fieldErrors } from '../validation/forms.ts';
import { formatDateTime } from '../utils/dates.ts';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { role } = await requireCampaignRole(request, params.id ?? '', 'VIEWER');
  const campaign = await getCampaignStatus(params.id ?? '');
  if (!campaign) throw data({ message: 'We could not find that campaign.' }, { status: 404 });
  return {
    campaign,
    moderated: env().MODERATION === 'on',
    canEdit: roleAtLeast(role, 'EDITOR'),
    isOwner: role === 'OWNER',
    deletable: DELETABLE_STATUSES.includes(campaign.status) && !campaign.publishedAt,
  };
}

type Result = { intent: string; errors: Partial<Record<string, string>>; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await request.formData();
  const intent = intentOf(form);
  // Deleting is for owners; everything else on this page for editors.
  const { campaign } = await requireCampaignRole(request, params.id ?? '', intent === 'delete' ? 'OWNER' : 'EDITOR');
  const values = formValues(form, ['victoryNote'] as const, CAMPAIGN_LIMITS.victoryNote + 1_000);
  const fail = (errors: Result['errors'], status: number) => data<Result>({ intent, errors, values }, { status });
  const done = (notice: string) => redirect(`/dashboard/c/${campaign.id}/status?notice=${notice}`, 303);
  const confirmed = form.get('confirm') === 'yes';

  return dispatchIntent(
    form,
    {
      publish: async () => {
        const status = await publishCampaign(campaign.id);
        return done(status === 'IN_REVIEW' ? 'submitted' : 'published');
      },
      close: async () => {
        if (!confirmed) return fail({ confirm: 'Please tick the box to confirm that signing should stop.' }, 400);
        await closeCampaign(campaign.id);
        return done('closed');
      },
      won: async () => {
        const parsed = victorySchema.safeParse(values);
        if (!parsed.success) return fail(fieldErrors(parsed.error), 400);
        await markWon(campaign.id, parsed.data.victoryNote);
        return done('won');
      },
      delete: async () => {
        if (!confirmed) return fail({ confirm: 'Please tick the box to confirm the deletion.' }, 400);
        await deleteCampaign(campaign.id);
        return redirect('/dashboard', 303);
      },
    },
    fail,
  );
}

const NOTICES: Record<string, string> = {
  published: 'The campaign is published: its page is public and open for signatures.',
  submitted: 'The campaign was submitted for review. It goes public once a reviewer approves it.',
  closed: 'The campaign is closed. Its page, statement and delivery record stay public.',
  won: 'The campaign is marked as won, and the victory note is on its page.',
};

const STATUS_TEXT: Record<string, string> = {
  DRAFT: 'Draft — only its team can see it.',
  IN_REVIEW: 'Waiting for review — a platform reviewer will publish it or send it back.',
  PUBLISHED: 'Published — public and open for signatures.',
  CLOSED: 'Closed — public, no longer collecting signatures.',
  WON: 'Won — public, no longer collecting signatures, with a victory note.',
};

export default function CampaignStatusPage() {
  const { campaign, moderated, canEdit, isOwner, deletable } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  const errorsFor = (intent: string) => (result?.intent === intent ? result.errors : undefined);
  const { status } = campaign;
  return (
    <section className="editor">
      <h2>Publish &amp; status</h2>
      <Notice message={result ? null : NOTICES[searchParams.get('notice') ?? '']} />
      <p data-testid="campaign-status">
        <strong>Status:</strong> {STATUS_TEXT[status]}
      </p>
      <ul className="facts">
        {campaign.publishedAt ? <li>Published {formatDateTime(campaign.publishedAt)}</li> : null}
        {campaign.submittedAt && status === 'IN_REVIEW' ? <li>Submitted for review {formatDateTime(campaign.submittedAt)}</li> : null}
        {campaign.closedAt ? <li>Closed {formatDateTime(campaign.closedAt)}</li> : null}
      </ul>

      {status === 'DRAFT' && campaign.reviewNote ? (
        <div className="review-note" role="note">
          <h3>A reviewer sent this campaign back</h3>
          <p>{campaign.reviewNote}</p>
          <p className="hint">Make the changes, then submit it again.</p>
        </div>
      ) : null}

      {status === 'DRAFT' && canEdit ? (
        <Form method="post" aria-label={moderated ? 'Submit for review' : 'Publish'}>
          <h3>{moderated ? 'Submit for review' : 'Publish'}</h3>
          <ul>
            <li>
              {campaign._count.demands} {campaign._count.demands === 1 ? 'demand' : 'demands'}
              {campaign._count.demands === 0 ? (
                <>
                  {' '}
                  — <Link to="../demands">add at least one</Link>
                </>
              ) : null}
            </li>
            <li>
              {campaign._count.addressees} {campaign._count.addressees === 1 ? 'addressee' : 'addressees'}
              {campaign._count.addressees === 0 ? (
                <>
                  {' '}
                  — <Link to="../addressees">add at least one</Link>
                </>
              ) : null}
            </li>
          </ul>
          <p className="hint">
            {moderated
              ? 'A platform reviewer checks new campaigns before they go public.'
              : 'Publishing makes the page public and opens it for signatures. Its web address cannot change afterwards.'}{' '}
            Check the page first with <Link to={`/c/${campaign.slug}`}>the preview</Link>.
          </p>
          <FormError errors={errorsFor('publish')} />
          <input type="hidden" name="intent" value="publish" />
          <button type="submit" disabled={busy}>
            {moderated ? 'Submit for review' : 'Publish the campaign'}
          </button>
        </Form>
      ) : null}

      {(status === 'PUBLISHED' || status === 'CLOSED' || status === 'WON') && canEdit ? (
        <Form method="post" noValidate aria-label="Mark as won">
          <h3>{status === 'WON' ? 'Victory note' : 'Mark as won'}</h3>
          <p className="hint">Tell signers what was achieved. The note is shown on the campaign page{status === 'PUBLISHED' ? ', and signing stops' : ''}.</p>
          <FormError errors={errorsFor('won')} />
          <input type="hidden" name="intent" value="won" />
          <TextArea
            name="victoryNote"
            label="Victory note"
            rows={4}
            maxLength={CAMPAIGN_LIMITS.victoryNote}
            values={result?.intent === 'won' ? result.values : { victoryNote: campaign.victoryNote ?? '' }}
            errors={errorsFor('won')}
          />
          <button type="submit" disabled={busy}>
            {status === 'WON' ? 'Save the victory note' : 'Mark as won'}
          </button>
        </Form>
      ) : null}

      {status === 'PUBLISHED' && canEdit ? (
        <Form method="post" aria-label="Close the campaign">
          <h3>Close the campaign</h3>
          <p className="hint">Signing stops for good. The page, statement and delivery record stay public.</p>
          <FormError errors={errorsFor('close')} />
          <input type="hidden" name="intent" value="close" />
          <ConfirmBox label="Yes, stop collecting signatures" error={errorsFor('close')?.confirm} />
          <button type="submit" className="secondary" disabled={busy}>
            Close the campaign
          </button>
        </Form>
      ) : null}

      {deletable && isOwner ? (
        <Form method="post" aria-label="Delete the campaign">
          <h3>Delete this draft</h3>
          <p className="hint">Deletes the campaign with its demands, addressees and members. This cannot be undone.</p>
          <FormError errors={errorsFor('delete')} />
          <input type="hidden" name="intent" value="delete" />
          <ConfirmBox label="Yes, delete this draft for good" error={errorsFor('delete')?.confirm} />
          <button type="submit" className="secondary" disabled={busy}>
            Delete the draft
          </button>
        </Form>
      ) : null}

      {!canEdit ? <p className="hint">Editors and owners can publish, close or mark this campaign as won.</p> : null}
    </section>
  );
}

function ConfirmBox({ label, error }: { label: string; error?: string }) {
  return (
    <div className={error ? 'field invalid' : 'field'}>
      <label className="check">
        <input type="checkbox" name="confirm" value="yes" aria-invalid={!!error} /> {label}
      </label>
      {error ? <p className="error">{error}</p> : null}
    </div>
  );
}
