import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { partnerPage } from '../models/co-signatories.server.ts';
import { isDatabaseUnavailable, serviceUnavailable } from '../utils/http.server.ts';

export async function loader({ params }: LoaderFunctionArgs) {
  try {
    const page = await partnerPage(params.slug ?? '');
    if (!page) throw data({ message: 'We could not find this co-signatory.' }, { status: 404 });
    return page;
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw serviceUnavailable('This page cannot be shown right now. Please try again in a minute.');
    throw error;
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `${data.partner.name} — Chorus` },
        { name: 'description', content: `Statements co-signed by ${data.partner.name}.` },
      ]
    : [{ title: 'Not found — Chorus' }];

export default function PartnerPage() {
  const { partner, campaigns } = useLoaderData<typeof loader>();
  const description = [partner.title, partner.affiliation].filter(Boolean).join(', ');
  return (
    <section>
      {partner.logoUrl ? <img className="partner-logo large" src={partner.logoUrl} alt="" /> : null}
      <h1>{partner.name}</h1>
      {description ? <p className="lead">{description}</p> : null}
      <p className="hint">
        {partner.kind === 'ORGANISATION' ? 'Organisation' : 'Individual'} · {partner.countryName}
        {partner.website ? (
          <>
            {' · '}
            <a href={partner.website} rel="nofollow noopener noreferrer">
              {partner.website}
            </a>
          </>
        ) : null}
      </p>
      <h2>
        Statements co-signed <span className="count">({campaigns.length})</span>
      </h2>
      <ul className="campaign-list">
        {campaigns.map((c) => (
          <li key={c.slug} className="card" data-testid="co-signed-campaign">
            <h2>
              <Link to={`/c/${c.slug}`}>{c.title}</Link>
            </h2>
            <p>{c.summary}</p>
            {c.supportLine ? <q className="support-line">{c.supportLine}</q> : null}
            <p className="hint">
              {c.signatureCount.toLocaleString('en')} signatures{c.status === 'WON' ? ' · Victory' : c.status === 'CLOSED' ? ' · Closed' : ''}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
