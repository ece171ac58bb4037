import type { LoaderFunctionArgs } from '@remix-run/node';
import { getCampaignCount } from '../models/campaign.server.ts';

/** The live count, polled by an open campaign page. Cached briefly: a few seconds behind is fine. */
export async function loader({ params }: LoaderFunctionArgs) {
  const campaign = await getCampaignCount(params.slug ?? '');
  if (!campaign) return Response.json({ error: 'not found' }, { status: 404 });
  return Response.json(
    { count: campaign.signatureCount, goal: campaign.goal },
    { headers: { 'Cache-Control': 'public, max-age=5' } },
  );
}
