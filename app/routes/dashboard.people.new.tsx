import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { PERSON_FORM_FIELDS, PersonForm, formValues } from '../components/PersonForm.tsx';
import { PersonAccessError, createPerson } from '../models/person.server.ts';
import { requireCampaignRole, requireUser } from '../guards/auth.server.ts';
import { InvalidInputError } from '../validation/person.ts';

export const meta: MetaFunction = () => [{ title: 'Add a person at risk — Chorus dashboard' }];

/** With ?campaign=<id> the new profile is linked to that campaign (owners and editors only). */
async function linkTarget(request: Request) {
  const campaignId = new URL(request.url).searchParams.get('campaign');
  if (!campaignId) return null;
  const { campaign } = await requireCampaignRole(request, campaignId, 'EDITOR');
  return campaign;
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const campaign = await linkTarget(request);
  return { campaign: campaign ? { id: campaign.id, title: campaign.title } : null };
}

type ActionResult = { errors: Partial<Record<string, string>>; values: Record<string, string> };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const campaign = await linkTarget(request);
  const values = formValues(await request.formData(), PERSON_FORM_FIELDS);
  try {
    const person = await createPerson(user.id, values, { linkToCampaignId: campaign?.id });
    return redirect(campaign ? `/dashboard/c/${campaign.id}/people?done=linked` : `/dashboard/people/${person.id}`, 303);
  } catch (error) {
    if (error instanceof InvalidInputError) return data<ActionResult>({ errors: error.fieldErrors, values }, { status: 400 });
    if (error instanceof PersonAccessError) return data<ActionResult>({ errors: { form: error.message }, values }, { status: 403 });
    throw error;
  }
}

export default function NewPerson() {
  const { campaign } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p className="hint">
        <Link to="/dashboard/people">People at risk</Link>
      </p>
      <h1>Add a person at risk</h1>
      {campaign ? <p>The profile will be linked to <strong>{campaign.title}</strong>.</p> : null}
      <p className="hint">
        The profile becomes public once it is linked to a published campaign. Health notes stay with organisers unless you choose
        otherwise.
      </p>
      <PersonForm values={result?.values ?? {}} errors={result?.errors ?? {}} withStatus submitLabel="Create the profile" />
    </>
  );
}
