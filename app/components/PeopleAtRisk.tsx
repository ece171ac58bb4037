import { Link } from '@remix-run/react';
import { formatDay } from '../utils/dates.ts';

type Card = { id: string; slug: string; name: string; photoUrl: string | null; role: string; residence: string | null; status: string; statusLabel: string };

/** Cards for the people a campaign is about, each linking to the person's profile. */
export function PeopleAtRisk({ people }: { people: Card[] }) {
  if (people.length === 0) return null;
  return (
    <section aria-labelledby="people-at-risk">
      <h2 id="people-at-risk">People at risk</h2>
      <ul className="people-cards">
        {people.map((p) => (
          <li key={p.id} className="person-card" data-testid="person-card">
            {p.photoUrl ? <img src={p.photoUrl} alt="" className="person-photo" loading="lazy" /> : <span className="person-photo placeholder" aria-hidden="true">{initials(p.name)}</span>}
            <div>
              <h3>
                <Link to={`/people/${p.slug}`}>{p.name}</Link>
              </h3>
              <p className="hint">
                {p.role}
                {p.residence ? `, ${p.residence}` : ''}
              </p>
              <PersonStatusBadge status={p.status} label={p.statusLabel} />
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function PersonStatusBadge({ status, label }: { status: string; label: string }) {
  return <span className={`badge person-status status-${status.toLowerCase().replace(/_/g, '-')}`}>{label}</span>;
}

/** The Name and Status cells of a row in the organisers' tables of people. */
export function PersonRowCells({ person }: { person: { id: string; name: string; role: string; status: string; statusLabel: string } }) {
  return (
    <>
      <td>
        <Link to={`/dashboard/people/${person.id}`}>{person.name}</Link>
        <div className="hint">{person.role}</div>
      </td>
      <td>
        <PersonStatusBadge status={person.status} label={person.statusLabel} />
      </td>
    </>
  );
}

/** One term of a profile's facts list, left out when there is nothing to say. */
export function Fact({ term, value, multiline }: { term: string; value: string | null | undefined; multiline?: boolean }) {
  return value ? (
    <>
      <dt>{term}</dt>
      <dd className={multiline ? 'multiline' : undefined}>{value}</dd>
    </>
  ) : null;
}

function initials(name: string) {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('');
}

type Dated = { id: string; date: Date | string; title: string; description: string | null };

/** A dated list of events, oldest first (the order the loaders give). */
export function DatedTimeline({ events, testId }: { events: Dated[]; testId?: string }) {
  return (
    <ol className="timeline" data-testid={testId}>
      {events.map((e) => (
        <li key={e.id}>
          <time dateTime={new Date(e.date).toISOString().slice(0, 10)}>{formatDay(e.date)}</time>
          <strong>{e.title}</strong>
          {e.description ? <p>{e.description}</p> : null}
        </li>
      ))}
    </ol>
  );
}
