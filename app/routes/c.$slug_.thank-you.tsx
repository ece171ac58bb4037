import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getPublicCampaign } from '../models/campaign.server.ts';
import { removalPathFromCookie } from '../models/thank-you.server.ts';
import { campaignUrl } from '../utils/public-url.server.ts';

export const meta: MetaFunction = () => [{ title: 'Thank you — Chorus' }, { name: 'robots', content: 'noindex' }];

// The page may carry the signer's own removal link: never cache it, never pass it on as a referrer.
export const headers = () => ({ 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'private, no-store' });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const campaign = await getPublicCampaign(params.slug ?? '');
  if (!campaign) throw data({ message: 'We could not find this campaign.' }, { status: 404 });
  return {
    title: campaign.title,
    slug: campaign.slug,
    url: campaignUrl(campaign.slug),
    removalPath: removalPathFromCookie(request.headers.get('Cookie')),
  };
}

export default function ThankYou() {
  const { title, slug, url, removalPath } = useLoaderData<typeof loader>();
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
      <h2>Changed your mind?</h2>
      <p>
        {removalPath ? (
          <>
            You can <Link to={removalPath}>remove your signature</Link> at any time; the same link is in every email we send you.
          </>
        ) : (
          <>You can remove your signature at any time with the link in every email we send you.</>
        )}{' '}
        <Link to="/privacy">How Chorus handles your data</Link>.
      </p>
    </section>
  );
}
