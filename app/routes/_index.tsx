import type { MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { Progress } from '../components/Progress.tsx';
import { listPublishedCampaigns, progressPercent } from '../models/campaign.server.ts';
import { isDatabaseUnavailable, serviceUnavailable } from '../utils/http.server.ts';

export const meta: MetaFunction = () => [
  { title: 'Chorus — campaigns and petitions for civil society' },
  { name: 'description', content: 'Read the statements, sign, and see every letter delivered to the people in power.' },
];

export async function loader() {
  try {
    const campaigns = await listPublishedCampaigns();
    return { campaigns: campaigns.map((c) => ({ ...c, percent: progressPercent(c.signatureCount, c.goal) })) };
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw serviceUnavailable('Campaigns cannot be shown right now. Please try again in a minute.');
    throw error;
  }
}

export default function Index() {
  const { campaigns } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Campaigns</h1>
      {campaigns.length === 0 ? <p>No campaigns are open for signatures right now.</p> : null}
      <ul className="campaign-list">
        {campaigns.map((c) => (
          <li key={c.id} className="card">
            <h2>
              <Link to={`/c/${c.slug}`}>{c.title}</Link>
            </h2>
            <p>{c.summary}</p>
            <Progress count={c.signatureCount} goal={c.goal} percent={c.percent} />
            <Link to={`/c/${c.slug}`} className="button">
              Read and sign
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
