import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useNavigation } from '@remix-run/react';
import { CampaignDetailsFields } from '../components/campaign-fields.tsx';
import { FormError } from '../components/forms.tsx';
import { createCampaign } from '../models/campaign-details.server.ts';
import { CampaignAdminError } from '../models/campaign-guard.server.ts';
import { requireUser } from '../guards/auth.server.ts';
import { clientIp } from '../utils/http.server.ts';
import { CAMPAIGN_DETAIL_FIELDS, campaignDetailsSchema, formValues, suggestSlug } from '../validation/campaign.ts';
import { fieldErrors } from '../validation/forms.ts';

export const meta: MetaFunction = () => [{ title: 'Start a new campaign — Chorus' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

type Result = { errors: Partial<Record<string, string>>; values: Record<string, string> };

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = formValues(await request.formData(), CAMPAIGN_DETAIL_FIELDS);
  if (!values.slug.trim() && values.title.trim()) values.slug = suggestSlug(values.title);
  const parsed = campaignDetailsSchema.safeParse(values);
  if (!parsed.success) return data<Result>({ errors: fieldErrors(parsed.error), values }, { status: 400 });
  try {
    const campaign = await createCampaign(user.id, parsed.data, { ip: clientIp(context) });
    return redirect(`/dashboard/c/${campaign.id}/edit?notice=created`, 303);
  } catch (error) {
    if (error instanceof CampaignAdminError) return data<Result>({ errors: { [error.field]: error.message }, values }, { status: error.status });
    throw error;
  }
}

export default function NewCampaign() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  return (
    <section className="editor">
      <p className="hint">
        <Link to="/dashboard">All your campaigns</Link>
      </p>
      <h1>Start a new campaign</h1>
      <p>It starts as a draft that only you (and people you invite) can see. Add demands and addressees next, then publish it.</p>
      <Form method="post" noValidate aria-label="New campaign">
        <FormError errors={result?.errors} />
        <CampaignDetailsFields values={result?.values ?? { goal: '1000' }} errors={result?.errors ?? {}} slugOptional />
        <button type="submit" disabled={busy}>
          Create the draft
        </button>
      </Form>
    </section>
  );
}
