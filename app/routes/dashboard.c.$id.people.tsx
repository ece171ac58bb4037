import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { PersonRowCells } from '../components/PeopleAtRisk.tsx';
import { FormError } from '../components/forms.tsx';
import { roleAtLeast } from '../models/membership.server.ts';
import {
  linkPersonToCampaign,
  linkablePeople,
  peopleForCampaign,
  unlinkPersonFromCampaign,
} from '../models/person.server.ts';
import { requireCampaignRole } from '../guards/auth.server.ts';
import { dispatchIntent } from '../utils/intent.server.ts';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, role, campaign } = await requireCampaignRole(request, params.id ?? '', 'VIEWER');
  const canEdit = roleAtLeast(role, 'EDITOR');
  const [people, linkable] = await Promise.all([peopleForCampaign(campaign.id), canEdit ? linkablePeople(user.id, campaign.id) : []]);
  const done = new URL(request.url).searchParams.get('done');
  return { campaign, canEdit, people, linkable, flash: done === 'linked' ? 'The person was linked.' : done === 'unlinked' ? 'The person was unlinked. The profile itself was kept.' : null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, campaign } = await requireCampaignRole(request, params.id ?? '', 'EDITOR');
  const form = await request.formData();
  const personId = String(form.get('personId') ?? '');
  return dispatchIntent(form, {
    link: async () => {
      if (!personId) return data({ errors: { form: 'Please choose a person to link.' } }, { status: 400 });
      await linkPersonToCampaign(user.id, campaign.id, personId);
      return redirect(`/dashboard/c/${campaign.id}/people?done=linked`, 303);
    },
    unlink: async () => {
      await unlinkPersonFromCampaign(user.id, campaign.id, personId);
      return redirect(`/dashboard/c/${campaign.id}/people?done=unlinked`, 303);
    },
  });
}

export default function CampaignPeople() {
  const { campaign, canEdit, people, linkable, flash } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h2>People at risk</h2>
      <p className="hint">They appear as cards on the public campaign page, with links to their profiles.</p>
      {flash ? (
        <p className="flash" role="status">
          {flash}
        </p>
      ) : null}
      <FormError errors={result?.errors} />
      {people.length === 0 ? <p>No one is linked to this campaign yet.</p> : null}
      {people.length > 0 ? (
        <table className="data">
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              {canEdit ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {people.map((p) => (
              <tr key={p.id}>
                <PersonRowCells person={p} />
                {canEdit ? (
                  <td>
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="personId" value={p.id} />
                      <button type="submit" name="intent" value="unlink" className="secondary">
                        Unlink
                      </button>
                    </Form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {canEdit ? (
        <>
          <h3>Link a profile</h3>
          {linkable.length > 0 ? (
            <Form method="post" className="panel">
              <div className="field">
                <label htmlFor="link-person">Person</label>
                <select id="link-person" name="personId" defaultValue="">
                  <option value="" disabled>
                    Choose a profile you can edit…
                  </option>
                  {linkable.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name} — {p.role}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" name="intent" value="link">
                Link to this campaign
              </button>
            </Form>
          ) : (
            <p className="hint">You can link profiles you created or that belong to campaigns you edit; none is waiting.</p>
          )}
          <p>
            <Link className="button secondary" to={`/dashboard/people/new?campaign=${campaign.id}`}>
              Add a new person
            </Link>
          </p>
        </>
      ) : (
        <p className="hint">As a viewer you can see who this campaign is about; owners and editors change it.</p>
      )}
    </>
  );
}
