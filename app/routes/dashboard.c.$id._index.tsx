import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { SignaturesChart } from '../components/SignaturesChart.client.tsx';
import { campaignNumbers, signaturesPerDay } from '../models/campaign-numbers.server.ts';
import { recentExports } from '../models/signature-export.server.ts';
import { requireCampaignRole } from '../guards/auth.server.ts';
import { formatDateTime } from '../utils/dates.ts';

// Overview of one campaign for every member: the numbers, signatures per day, and who exported what.

const CHART_DAYS = 60;
// Partner downloads are logged by partner-export.server.ts with this prefix and the partner's slug.
const PARTNER_KIND = 'partner-signatures:';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const campaignId = params.id ?? '';
  await requireCampaignRole(request, campaignId, 'VIEWER');
  const [numbers, days, exports] = await Promise.all([
    campaignNumbers(campaignId),
    signaturesPerDay(campaignId, CHART_DAYS),
    recentExports(campaignId),
  ]);
  return {
    campaignId,
    numbers: {
      ...numbers,
      addressees: numbers.addressees.map((a) => ({ ...a, lastDeliveredAt: a.lastDeliveredAt?.toISOString() ?? null })),
    },
    days,
    exports: exports.map((e) => ({
      id: e.id,
      kind: e.kind,
      rowCount: e.rowCount,
      createdAt: e.createdAt.toISOString(),
      who: e.user
        ? e.user.name
          ? `${e.user.name} (${e.user.email})`
          : e.user.email
        : e.kind.startsWith(PARTNER_KIND)
          ? 'The partner, with their link'
          : 'A deleted account',
    })),
  };
}

const n = (value: number) => value.toLocaleString('en');
const kindLabel = (kind: string) =>
  kind === 'signatures-csv' ? 'Signatures (CSV)' : kind.startsWith(PARTNER_KIND) ? `Signers via partner ${kind.slice(PARTNER_KIND.length)}` : kind;

function Stat({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div className="stat" data-testid={testId}>
      <strong>{n(value)}</strong> {label}
    </div>
  );
}

export default function CampaignOverview() {
  const { campaignId, numbers, days, exports } = useLoaderData<typeof loader>();
  // The chart needs the browser; until React has hydrated (or without JavaScript) the table shows.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const busiest = Math.max(0, ...days.map((d) => d.submitted));

  return (
    <>
      <h2>Numbers</h2>
      <div className="stats">
        <Stat label="confirmed" value={numbers.confirmed} testId="stat-confirmed" />
        <Stat label="waiting for confirmation" value={numbers.pending} testId="stat-pending" />
        <Stat label="submitted in all" value={numbers.submitted} testId="stat-submitted" />
        <Stat label="unsubscribed from updates" value={numbers.unsubscribed} testId="stat-unsubscribed" />
      </div>

      <h2>Delivered to addressees</h2>
      {numbers.addressees.length === 0 ? (
        <p>This campaign has no addressees yet.</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th>Addressee</th>
              <th>Emails accepted</th>
              <th>Signatures delivered</th>
              <th>Pending</th>
              <th>Failed</th>
              <th>Last delivered</th>
            </tr>
          </thead>
          <tbody>
            {numbers.addressees.map((a) => (
              <tr key={a.id} data-testid="addressee-numbers">
                <td>
                  {a.name}
                  {a.paused ? <span className="badge paused"> Paused</span> : null}
                </td>
                <td>{n(a.lettersSent)}</td>
                <td>{n(a.signaturesDelivered)}</td>
                <td>{n(a.deliveries.PENDING)}</td>
                <td>{a.deliveries.FAILED ? <Link to={`deliveries?addressee=${a.id}`}>{n(a.deliveries.FAILED)}</Link> : 0}</td>
                <td>{formatDateTime(a.lastDeliveredAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Signatures per day</h2>
      <p className="hint">The last {CHART_DAYS} days, in UTC. Busiest day: {n(busiest)} submitted.</p>
      {hydrated && SignaturesChart ? (
        <div className="chart-box">
          <SignaturesChart days={days} />
        </div>
      ) : null}
      <details className="chart-table" open={!hydrated}>
        <summary>{hydrated ? 'Show as a table' : 'Signatures per day'}</summary>
        <table className="data">
          <thead>
            <tr>
              <th>Day</th>
              <th>Submitted</th>
              <th>Confirmed</th>
            </tr>
          </thead>
          <tbody>
            {[...days].reverse().map((d) => (
              <tr key={d.day}>
                <td>{d.day}</td>
                <td>{n(d.submitted)}</td>
                <td>{n(d.confirmed)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>

      <h2>Exports</h2>
      <p>
        <a className="button" href={`/dashboard/c/${campaignId}/export`} download>
          Download confirmed signatures (CSV)
        </a>
      </p>
      <p className="hint">What the file contains depends on your role. Every download is recorded here.</p>
      {exports.length === 0 ? (
        <p>Nobody has exported signatures yet.</p>
      ) : (
        <table className="data" data-testid="exports">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>What</th>
              <th>Rows</th>
            </tr>
          </thead>
          <tbody>
            {exports.map((e) => (
              <tr key={e.id}>
                <td>{formatDateTime(e.createdAt)}</td>
                <td>{e.who}</td>
                <td>{kindLabel(e.kind)}</td>
                <td>{n(e.rowCount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
