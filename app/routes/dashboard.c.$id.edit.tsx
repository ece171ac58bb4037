import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from '@remix-run/react';
import { CampaignDetailsFields, Notice } from '../components/campaign-fields.tsx';
import { FormError } from '../components/forms.tsx';
import { canChangeSlug, getCampaignDetails, updateCampaignDetails } from '../models/campaign-details.server.ts';
import { roleAtLeast } from '../models/membership.server.ts';
import { requireCampaignRole } from '../guards/auth.server.ts';
import { dispatchIntent } from '../utils/intent.server.ts';
import { renderMarkdown } from '../utils/markdown.server.ts';
import { CAMPAIGN_DETAIL_FIELDS, CAMPAIGN_LIMITS, campaignDetailsSchema, formValues } from '../validation/campaign.ts';
import { fieldErrors } from '../validation/forms.ts';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { role } = await requireCampaignRole(request, params.id ?? '', 'VIEWER');
  const campaign = await getCampaignDetails(params.id ?? '');
  if (!campaign) throw data({ message: 'We could not find that campaign.' }, { status: 404 });
  return {
    campaign: { ...campaign, goal: String(campaign.goal), imageUrl: campaign.imageUrl ?? '', replyTo: campaign.replyTo ?? '' },
    slugLocked: !canChangeSlug(campaign),
    canEdit: roleAtLeast(role, 'EDITOR'),
  };
}

type Result = {
  errors: Partial<Record<string, string>>;
  values: Record<string, string>;
  previewHtml?: string;
};

export async function action({ request, params }: ActionFunctionArgs) {
  const campaignId = params.id ?? '';
  await requireCampaignRole(request, campaignId, 'EDITOR');
  const form = await request.formData();
  const values = formValues(form, CAMPAIGN_DETAIL_FIELDS);
  const fail = (errors: Result['errors'], status: number) => data<Result>({ errors, values }, { status });

  return dispatchIntent(
    form,
    {
      save: async () => {
        const parsed = campaignDetailsSchema.safeParse(values);
        if (!parsed.success) return fail(fieldErrors(parsed.error), 400);
        await updateCampaignDetails(campaignId, parsed.data);
        return redirect(`/dashboard/c/${campaignId}/edit?notice=saved`, 303);
      },
      preview: async () => {
        // The statement as the public page will show it, next to the form with everything still typed.
        const statement = campaignDetailsSchema.shape.statement.safeParse(values.statement);
        if (!statement.success) return fail(fieldErrors(statement.error), 400);
        return data<Result>({ errors: {}, values, previewHtml: renderMarkdown(statement.data) });
      },
    },
    fail,
  );
}

const NOTICES: Record<string, string> = {
  created: 'Your draft campaign was created. Add its demands and addressees next, then publish it from “Publish & status”.',
  saved: 'Saved.',
};

export default function EditCampaign() {
  const { campaign, slugLocked, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const busy = useNavigation().state === 'submitting';
  const values = result?.values ?? campaign;
  const errors = result?.errors ?? {};
  return (
    <section className="editor">
      <h2>Edit the campaign</h2>
      <Notice message={result ? null : NOTICES[searchParams.get('notice') ?? '']} />
      {!canEdit ? <p className="hint">You can see this campaign's details; editors and owners can change them.</p> : null}
      {/* Keyed by the last save, so a saved form shows what was stored (e.g. a normalised address). */}
      <Form method="post" noValidate aria-label="Campaign details" key={new Date(campaign.updatedAt).getTime()}>
        <FormError errors={errors} />
        <fieldset disabled={!canEdit} className="plain">
          <CampaignDetailsFields values={values} errors={errors} slugLocked={slugLocked} />
          {canEdit ? (
            <div className="actions">
              <button type="submit" name="intent" value="save" disabled={busy}>
                Save
              </button>{' '}
              <button type="submit" name="intent" value="preview" className="secondary" disabled={busy}>
                Preview
              </button>
            </div>
          ) : null}
        </fieldset>
      </Form>
      {result?.previewHtml !== undefined ? (
        <section className="preview" aria-label="Statement preview">
          <h3>Preview of the statement (not saved yet)</h3>
          {/* The same markup as the public page: Markdown rendered and sanitised by renderMarkdown on the server. */}
          <div className="statement" dangerouslySetInnerHTML={{ __html: result.previewHtml }} />
        </section>
      ) : null}
      <p className="hint">The statement can be up to {CAMPAIGN_LIMITS.statement.toLocaleString('en')} characters.</p>
    </section>
  );
}
