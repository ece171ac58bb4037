import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { PersonRowCells } from '../components/PeopleAtRisk.tsx';
import { listPeopleForUser } from '../models/person.server.ts';
import { requireUser } from '../guards/auth.server.ts';

export const meta: MetaFunction = () => [{ title: 'People at risk — Chorus dashboard' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { people: await listPeopleForUser(user.id) };
}

export default function PeopleIndex() {
  const { people } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="hint">
        <Link to="/dashboard">All your campaigns</Link>
      </p>
      <h1>People at risk</h1>
      <p>
        Profiles are shared across campaigns. You see the ones you created and those linked to your campaigns; link a profile to a
        campaign from the campaign&apos;s <em>People</em> tab.
      </p>
      <p>
        <Link className="button" to="/dashboard/people/new">
          Add a person
        </Link>
      </p>
      {people.length === 0 ? <p>No profiles yet.</p> : null}
      {people.length > 0 ? (
        <table className="data">
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th>Campaigns</th>
              <th>You can</th>
            </tr>
          </thead>
          <tbody>
            {people.map((p) => (
              <tr key={p.id}>
                <PersonRowCells person={p} />
                <td>{p.campaigns.length === 0 ? <span className="hint">Not linked yet</span> : p.campaigns.map((c) => c.title).join('; ')}</td>
                <td>{p.canEdit ? 'Edit' : 'View'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
