import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { Notice } from '../components/campaign-fields.tsx';
import { FormError } from '../components/forms.tsx';
import { approveCampaign, listCampaignsInReview, sendBackCampaign } from '../models/campaign-lifecycle.server.ts';
import { requireAdmin } from '../guards/auth.server.ts';
import { dispatchIntent, intentOf } from '../utils/intent.server.ts';
import { CAMPAIGN_LIMITS, formValues, reviewNoteSchema } from '../validation/campaign.ts';
import { fieldErrors } from '../validation/forms.ts';
import { formatDateTime } from '../utils/dates.ts';

export const meta: MetaFunction = () => [{ title: 'Review queue — Chorus' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return { campaigns: await listCampaignsInReview() };
}

type Result = { intent: string; campaignId: string; errors: Partial<Record<string, string>>; values: Record<string, string> };

export async function action({ request }: ActionFunctionArgs) {
  await requireAdmin(request);
  const form = await request.formData();
  const intent = intentOf(form);
  const campaignId = String(form.get('campaignId') ?? '');
  const values = formValues(form, ['reason'] as const, CAMPAIGN_LIMITS.reviewNote + 1_000);
  const fail = (errors: Result['errors'], status: number) => data<Result>({ intent, campaignId, errors, values }, { status });
  return dispatchIntent(
    form,
    {
      approve: async () => {
        await approveCampaign(campaignId);
        return redirect('/admin/review?notice=approved', 303);
      },
      'send-back': async () => {
        const parsed = reviewNoteSchema.safeParse(values);
        if (!parsed.success) return fail(fieldErrors(parsed.error), 400);
        await sendBackCampaign(campaignId, parsed.data.reason);
        return redirect('/admin/review?notice=sent-back', 303);
      },
    },
    fail,
  );
}

const NOTICES: Record<string, string> = {
  approved: 'Approved: the campaign is published.',
  'sent-back': 'Sent back: its team sees your reason on their status page.',
};

export default function ReviewQueue() {
  const { campaigns } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  return (
    <section className="editor">
      <h1>Review queue</h1>
      <p className="hint">Campaigns submitted for publication, oldest first. Open the preview, then approve it or send it back with a reason.</p>
      <Notice message={result ? null : NOTICES[searchParams.get('notice') ?? '']} />
      {campaigns.length === 0 ? <p>Nothing is waiting for review.</p> : null}
      {campaigns.map((c) => {
        const mine = result?.campaignId === c.id;
        const errors = mine ? result.errors : {};
        const fieldId = `reason-${c.id}`;
        return (
          <article key={c.id} className="card review-item" data-testid="review-item">
            <h2>{c.title}</h2>
            <p>{c.summary}</p>
            <p className="hint">
              Submitted {formatDateTime(c.submittedAt)}
              {c.createdBy ? ` by ${c.createdBy.name ? `${c.createdBy.name} (${c.createdBy.email})` : c.createdBy.email}` : ''} ·{' '}
              {c._count.demands} demands · {c._count.addressees} addressees ·{' '}
              <Link to={`/c/${c.slug}`} target="_blank" rel="noreferrer">
                Preview the page<span className="visually-hidden"> of {c.title}</span>
              </Link>
            </p>
            {c.reviewNote ? <p className="hint">Sent back earlier: “{c.reviewNote}”</p> : null}
            <FormError errors={errors} />
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="approve" />
              <input type="hidden" name="campaignId" value={c.id} />
              <button type="submit" disabled={busy}>
                Approve and publish<span className="visually-hidden"> {c.title}</span>
              </button>
            </Form>
            <Form method="post" noValidate aria-label={`Send back ${c.title}`}>
              <input type="hidden" name="intent" value="send-back" />
              <input type="hidden" name="campaignId" value={c.id} />
              <div className={errors.reason ? 'field invalid' : 'field'}>
                <label htmlFor={fieldId}>Reason for sending it back</label>
                <textarea
                  id={fieldId}
                  name="reason"
                  rows={3}
                  maxLength={CAMPAIGN_LIMITS.reviewNote}
                  defaultValue={mine ? result.values.reason : undefined}
                  aria-invalid={!!errors.reason}
                  aria-describedby={errors.reason ? `${fieldId}-error` : undefined}
                />
                {errors.reason ? (
                  <p className="error" id={`${fieldId}-error`}>
                    {errors.reason}
                  </p>
                ) : null}
              </div>
              <button type="submit" className="secondary" disabled={busy}>
                Send back<span className="visually-hidden"> {c.title}</span>
              </button>
            </Form>
          </article>
        );
      })}
    </section>
  );
}
