import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { listMyCampaigns } from '../models/membership.server.ts';
import { requireUser } from '../guards/auth.server.ts';

export const meta: MetaFunction = () => [{ title: 'Your campaigns — Chorus' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const memberships = await listMyCampaigns(user.id);
  return { user: { name: user.name, email: user.email, isAdmin: user.isAdmin }, memberships };
}

const STATUS: Record<string, string> = { DRAFT: 'Draft', IN_REVIEW: 'In review', PUBLISHED: 'Published', CLOSED: 'Closed', WON: 'Won' };
const ROLE: Record<string, string> = { OWNER: 'Owner', EDITOR: 'Editor', VIEWER: 'Viewer' };

export default function Dashboard() {
  const { user, memberships } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Your campaigns</h1>
      <p className="hint">Signed in as {user.name ? `${user.name} (${user.email})` : user.email}.</p>
      <p>
        <Link className="button" to="/dashboard/new">
          Start a new campaign
        </Link>{' '}
        <Link className="button secondary" to="/dashboard/people">
          People at risk
        </Link>
      </p>
      {memberships.length === 0 ? <p>You are not a member of any campaign yet.</p> : null}
      <table className="data">
        <thead>
          <tr>
            <th>Campaign</th>
            <th>Status</th>
            <th>Your role</th>
            <th>Signatures</th>
          </tr>
        </thead>
        <tbody>
          {memberships.map(({ campaign, role }) => (
            <tr key={campaign.id}>
              <td>
                <Link to={`/dashboard/c/${campaign.id}`}>{campaign.title}</Link>
              </td>
              <td>{STATUS[campaign.status]}</td>
              <td>{ROLE[role]}</td>
              <td>
                {campaign.signatureCount.toLocaleString('en')} / {campaign.goal.toLocaleString('en')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
