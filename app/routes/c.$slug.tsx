import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, isRouteErrorResponse, useActionData, useLoaderData, useRouteError } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { Progress } from '../components/Progress.tsx';
import { SignForm } from '../components/SignForm.tsx';
import { PeopleAtRisk } from '../components/PeopleAtRisk.tsx';
import { AddresseeResponses, CampaignTimeline, DemandOutcome } from '../components/Outcomes.tsx';
import { publicOutcomes } from '../models/outcome.server.ts';
import { VISIBLE_STATUSES, findCurrentSlug, getPublicCampaign, progressPercent } from '../models/campaign.server.ts';
import { findMembership } from '../models/membership.server.ts';
import {
  CampaignClosedError,
  CampaignNotFoundError,
  RateLimitedError,
  createSignature,
  recentSigners,
} from '../models/signature.server.ts';
import { getUser } from '../guards/auth.server.ts';
import { clientIp, isDatabaseUnavailable, serviceUnavailable } from '../utils/http.server.ts';
import { renderMarkdown } from '../utils/markdown.server.ts';
import { approvedCoSignatories, approvedPartnerForCampaign } from '../models/co-signatories.server.ts';
import { countryName } from '../validation/countries.ts';
import { validateForm } from '../validation/forms.ts';
import { signatureSchema } from '../validation/signature.ts';
import { listPublishedUpdates } from '../models/update.server.ts';
import { campaignUrl } from '../utils/public-url.server.ts';
import { formatDateTime, formatDay } from '../utils/dates.ts';

// The statement only changes with the campaign, so its sanitised HTML is kept per campaign version.
const renderedStatements = new Map<string, string>();
function statementHtml(campaignId: string, updatedAt: Date, markdown: string): string {
  const key = `${campaignId}:${updatedAt.getTime()}`;
  let html = renderedStatements.get(key);
  if (html === undefined) {
    if (renderedStatements.size >= 500) renderedStatements.clear();
    html = renderMarkdown(markdown);
    renderedStatements.set(key, html);
  }
  return html;
}

/** Drafts and campaigns in review are shown, as a preview, only to their members and platform admins. */
async function mayPreview(request: Request, campaignId: string) {
  const user = await getUser(request);
  if (!user) return false;
  return user.isAdmin || (await findMembership(user.id, campaignId)) !== null;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const slug = params.slug ?? '';
    const found = await getPublicCampaign(slug, { includeUnpublished: true });
    const preview = !!found && !VISIBLE_STATUSES.includes(found.status);
    const campaign = found && (!preview || (await mayPreview(request, found.id))) ? found : null;
    if (!campaign) {
      // An address the campaign had before keeps working.
      const current = await findCurrentSlug(slug);
      if (current) throw redirect(`/c/${current}`, 301);
      throw data({ message: 'We could not find this campaign. It may have been moved or removed.' }, { status: 404 });
    }
    // Independent reads, in parallel: people at risk, outcomes and timeline come in one call.
    const [signers, outcomes, updates, coSignatories, viaPartner] = await Promise.all([
      recentSigners(campaign.id),
      publicOutcomes(campaign.id),
      listPublishedUpdates(campaign.id),
      approvedCoSignatories(campaign.id),
      // `?via=<partner slug>` credits an approved co-signatory; the sign form carries it in a hidden field.
      approvedPartnerForCampaign(campaign.id, new URL(request.url).searchParams.get('via')),
    ]);
    const { statement, updatedAt, ...rest } = campaign;
    return {
      campaign: { ...rest, percent: progressPercent(campaign.signatureCount, campaign.goal) },
      statementHtml: statementHtml(campaign.id, updatedAt, statement),
      outcomes,
      signers: signers.map((s) => ({ ...s, countryName: countryName(s.country) })),
      updates: updates.map((u) => ({ ...u, publishedAt: u.publishedAt.toISOString() })),
      url: campaignUrl(campaign.slug),
      coSignatories,
      viaPartner: viaPartner ? { slug: viaPartner.slug, name: viaPartner.name } : null,
      preview,
    };
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw serviceUnavailable('This campaign cannot be shown right now. Please try again in a minute.');
    throw error;
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: 'Campaign not found — Chorus' }];
  const { campaign, url } = data;
  if (data.preview) return [{ title: `Preview: ${campaign.title} — Chorus` }, { name: 'robots', content: 'noindex' }];
  return [
    { title: `${campaign.title} — Chorus` },
    { name: 'description', content: campaign.summary },
    { property: 'og:type', content: 'website' },
    { property: 'og:title', content: campaign.title },
    { property: 'og:description', content: campaign.summary },
    { property: 'og:url', content: url },
    ...(campaign.imageUrl ? [{ property: 'og:image', content: campaign.imageUrl }] : []),
    { name: 'twitter:card', content: campaign.imageUrl ? 'summary_large_image' : 'summary' },
  ];
};

