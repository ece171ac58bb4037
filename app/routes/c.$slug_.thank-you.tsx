import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getPublicCampaign } from '../models/campaign.server.ts';
import { campaignUrl } from '../utils/public-url.server.ts';

export const meta: MetaFunction = () => [{ title: 'Thank you — Chorus' }, { name: 'robots', content: 'noindex' }];

export async function loader({ params }: LoaderFunctionArgs) {
  const campaign = await getPublicCampaign(params.slug ?? '');
  if (!campaign) throw data({ message: 'We could not find this campaign.' }, { status: 404 });
  return { title: campaign.title, slug: campaign.slug, url: campaignUrl(campaign.slug) };
}

export default function ThankYou() {
  const { title, slug, url } = useLoaderData<typeof loader>();
  const u = encodeURIComponent(url);
  const t = encodeURIComponent(`I signed: ${title}`);
  const links = [
    { name: 'Facebook', href: `https://www.facebook.com/sharer/sharer.php?u=${u}` },
    { name: 'X', href: `https://twitter.com/intent/tweet?url=${u}&text=${t}` },
    { name: 'Telegram', href: `https://t.me/share/url?url=${u}&text=${t}` },
    { name: 'WhatsApp', href: `https://wa.me/?text=${t}%20${u}` },
    { name: 'Email', href: `mailto:?subject=${t}&body=${u}` },
  ];
  return (
    <section className="notice">
      <h1>Thank you — your signature is confirmed</h1>
      <p>
        You have signed <strong>{title}</strong>. Your signature is being added to the count and delivered to the people this
        statement is addressed to.
      </p>
      <h2>Ask others to sign</h2>
      <ul className="share">
        {links.map((l) => (
          <li key={l.name}>
            <a href={l.href} target="_blank" rel="noopener noreferrer">
              Share on {l.name}
            </a>
          </li>
        ))}
      </ul>
      <p className="hint">
        Or copy the link: <code>{url}</code>
      </p>
      <p>
        <Link to={`/c/${slug}`}>Back to the campaign</Link>
      </p>
    </section>
  );
}
