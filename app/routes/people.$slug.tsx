import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { DatedTimeline, Fact, PersonStatusBadge } from '../components/PeopleAtRisk.tsx';
import { getPublicPerson } from '../models/person.server.ts';
import { isDatabaseUnavailable, serviceUnavailable } from '../utils/http.server.ts';
import { markdownToText, renderMarkdown } from '../utils/markdown.server.ts';
import { formatDay } from '../utils/dates.ts';
import { personUrl } from '../utils/public-url.server.ts';

export async function loader({ params }: LoaderFunctionArgs) {
  try {
    const person = await getPublicPerson(params.slug ?? '');
    if (!person) throw data({ message: 'We could not find this person. The profile may have been moved or is not public.' }, { status: 404 });
    const { story, ...rest } = person;
    return {
      person: rest,
      // Story is organiser Markdown: rendered and sanitised here, never injected raw.
      storyHtml: renderMarkdown(story),
      description: markdownToText(story).slice(0, 200) || `${person.name}, ${person.role}`,
      url: personUrl(person.slug),
    };
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw serviceUnavailable('This profile cannot be shown right now. Please try again in a minute.');
    throw error;
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: 'Person not found — Chorus' }];
  const { person, description, url } = data;
  return [
    { title: `${person.name} — ${person.statusLabel} — Chorus` },
    { name: 'description', content: description },
    { property: 'og:type', content: 'profile' },
    { property: 'og:title', content: person.name },
    { property: 'og:description', content: description },
    { property: 'og:url', content: url },
    ...(person.photoUrl ? [{ property: 'og:image', content: person.photoUrl }] : []),
  ];
};

export default function PersonPage() {
  const { person, storyHtml } = useLoaderData<typeof loader>();
  return (
    <article className="person-profile">
      <header className="person-header">
        {person.photoUrl ? <img className="person-photo large" src={person.photoUrl} alt={`Photo of ${person.name}`} /> : null}
        <div>
          <h1>{person.name}</h1>
          <p className="lead">{person.role}</p>
          <p data-testid="person-status">
            Status: <PersonStatusBadge status={person.status} label={person.statusLabel} />
          </p>
        </div>
      </header>

      <dl className="facts">
        <Fact term="Place of residence" value={person.residence} />
        <Fact term="Date of birth" value={formatDay(person.dateOfBirth)} />
        <Fact term="Charges" value={person.charges} multiline />
        <Fact term="Health" value={person.healthNotes} multiline />
      </dl>

      {storyHtml ? (
        <section aria-labelledby="story">
          <h2 id="story">Story</h2>
          <div className="statement" dangerouslySetInnerHTML={{ __html: storyHtml }} />
        </section>
      ) : null}

      {person.sourceOrg || person.sourceDate ? (
        <p className="hint" data-testid="person-source">
          Source: {[person.sourceOrg, formatDay(person.sourceDate)].filter(Boolean).join(', ')}
        </p>
      ) : null}

      {person.events.length > 0 ? (
        <section aria-labelledby="timeline">
          <h2 id="timeline">Timeline</h2>
          <DatedTimeline events={person.events} testId="person-timeline" />
        </section>
      ) : null}

      <section aria-labelledby="campaigns">
        <h2 id="campaigns">Campaigns about {person.name}</h2>
        <ul className="campaign-links">
          {person.campaigns.map((c) => (
            <li key={c.slug}>
              <Link to={`/c/${c.slug}`}>{c.title}</Link>
              {c.status !== 'PUBLISHED' ? <span className="badge closed">{c.status === 'WON' ? 'Won' : 'Closed'}</span> : null}
              <p className="hint">{c.summary}</p>
            </li>
          ))}
        </ul>
      </section>
    </article>
  );
}
