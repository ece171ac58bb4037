import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { NavLink, Outlet, useLoaderData } from '@remix-run/react';
import { requireCampaignRole } from '../guards/auth.server.ts';

// The frame of every organiser page of one campaign. It only checks that the visitor is a member;
// each child route checks the role its own loader and action need.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign, role } = await requireCampaignRole(request, params.id ?? '', 'VIEWER');
  return { campaign, role };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.campaign.title ?? 'Campaign'} — Chorus dashboard` }];

export const TABS = [
  { to: '', label: 'Overview' },
  { to: 'edit', label: 'Edit' },
  { to: 'demands', label: 'Demands' },
  { to: 'addressees', label: 'Addressees' },
  { to: 'status', label: 'Publish & status' },
  { to: 'signatures', label: 'Signatures' },
  { to: 'deliveries', label: 'Deliveries' },
  { to: 'updates', label: 'Updates' },
  { to: 'partners', label: 'Partners' },
  { to: 'people', label: 'People' },
  { to: 'timeline', label: 'Timeline & responses' },
  { to: 'members', label: 'Members' },
];

const STATUS: Record<string, string> = { DRAFT: 'Draft', IN_REVIEW: 'In review', PUBLISHED: 'Published', CLOSED: 'Closed', WON: 'Won' };

export default function CampaignDashboard() {
  const { campaign, role } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="hint">
        <a href="/dashboard">All your campaigns</a> · {STATUS[campaign.status]} · you are {role.toLowerCase()} ·{' '}
        <a href={`/c/${campaign.slug}`}>{campaign.status === 'DRAFT' || campaign.status === 'IN_REVIEW' ? 'Preview the page' : 'Public page'}</a>
      </p>
      <h1>{campaign.title}</h1>
      <ul className="dash-nav">
        {TABS.map((t) => (
          <li key={t.to}>
            <NavLink to={t.to} end={t.to === ''} className={({ isActive }) => (isActive ? 'active' : undefined)}>
              {t.label}
            </NavLink>
          </li>
        ))}
      </ul>
      <Outlet />
    </>
  );
}
