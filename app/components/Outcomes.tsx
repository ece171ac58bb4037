import { DEMAND_STATUS_LABELS } from '../validation/outcome.ts';
import { dayValue } from '../validation/person.ts';
import { formatDay } from '../utils/dates.ts';
import { DatedTimeline } from './PeopleAtRisk.tsx';

type DemandOutcomeProps = { status: keyof typeof DEMAND_STATUS_LABELS; statusNote: string | null; statusDate: Date | string | null };

/** A demand's status badge and its dated note; nothing while the demand is simply open with no note. */
export function DemandOutcome({ outcome }: { outcome: DemandOutcomeProps | undefined }) {
  if (!outcome || (outcome.status === 'OPEN' && !outcome.statusNote)) return null;
  return (
    <div className="demand-outcome" data-testid="demand-status">
      <span className={`badge demand-${outcome.status.toLowerCase().replace('_', '-')}`}>{DEMAND_STATUS_LABELS[outcome.status]}</span>
      {outcome.statusDate ? (
        <>
          {' '}
          <time className="hint" dateTime={dayValue(outcome.statusDate)}>
            {formatDay(outcome.statusDate)}
          </time>
        </>
      ) : null}
      {outcome.statusNote ? <span className="multiline"> — {outcome.statusNote}</span> : null}
    </div>
  );
}

type Response = { id: string; date: Date | string; summary: string; url: string | null };

/** What an addressee has answered, oldest first, under its delivery receipt. */
export function AddresseeResponses({ responses }: { responses: Response[] | undefined }) {
  if (!responses || responses.length === 0) return null;
  return (
    <ul className="responses" aria-label="Responses">
      {responses.map((r) => (
        <li key={r.id} data-testid="addressee-response">
          <strong>Response</strong>, <time dateTime={dayValue(r.date)}>{formatDay(r.date)}</time>: <span className="multiline">{r.summary}</span>
          {r.url ? (
            <>
              {' '}
              <a href={r.url} rel="noopener noreferrer nofollow" target="_blank">
                Read it
              </a>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

type Event = { id: string; date: Date | string; title: string; description: string | null };

export function CampaignTimeline({ events }: { events: Event[] }) {
  if (events.length === 0) return null;
  return (
    <section aria-labelledby="campaign-timeline">
      <h2 id="campaign-timeline">Timeline</h2>
      <DatedTimeline events={events} testId="campaign-timeline" />
    </section>
  );
}
