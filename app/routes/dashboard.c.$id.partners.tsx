import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { roleAtLeast } from '../models/membership.server.ts';
import { approveCoSignature, declineCoSignature, listCoSignaturesForCampaign } from '../models/co-signature-review.server.ts';
import { createPartnerInvite, listPartnerInvites, revokePartnerInvite } from '../models/partner-invitation.server.ts';
import { reissuePartnerLink } from '../models/partner-link.server.ts';
import { requireCampaignRole } from '../guards/auth.server.ts';
import { dispatchIntent } from '../utils/intent.server.ts';
import { CO_SIGNATURE_STATUS_TEXT, INVITE_DAYS, PARTNER_LIMITS, partnerInviteSchema } from '../validation/partner.ts';
import { fieldErrors } from '../validation/forms.ts';
import { formatDateTime } from '../utils/dates.ts';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { campaign, role } = await requireCampaignRole(request, params.id ?? '', 'VIEWER');
  const [coSignatures, invites] = await Promise.all([listCoSignaturesForCampaign(campaign.id), listPartnerInvites(campaign.id)]);
  return { campaign, canEdit: roleAtLeast(role, 'EDITOR'), coSignatures, invites };
}

type ActionResult = { ok: boolean; message?: string; inviteUrl?: string; errors?: Partial<Record<string, string>>; values?: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const { campaign, user } = await requireCampaignRole(request, params.id ?? '', 'EDITOR');
  const form = await request.formData();
  const id = String(form.get('id') ?? '');
  const refuse = (message: string, status: number) => data<ActionResult>({ ok: false, message }, { status });
  const decided = (result: { ok: true } | { ok: false; message: string }, message: string) =>
    result.ok ? ({ ok: true, message } satisfies ActionResult) : refuse(result.message, 409);
  return dispatchIntent(
    form,
    {
      approve: async () => decided(await approveCoSignature(campaign.id, id, user.id), 'Approved: it now appears on the public page.'),
      decline: async () => decided(await declineCoSignature(campaign.id, id, user.id), 'Declined: it does not appear on the public page.'),
      'create-invite': async () => {
        const values = { note: String(form.get('note') ?? '').slice(0, 5_000) };
        const parsed = partnerInviteSchema.safeParse(values);
        if (!parsed.success) return data<ActionResult>({ ok: false, errors: fieldErrors(parsed.error), values }, { status: 400 });
        const invite = await createPartnerInvite(campaign.id, user.id, parsed.data.note);
        return { ok: true, inviteUrl: invite.url } satisfies ActionResult;
      },
      'revoke-invite': async () => {
        if (!(await revokePartnerInvite(campaign.id, id))) return refuse('Only an unused invitation link can be revoked.', 409);
        return { ok: true, message: 'The invitation link no longer works.' } satisfies ActionResult;
      },
      'reissue-link': async () => {
        if (!(await reissuePartnerLink(campaign.id, id)).ok) return refuse('We could not find that co-signature in this campaign.', 404);
        return { ok: true, message: 'The old private link no longer works; the new one is being emailed to the partner’s contact address.' } satisfies ActionResult;
      },
    },
    (errors, status) => refuse(Object.values(errors).join(' '), status),
  );
}

const ORDER = ['PENDING_APPROVAL', 'APPROVED', 'DECLINED', 'WITHDRAWN', 'UNVERIFIED'] as const;
const SECTION_TITLES: Record<(typeof ORDER)[number], string> = {
  PENDING_APPROVAL: 'Awaiting your approval',
  APPROVED: 'Approved (shown publicly)',
  DECLINED: 'Declined',
  WITHDRAWN: 'Withdrawn by the partner',
  UNVERIFIED: 'Email address not yet confirmed',
};
const INVITE_STATES: Record<string, string> = { valid: 'Unused', used: 'Used', revoked: 'Revoked', expired: 'Expired', unknown: '—' };

function DecisionButton({ id, intent, label, secondary }: { id: string; intent: 'approve' | 'decline'; label: string; secondary?: boolean }) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="id" value={id} />
      <button type="submit" className={secondary ? 'secondary' : undefined}>
        {label}
      </button>
    </Form>
  );
}

/** Kills the partner's private link (a leaked one, say) and emails a new one to its contact address. */
function ReissueLinkButton({ id, name }: { id: string; name: string }) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value="reissue-link" />
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="secondary" aria-label={`Revoke the private link of ${name} and email a new one`}>
        Revoke link and email a new one
      </button>
    </Form>
  );
}