type ActionResult = { errors: Partial<Record<string, string>>; values: Partial<Record<string, string>> };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const slug = params.slug ?? '';
  const form = await request.formData();
  // Bots fill every field; people never see this one. They get the same answer and nothing is stored.
  if (String(form.get('website') ?? '') !== '') return redirect(`/c/${encodeURIComponent(slug)}/check-email`, 303);

  // The sign form runs the same check in the browser before it posts.
  const parsed = validateForm(signatureSchema, form, 5_000);
  const values = parsed.values;
  if (!parsed.success) return data<ActionResult>({ errors: parsed.errors, values }, { status: 400 });

  try {
    await createSignature(slug, parsed.data, clientIp(context));
  } catch (error) {
    if (error instanceof CampaignNotFoundError) return data<ActionResult>({ errors: { form: error.message }, values }, { status: 404 });
    if (error instanceof CampaignClosedError) return data<ActionResult>({ errors: { form: error.message }, values }, { status: 409 });
    if (error instanceof RateLimitedError) {
      return data<ActionResult>({ errors: { form: error.message }, values }, { status: 429, headers: { 'Retry-After': String(error.retryAfterSeconds) } });
    }
    // Whatever else went wrong happened before the commit: say plainly that nothing was recorded.
    console.error(`[sign] not recorded: ${(error as Error).message}`);
    const message = isDatabaseUnavailable(error)
      ? 'Your signature was NOT recorded: our database is not answering. Please try again in a few minutes.'
      : 'Your signature was NOT recorded because of an error on our side. Please try again in a few minutes.';
    return data<ActionResult>({ errors: { form: message }, values }, { status: 503, headers: { 'Retry-After': '60' } });
  }
  return redirect(`/c/${encodeURIComponent(slug)}/check-email`, 303);
}

/** Keeps the count fresh while the page is open; the page works the same without it. */
function useLiveCount(slug: string, initial: number) {
  const [count, setCount] = useState(initial);
  useEffect(() => setCount(initial), [initial]);
  useEffect(() => {
    const timer = setInterval(async () => {
      if (document.visibilityState !== 'visible') return;
      const res = await fetch(`/c/${slug}/count`).catch(() => null);
      if (res?.ok) setCount(((await res.json()) as { count: number }).count);
    }, 10_000);
    return () => clearInterval(timer);
  }, [slug]);
  return count;
}

function deliveryDescription(mode: string, intervalMinutes: number): string {
  if (mode === 'PER_SIGNATURE') return 'Receives a letter for each confirmed signature.';
  const hours = intervalMinutes / 60;
  const every = intervalMinutes % 1440 === 0 ? (intervalMinutes === 1440 ? 'day' : `${intervalMinutes / 1440} days`) : hours >= 1 && intervalMinutes % 60 === 0 ? (hours === 1 ? 'hour' : `${hours} hours`) : `${intervalMinutes} minutes`;
  return `Receives one letter every ${every} listing the new signatures (with a CSV file).`;
}