export default function CampaignPartners() {
  const { campaign, canEdit, coSignatures, invites } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const busy = useNavigation().state === 'submitting';
  const counts = Object.fromEntries(ORDER.map((s) => [s, coSignatures.filter((c) => c.status === s).length]));
  return (
    <>
      <h2>Partners</h2>
      <p className="hint">
        Organisations and individuals co-sign at <a href={`/c/${campaign.slug}/co-sign`}>/c/{campaign.slug}/co-sign</a>. They confirm their
        email address first; then you approve them, unless they came with an invitation link.
      </p>
      {result?.message ? (
        <p className={result.ok ? 'flash' : 'form-error'} role={result.ok ? 'status' : 'alert'}>
          {result.message}
        </p>
      ) : null}
      <div className="stats">
        {ORDER.map((s) => (
          <div key={s} className="stat">
            <strong data-testid={`count-${s}`}>{counts[s]}</strong> {CO_SIGNATURE_STATUS_TEXT[s].label}
          </div>
        ))}
      </div>

      {ORDER.map((status) => {
        const rows = coSignatures.filter((c) => c.status === status);
        if (rows.length === 0) return null;
        return (
          <section key={status} aria-labelledby={`partners-${status}`}>
            <h3 id={`partners-${status}`}>
              {SECTION_TITLES[status]} ({rows.length})
            </h3>
            <table className="data">
              <thead>
                <tr>
                  <th>Co-signatory</th>
                  <th>Contact</th>
                  <th>Signatures brought</th>
                  <th>Dates</th>
                  {canEdit && (status === 'PENDING_APPROVAL' || status === 'APPROVED' || status === 'DECLINED') ? <th>Decision</th> : null}
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => (
                  <tr key={c.id} data-testid="partner-row">
                    <td>
                      <strong>{status === 'APPROVED' ? <a href={`/partners/${c.partner.slug}`}>{c.partner.name}</a> : c.partner.name}</strong>{' '}
                      <span className="hint">({c.partner.kind === 'ORGANISATION' ? 'organisation' : 'individual'}, {c.partner.countryName})</span>
                      {c.partner.title || c.partner.affiliation ? <div>{[c.partner.title, c.partner.affiliation].filter(Boolean).join(', ')}</div> : null}
                      {c.partner.website ? (
                        <div>
                          <a href={c.partner.website} rel="nofollow noopener noreferrer">
                            {c.partner.website}
                          </a>
                        </div>
                      ) : null}
                      {c.supportLine ? <q className="support-line">{c.supportLine}</q> : null}
                      {c.inviteId ? <div className="hint">Came with an invitation link</div> : null}
                    </td>
                    <td>
                      {c.partner.representativeName ? <div>{c.partner.representativeName}</div> : null}
                      <div>{c.partner.contactEmail}</div>
                    </td>
                    <td>
                      <span data-testid="brought">{c.broughtConfirmed}</span> confirmed
                      <div className="hint">{c.sharedWithPartner} shared with the partner</div>
                    </td>
                    <td className="hint">
                      Submitted {formatDateTime(c.createdAt)}
                      {c.verifiedAt ? <div>Confirmed {formatDateTime(c.verifiedAt)}</div> : null}
                      {c.decidedAt ? <div>Decided {formatDateTime(c.decidedAt)}</div> : null}
                      {c.withdrawnAt ? <div>Withdrawn {formatDateTime(c.withdrawnAt)}</div> : null}
                    </td>
                    {canEdit && status === 'PENDING_APPROVAL' ? (
                      <td>
                        <DecisionButton id={c.id} intent="approve" label={`Approve ${c.partner.name}`} />{' '}
                        <DecisionButton id={c.id} intent="decline" label="Decline" secondary />{' '}
                        <ReissueLinkButton id={c.id} name={c.partner.name} />
                      </td>
                    ) : null}
                    {canEdit && status === 'APPROVED' ? (
                      <td>
                        <DecisionButton id={c.id} intent="decline" label="Remove from the page" secondary />{' '}
                        <ReissueLinkButton id={c.id} name={c.partner.name} />
                      </td>
                    ) : null}
                    {canEdit && status === 'DECLINED' ? (
                      <td>
                        <DecisionButton id={c.id} intent="approve" label="Approve after all" secondary />{' '}
                        <ReissueLinkButton id={c.id} name={c.partner.name} />
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
      {coSignatures.length === 0 ? <p>Nobody has co-signed yet.</p> : null}

      <h2>Invitation links</h2>
      <p className="hint">
        A partner who co-signs through an invitation link appears as soon as it confirms its email address, without your approval. Each link
        works once, for {INVITE_DAYS} days.
      </p>
      {result?.inviteUrl ? (
        <div className="flash" role="status">
          <p>Send this link to the partner. It is shown only now: copy it before leaving this page.</p>
          <p>
            <code data-testid="invite-url">{result.inviteUrl}</code>
          </p>
        </div>
      ) : null}
      {canEdit ? (
        <Form method="post">
          <input type="hidden" name="intent" value="create-invite" />
          <div className={result?.errors?.note ? 'field invalid' : 'field'}>
            <label htmlFor="invite-note">Note for yourselves (who is it for?)</label>
            <input id="invite-note" name="note" type="text" maxLength={PARTNER_LIMITS.inviteNote} defaultValue={result?.values?.note} />
            {result?.errors?.note ? <p className="error">{result.errors.note}</p> : null}
          </div>
          <button type="submit" disabled={busy}>
            Create an invitation link
          </button>
        </Form>
      ) : null}
      {invites.length > 0 ? (
        <table className="data">
          <thead>
            <tr>
              <th>Note</th>
              <th>Created</th>
              <th>Expires</th>
              <th>State</th>
              {canEdit ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {invites.map((i) => (
              <tr key={i.id} data-testid="invite-row">
                <td>{i.note ?? '—'}</td>
                <td>{formatDateTime(i.createdAt)}</td>
                <td>{formatDateTime(i.expiresAt)}</td>
                <td>{INVITE_STATES[i.state]}</td>
                {canEdit ? (
                  <td>
                    {i.state === 'valid' ? (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="revoke-invite" />
                        <input type="hidden" name="id" value={i.id} />
                        <button type="submit" className="secondary">
                          Revoke
                        </button>
                      </Form>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