export default function CampaignPage() {
  const { campaign, statementHtml, signers, preview } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { outcomes } = useLoaderData<typeof loader>();
  const { updates } = useLoaderData<typeof loader>();
  const { coSignatories, viaPartner } = useLoaderData<typeof loader>();
  const count = useLiveCount(campaign.slug, campaign.signatureCount);
  const percent = Math.min(100, Math.round((count / Math.max(1, campaign.goal)) * 100));
  const open = campaign.status === 'PUBLISHED';
  return (
    <article className="campaign">
      <div>
        {preview ? (
          <p className="preview-banner" role="status">
            <strong>Preview — not public.</strong> Only this campaign's team{campaign.status === 'IN_REVIEW' ? ' and the reviewers' : ''} can see this page
            until it is published.
          </p>
        ) : null}
        {campaign.status === 'CLOSED' || campaign.status === 'WON' ? (
          <span className={`badge ${campaign.status === 'WON' ? 'won' : 'closed'}`}>{campaign.status === 'WON' ? 'Victory' : 'Closed'}</span>
        ) : null}
        <h1>{campaign.title}</h1>
        <p className="lead">{campaign.summary}</p>
        {campaign.status === 'WON' && campaign.victoryNote ? (
          <section className="victory" aria-label="Victory">
            <h2>We won</h2>
            <p className="victory-note">{campaign.victoryNote}</p>
          </section>
        ) : null}
        {campaign.imageUrl ? <img className="hero-image" src={campaign.imageUrl} alt="" /> : null}
        <Progress count={count} goal={campaign.goal} percent={percent} />

        <h2>The statement</h2>
        {/* Rendered from Markdown and sanitised on the server (app/utils/markdown.server.ts). */}
        <div className="statement" dangerouslySetInnerHTML={{ __html: statementHtml }} />

        <PeopleAtRisk people={outcomes.people} />

        <h2>Our demands</h2>
        <ol className="demands">
          {campaign.demands.map((d) => (
            <li key={d.id}>
              {d.text}
              <DemandOutcome outcome={outcomes.demandStatuses[d.id]} />
            </li>
          ))}
        </ol>

        {updates.length > 0 ? (
          <section className="updates" aria-labelledby="updates-title">
            <h2 id="updates-title">Updates</h2>
            {updates.map((u) => (
              <article key={u.id} className="update" data-testid="campaign-update">
                <h3>{u.title}</h3>
                <p className="hint">
                  <time dateTime={u.publishedAt}>{formatDay(u.publishedAt)}</time>
                </p>
                {/* Organisers' Markdown, sanitised by renderMarkdown on the server. */}
                <div className="statement" dangerouslySetInnerHTML={{ __html: u.html }} />
              </article>
            ))}
          </section>
        ) : null}

        <h2>Addressed to</h2>
        <ul className="addressees">
          {campaign.addressees.map((a) => (
            <li key={a.id} data-testid="addressee">
              <strong>{a.name}</strong>, {a.role}
              <div className="receipt">
                {deliveryDescription(a.deliveryMode, a.digestIntervalMinutes)}
                <br />
                Delivery record: <span data-testid="letters-sent">{a.lettersSent}</span> {a.lettersSent === 1 ? 'letter' : 'letters'} sent,{' '}
                <span data-testid="signatures-delivered">{a.signaturesDelivered}</span> {a.signaturesDelivered === 1 ? 'signature' : 'signatures'} delivered, last delivery{' '}
                {formatDateTime(a.lastDeliveredAt)}.
              </div>
              <AddresseeResponses responses={outcomes.responsesByAddressee[a.id]} />
            </li>
          ))}
        </ul>

        <CampaignTimeline events={outcomes.timeline} />

        {coSignatories.organisationCount > 0 ? (
          <section aria-labelledby="co-signed-by">
            <h2 id="co-signed-by">
              Co-signed by <span className="count">({coSignatories.organisationCount})</span>
            </h2>
            <ul className="co-signatories">
              {coSignatories.organisations.map((o) => (
                <li key={o.id} data-testid="co-signatory">
                  {o.logoUrl ? <img className="partner-logo" src={o.logoUrl} alt="" loading="lazy" /> : null}
                  <a href={`/partners/${o.slug}`}>{o.name}</a> <span className="hint">({o.countryName})</span>
                  {o.supportLine ? <q className="support-line">{o.supportLine}</q> : null}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {coSignatories.individualCount > 0 ? (
          <section aria-labelledby="signatories">
            <h2 id="signatories">
              Signatories <span className="count">({coSignatories.individualCount})</span>
            </h2>
            <ul className="co-signatories">
              {coSignatories.individuals.map((p) => (
                <li key={p.id} data-testid="signatory">
                  <a href={`/partners/${p.slug}`}>{p.name}</a>
                  {p.title ? `, ${p.title}` : ''}
                  {p.affiliation ? `, ${p.affiliation}` : ''}
                  {p.supportLine ? <q className="support-line">{p.supportLine}</q> : null}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {open ? (
          <p>
            <a href={`/c/${campaign.slug}/co-sign`}>Co-sign this statement</a> as an organisation or a public figure.
          </p>
        ) : null}

        <h2>Recent signers</h2>
        {signers.length === 0 ? <p>Be the first to sign.</p> : null}
        <ul className="signers">
          {signers.map((s) => (
            <li key={s.id}>
              {s.name}, {s.city} ({s.countryName})
            </li>
          ))}
        </ul>
      </div>
      <aside className="sign-panel" id="sign">
        {open ? (
          <>
            <h2>Sign this statement</h2>
            <SignForm values={actionData?.values ?? {}} errors={actionData?.errors ?? {}} partner={viaPartner} />
          </>
        ) : preview ? (
          <>
            <h2>Not open for signatures yet</h2>
            <p>The sign form appears here once the campaign is published.</p>
          </>
        ) : (
          <>
            <h2>{campaign.status === 'WON' ? 'This campaign won' : 'Signatures are closed'}</h2>
            <p>This campaign is no longer collecting signatures. Its statement and the record of deliveries stay here.</p>
          </>
        )}
      </aside>
    </article>
  );
}

// Retry-After on 429 and 503 answers to a form post must reach the browser.
export const headers: HeadersFunction = ({ actionHeaders, loaderHeaders }) =>
  actionHeaders.has('Retry-After') ? actionHeaders : loaderHeaders;

/**
 * When PostgreSQL is down, the page cannot be rendered after a failed post (its loader fails too).
 * The signer must still learn that nothing was recorded, and keep what they typed.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const actionData = useActionData<typeof action>();
  if (actionData?.errors?.form) {
    return (
      <article className="campaign">
        <section className="notice" role="alert">
          <h1>Not recorded</h1>
          <p>{actionData.errors.form}</p>
        </section>
        <aside className="sign-panel">
          <h2>Try again</h2>
          <SignForm values={actionData.values ?? {}} errors={actionData.errors} />
        </aside>
      </article>
    );
  }
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = isRouteErrorResponse(error) ? (error.data as { message?: string; unavailable?: string })?.message ?? (error.data as { unavailable?: string })?.unavailable : undefined;
  return (
    <section className="notice" role="alert">
      <h1>{status === 404 ? 'Not found' : status === 503 ? 'Temporarily unavailable' : 'Something went wrong'}</h1>
      <p>{message ?? 'Please try again in a moment.'}</p>
      <p>
        <Link to="/">Back to all campaigns</Link>
      </p>
    </section>
  );
}
