import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CapturedMail } from '../setup/smtp.ts';
import { useTestSmtp, useWorkers } from '../setup/mail-and-workers.ts';
import { createCampaign, signer } from '../setup/factories.ts';
import { eventually } from '../setup/wait.ts';
import { jobCompleted } from '../setup/jobs.ts';

// Coalition partners through real PostgreSQL, Redis and SMTP, with the workers in this process.
const smtp = await useTestSmtp();

const { db } = await import('../../app/utils/db.server.ts');
const { approvedCoSignatories, approvedPartnerForCampaign, partnerPage } = await import('../../app/models/co-signatories.server.ts');
const { exportPartnerSignatures } = await import('../../app/models/partner-export.server.ts');
const { checkInvite, createPartnerInvite, listPartnerInvites, revokePartnerInvite } = await import('../../app/models/partner-invitation.server.ts');
const { partnerDashboard } = await import('../../app/models/partner-manage.server.ts');
const { createSignature, confirmSignature } = await import('../../app/models/signature.server.ts');
const { confirmationToken } = await import('../../app/utils/crypto.server.ts');
const { coSignSchema } = await import('../../app/validation/partner.ts');
const { signatureSchema } = await import('../../app/validation/signature.ts');
const { owedPartnerVerifications } = await import('../../app/models/reconcile.server.ts');
const { enqueuePartnerVerification } = await import('../../app/queues.server.ts');
const { reconcile } = await import('../../workers/maintenance.worker.ts');

const { CoSignRefusedError, coSign } = await import('../../app/models/co-signature.server.ts');
const { verifyCoSignature } = await import('../../app/models/partner-verification.server.ts');
const { approveCoSignature, declineCoSignature, listCoSignaturesForCampaign } = await import('../../app/models/co-signature-review.server.ts');
const { withdrawCoSignature } = await import('../../app/models/partner-manage.server.ts');

let organiserId: string;

useWorkers();

beforeAll(async () => {
  organiserId = (await db.user.create({ data: { email: `organiser-${randomBytes(3).toString('hex')}@example.org` } })).id;
});

const uid = () => randomBytes(3).toString('hex');

/** Raw form fields, as the browser sends them. */
function organisationForm(overrides: Record<string, string> = {}) {
  const id = uid();
  return {
    kind: 'ORGANISATION',
    name: `Қазақстан халықаралық адам құқықтары бюросы ${id}`,
    country: 'KZ',
    website: 'https://bureau.example.kz',
    contactEmail: `Office-${id}@Bureau.example.kz`,
    representativeName: 'Евгений Жовтис',
    logoUrl: 'https://bureau.example.kz/logo.png',
    supportLine: 'We stand with the people prosecuted for their words.',
    consent: 'on',
    ...overrides,
  };
}

function individualForm(overrides: Record<string, string> = {}) {
  const id = uid();
  return {
    kind: 'INDIVIDUAL',
    name: `Айгуль Сейткали ${id}`,
    title: 'Civil activist',
    affiliation: 'head of a civil-initiatives foundation',
    country: 'KZ',
    contactEmail: `aigul-${id}@example.net`,
    consent: 'on',
    ...overrides,
  };
}

const parse = (form: Record<string, string>) => coSignSchema.parse(form);

const VERIFY_LINK = /https?:\/\/\S+\/partners\/verify\/([A-Za-z0-9]+)\/([A-Za-z0-9_-]+)/;
const MANAGE_LINK = /https?:\/\/\S+\/partners\/manage\/([A-Za-z0-9]+)\/([A-Za-z0-9_-]+)/;

function linkFrom(mail: CapturedMail, pattern = VERIFY_LINK) {
  const match = mail.text?.match(pattern);
  if (!match) throw new Error(`No link in: ${mail.subject}`);
  return { url: match[0], id: match[1], token: match[2] };
}

/** Co-signs, waits for the verification email and returns its link's id and token. */
async function coSignAndReceive(slug: string, form: Record<string, string>, options: { inviteToken?: string } = {}) {
  const outcome = await coSign(slug, parse(form), options);
  const email = form.contactEmail.toLowerCase();
  const mail = await smtp.waitFor((m) => m.envelopeTo.includes(email) && (m.text ?? '').includes(outcome.coSignatureId));
  return { outcome, mail, ...linkFrom(mail) };
}

async function approvedPartner(campaignSlug: string, campaignId: string, form: Record<string, string>) {
  const { outcome, id, token } = await coSignAndReceive(campaignSlug, form);
  await verifyCoSignature(id, token);
  expect(await approveCoSignature(campaignId, outcome.coSignatureId, organiserId)).toEqual({ ok: true });
  const row = await db.coSignature.findUniqueOrThrow({ where: { id }, include: { partner: true } });
  return { coSignatureId: id, token, partner: row.partner };
}

async function counts() {
  const [p, c, i] = await Promise.all([db.partner.count(), db.coSignature.count(), db.partnerInvite.count({ where: { usedAt: { not: null } } })]);
  return { partners: p, coSignatures: c, usedInvites: i };
}

async function expectRefused(promise: Promise<unknown>, message: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CoSignRefusedError);
  expect((error as Error).message).toMatch(message);
}

describe('co-signing with email verification and approval', () => {
  it('emails a link, verifies to pending, and lists the organisation once approved', async () => {
    const campaign = await createCampaign();
    const form = organisationForm();
    const { outcome, mail, id, token } = await coSignAndReceive(campaign.slug, form);

    expect(outcome).toMatchObject({ invited: false, queued: true, partnerName: form.name });
    expect(mail.subject).toBe(`Please confirm your co-signature: ${campaign.title}`);
    expect(mail.text).toContain('Dear Евгений Жовтис,');
    expect(mail.html).toContain(`/partners/verify/${id}/${token}`);
    expect(linkFrom(mail, MANAGE_LINK)).toMatchObject({ id, token });
    expect(id).toBe(outcome.coSignatureId);

    const row = await eventually(async () => {
      const r = await db.coSignature.findUniqueOrThrow({ where: { id }, include: { partner: true } });
      return r.verificationSentAt ? r : null;
    }, { what: 'the email to be recorded as sent' });
    expect(row.status).toBe('UNVERIFIED');
    // The contact address is stored lower-case; the slug is a transliteration of the Kazakh name.
    expect(row.partner.contactEmail).toBe(form.contactEmail.toLowerCase());
    expect(row.partner.slug).toMatch(/^qazaqstan-khalyqaralyq-adam-quqyqtary-byurosy-[0-9a-f]{6}$/);
    // The token is never stored.
    expect(JSON.stringify(row)).not.toContain(token);

    // Not listed, and no public partner page, before approval.
    expect((await approvedCoSignatories(campaign.id)).organisationCount).toBe(0);
    expect(await partnerPage(row.partner.slug)).toBeNull();
    // Nobody can approve an unverified co-signature.
    expect((await approveCoSignature(campaign.id, id, organiserId)).ok).toBe(false);

    // A wrong token does nothing.
    expect(await verifyCoSignature(id, token.slice(0, -2) + 'xx')).toEqual({ ok: false, reason: 'unknown' });
    expect(await verifyCoSignature(id, token)).toEqual({ ok: true, status: 'PENDING_APPROVAL', alreadyVerified: false });
    expect(await verifyCoSignature(id, token)).toEqual({ ok: true, status: 'PENDING_APPROVAL', alreadyVerified: true });
    const verified = await db.coSignature.findUniqueOrThrow({ where: { id } });
    expect(verified.verifiedAt).toBeInstanceOf(Date);
    expect(verified.decidedAt).toBeNull();

    // Approval is scoped by campaign: another campaign's organisers cannot approve it.
    const other = await createCampaign();
    expect((await approveCoSignature(other.id, id, organiserId)).ok).toBe(false);
    expect(await approveCoSignature(campaign.id, id, organiserId)).toEqual({ ok: true });

    const listed = await approvedCoSignatories(campaign.id);
    expect(listed.organisationCount).toBe(1);
    expect(listed.individualCount).toBe(0);
    expect(listed.organisations[0]).toMatchObject({
      name: form.name,
      slug: row.partner.slug,
      logoUrl: 'https://bureau.example.kz/logo.png',
      supportLine: form.supportLine,
      countryName: 'Kazakhstan',
    });
    // The public list never carries the contact address or the representative.
    expect(JSON.stringify(listed)).not.toContain(form.contactEmail.toLowerCase());
    expect(JSON.stringify(listed)).not.toContain('Жовтис');

    const page = await partnerPage(row.partner.slug);
    expect(page?.campaigns.map((c) => c.slug)).toEqual([campaign.slug]);
    expect(JSON.stringify(page)).not.toContain(form.contactEmail.toLowerCase());

    // Nothing more is owed, and a repeated job sends nothing twice.
    expect((await owedPartnerVerifications(0)).map((r) => r.id)).not.toContain(id);
    await jobCompleted(await enqueuePartnerVerification(id, new Date()));
    expect(smtp.to(form.contactEmail.toLowerCase())).toHaveLength(1);
  });

  it('lists individuals with title and affiliation separately, newest last', async () => {
    const campaign = await createCampaign();
    const first = await approvedPartner(campaign.slug, campaign.id, individualForm({ name: 'Айгуль Сейткали' }));
    const second = await approvedPartner(
      campaign.slug,
      campaign.id,
      individualForm({ name: 'Marat Turymbetov', title: 'Human-rights lawyer', affiliation: '' }),
    );
    const org = await approvedPartner(campaign.slug, campaign.id, organisationForm({ logoUrl: '' }));

    const listed = await approvedCoSignatories(campaign.id);
    expect(listed.individualCount).toBe(2);
    expect(listed.individuals.map((p) => p.name)).toEqual(['Айгуль Сейткали', 'Marat Turymbetov']);
    expect(listed.individuals[0]).toMatchObject({ title: 'Civil activist', affiliation: 'head of a civil-initiatives foundation' });
    expect(listed.individuals[1]).toMatchObject({ title: 'Human-rights lawyer', affiliation: null });
    expect(listed.organisations.map((o) => o.slug)).toEqual([org.partner.slug]);
    expect(listed.organisations[0].logoUrl).toBeNull();
    expect(first.partner.slug).toBe('aigul-seitkali');
    expect(second.partner.slug).toBe('marat-turymbetov');
    // Individuals have no representative or logo, even if the form sent them.
    expect(first.partner.representativeName).toBeNull();
  });

  it('keeps a declined co-signature off the page', async () => {
    const campaign = await createCampaign();
    const { outcome, id, token } = await coSignAndReceive(campaign.slug, organisationForm());
    await verifyCoSignature(id, token);
    expect(await declineCoSignature(campaign.id, outcome.coSignatureId, organiserId)).toEqual({ ok: true });

    const row = await db.coSignature.findUniqueOrThrow({ where: { id }, include: { partner: true } });
    expect(row).toMatchObject({ status: 'DECLINED', decidedById: organiserId });
    expect((await approvedCoSignatories(campaign.id)).organisationCount).toBe(0);
    expect(await partnerPage(row.partner.slug)).toBeNull();
    // Its tracking link credits nobody.
    expect(await approvedPartnerForCampaign(campaign.id, row.partner.slug)).toBeNull();
  });

  it('re-sends a verification email that was never sent (Redis lost the job)', async () => {
    const campaign = await createCampaign();
    const form = organisationForm();
    // As if the enqueue after the commit had failed: the rows exist, no job does.
    const partner = await db.partner.create({
      data: { slug: `lost-${uid()}`, kind: 'ORGANISATION', name: form.name, country: 'KZ', contactEmail: form.contactEmail.toLowerCase() },
    });
    const row = await db.coSignature.create({ data: { campaignId: campaign.id, partnerId: partner.id } });
    expect((await owedPartnerVerifications(0)).map((r) => r.id)).toContain(row.id);
    expect((await reconcile(0)).partnerVerifications).toBeGreaterThanOrEqual(1);
    const mail = await smtp.waitFor((m) => m.envelopeTo.includes(form.contactEmail.toLowerCase()));
    expect(linkFrom(mail).id).toBe(row.id);
    await eventually(async () => (await db.coSignature.findUniqueOrThrow({ where: { id: row.id } })).verificationSentAt, {
      what: 'the email to be recorded as sent',
    });
  });
});

describe('refusals that write nothing', () => {
  it('answers a repeat by the same organisation like a new co-signature, without a second row', async () => {
    const campaign = await createCampaign();
    const form = organisationForm();
    const first = await coSignAndReceive(campaign.slug, form);
    const before = await counts();
    const address = form.contactEmail.toLowerCase();
    // The same organisation, its address typed in another case, a few minutes later: the same
    // answer, nothing written, and no second email (as for a new co-signature's second submission).
    const again = await coSign(campaign.slug, parse({ ...form, contactEmail: form.contactEmail.toUpperCase(), supportLine: 'Again' }));
    expect(again).toEqual(first.outcome);
    expect(await counts()).toEqual(before);
    const row = await db.coSignature.findUniqueOrThrow({ where: { id: first.id } });
    expect(row.supportLine).toBe(form.supportLine);
    expect(row.verificationRequestedAt.getTime()).toBe(row.createdAt.getTime());

    // Confirmed, and asked for long ago: a repeat emails the contact that it is already on record,
    // with the private link, and changes nothing.
    await verifyCoSignature(first.id, first.token);
    await db.coSignature.update({ where: { id: first.id }, data: { verificationRequestedAt: new Date(Date.now() - 3600_000) } });
    const third = await coSign(campaign.slug, parse(form));
    expect(third).toEqual(first.outcome);
    const notice = await smtp.waitFor((m) => m.envelopeTo.includes(address) && /^Your co-signature:/.test(m.subject ?? ''));
    expect(notice.text).toContain('already on record');
    expect(linkFrom(notice, MANAGE_LINK).id).toBe(first.id);
    expect(notice.text).not.toMatch(VERIFY_LINK);
    expect(smtp.to(address)).toHaveLength(2);
    expect(await db.coSignature.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: 'PENDING_APPROVAL', supportLine: form.supportLine });
    expect(await counts()).toEqual(before);

    // The same organisation may co-sign another campaign: one partner, two co-signatures.
    const other = await createCampaign();
    await coSign(other.slug, parse(form));
    const after = await counts();
    expect(after.partners).toBe(before.partners);
    expect(after.coSignatures).toBe(before.coSignatures + 1);
  });

  it('refuses campaigns that are not open', async () => {
    const closed = await createCampaign({ status: 'CLOSED' });
    const draft = await createCampaign({ status: 'DRAFT' });
    const before = await counts();
    await expectRefused(coSign(closed.slug, parse(organisationForm())), /no longer open/);
    await expectRefused(coSign(draft.slug, parse(organisationForm())), /could not find this campaign/);
    expect(await counts()).toEqual(before);
  });

  it('refuses over-long names and texts, and web addresses that are not http(s)', () => {
    const refused = (form: Record<string, string>, field: string) => {
      const result = coSignSchema.safeParse(form);
      expect(result.success, JSON.stringify(form)).toBe(false);
      expect(result.error!.issues.map((i) => i.path[0])).toContain(field);
    };
    refused(organisationForm({ name: 'Б'.repeat(201) }), 'name');
    refused(individualForm({ title: 'T'.repeat(201) }), 'title');
    refused(individualForm({ affiliation: 'A'.repeat(201) }), 'affiliation');
    refused(organisationForm({ representativeName: 'R'.repeat(201) }), 'representativeName');
    refused(organisationForm({ supportLine: 's'.repeat(501) }), 'supportLine');
    refused(organisationForm({ website: 'javascript:alert(1)' }), 'website');
    refused(organisationForm({ website: 'ftp://files.example.org/' }), 'website');
    refused(organisationForm({ logoUrl: 'javascript:alert(document.cookie)' }), 'logoUrl');
    refused(organisationForm({ logoUrl: 'ftp://files.example.org/logo.png' }), 'logoUrl');
    refused(organisationForm({ logoUrl: 'data:image/svg+xml,<svg onload=alert(1)>' }), 'logoUrl');
    refused(organisationForm({ website: 'bureau.example.kz' }), 'website');
    refused(organisationForm({ country: 'ZZ' }), 'country');
    refused(organisationForm({ contactEmail: 'not-an-email' }), 'contactEmail');
    refused(organisationForm({ representativeName: '' }), 'representativeName');
    refused(individualForm({ title: '' }), 'title');
    refused(organisationForm({ consent: '' }), 'consent');
    refused(organisationForm({ name: 'Bureau\u202eevil' }), 'name');

    // The limits themselves are fine.
    expect(coSignSchema.safeParse(organisationForm({ name: 'Б'.repeat(200), supportLine: 's'.repeat(500) })).success).toBe(true);
    expect(coSignSchema.safeParse(organisationForm({ website: 'http://bureau.example.kz', logoUrl: '' })).success).toBe(true);
  });
});

describe('invitation links', () => {
  it('skip approval once verified, and are used up in the same transaction', async () => {
    const campaign = await createCampaign();
    const invite = await createPartnerInvite(campaign.id, organiserId, 'For the Bureau');
    expect(invite.url).toMatch(new RegExp(`/c/${campaign.slug}/co-sign\\?invite=[A-Za-z0-9_-]{43}$`));
    const inviteToken = new URL(invite.url).searchParams.get('invite')!;
    const stored = await db.partnerInvite.findUniqueOrThrow({ where: { id: invite.id } });
    expect(JSON.stringify(stored)).not.toContain(inviteToken);
    expect(stored.expiresAt.getTime() - Date.now()).toBeGreaterThan(13.9 * 86_400_000);
    expect(await checkInvite(campaign.id, inviteToken)).toBe('valid');

    const { outcome, mail, id, token } = await coSignAndReceive(campaign.slug, organisationForm(), { inviteToken });
    expect(outcome.invited).toBe(true);
    expect(mail.text).toContain('You were invited by the organisers');
    const used = await db.partnerInvite.findUniqueOrThrow({ where: { id: invite.id } });
    expect(used.usedAt).toBeInstanceOf(Date);
    expect((await db.coSignature.findUniqueOrThrow({ where: { id } })).inviteId).toBe(invite.id);
    // Still needs the email confirmed before it is shown.
    expect((await approvedCoSignatories(campaign.id)).organisationCount).toBe(0);

    expect(await verifyCoSignature(id, token)).toEqual({ ok: true, status: 'APPROVED', alreadyVerified: false });
    const row = await db.coSignature.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'APPROVED', decidedById: organiserId });
    expect(row.decidedAt).toBeInstanceOf(Date);
    expect((await approvedCoSignatories(campaign.id)).organisationCount).toBe(1);

    // The used link is refused, and nothing at all is written (not even the new partner).
    expect(await checkInvite(campaign.id, inviteToken)).toBe('used');
    const before = await counts();
    await expectRefused(coSign(campaign.slug, parse(organisationForm()), { inviteToken }), /already been used/);
    expect(await counts()).toEqual(before);
  });

  it('refuses revoked, expired and other campaigns’ links, writing nothing', async () => {
    const campaign = await createCampaign();
    const other = await createCampaign();
    const tokenOf = (url: string) => new URL(url).searchParams.get('invite')!;

    const revoked = await createPartnerInvite(campaign.id, organiserId, null);
    expect(await revokePartnerInvite(other.id, revoked.id)).toBe(false);
    expect(await revokePartnerInvite(campaign.id, revoked.id)).toBe(true);
    expect(await revokePartnerInvite(campaign.id, revoked.id)).toBe(false);

    const expired = await createPartnerInvite(campaign.id, organiserId, null);
    await db.partnerInvite.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });

    const elsewhere = await createPartnerInvite(other.id, organiserId, null);

    const before = await counts();
    await expectRefused(coSign(campaign.slug, parse(organisationForm()), { inviteToken: tokenOf(revoked.url) }), /withdrawn by the organisers/);
    await expectRefused(coSign(campaign.slug, parse(organisationForm()), { inviteToken: tokenOf(expired.url) }), /expired/);
    await expectRefused(coSign(campaign.slug, parse(organisationForm()), { inviteToken: tokenOf(elsewhere.url) }), /not valid for this statement/);
    await expectRefused(coSign(campaign.slug, parse(organisationForm()), { inviteToken: 'made-up' }), /not valid/);
    expect(await counts()).toEqual(before);

    const states = Object.fromEntries((await listPartnerInvites(campaign.id)).map((i) => [i.id, i.state]));
    expect(states).toEqual({ [revoked.id]: 'revoked', [expired.id]: 'expired' });
  });

  it('lets only one of two simultaneous co-signatures use a link', async () => {
    const campaign = await createCampaign();
    const invite = await createPartnerInvite(campaign.id, organiserId, null);
    const inviteToken = new URL(invite.url).searchParams.get('invite')!;
    const results = await Promise.allSettled([
      coSign(campaign.slug, parse(organisationForm()), { inviteToken }),
      coSign(campaign.slug, parse(organisationForm()), { inviteToken }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(CoSignRefusedError);
    expect(await db.coSignature.count({ where: { campaignId: campaign.id } })).toBe(1);
  });
});

describe('withdrawal', () => {
  it('takes the co-signature off the page and keeps when it happened', async () => {
    const campaign = await createCampaign();
    const { coSignatureId, token, partner } = await approvedPartner(campaign.slug, campaign.id, organisationForm());
    expect((await approvedCoSignatories(campaign.id)).organisationCount).toBe(1);

    expect(await withdrawCoSignature(coSignatureId, 'wrong-token')).toBe(false);
    expect((await db.coSignature.findUniqueOrThrow({ where: { id: coSignatureId } })).status).toBe('APPROVED');

    expect(await withdrawCoSignature(coSignatureId, token)).toBe(true);
    const row = await db.coSignature.findUniqueOrThrow({ where: { id: coSignatureId } });
    expect(row.status).toBe('WITHDRAWN');
    expect(row.withdrawnAt).toBeInstanceOf(Date);
    expect((await approvedCoSignatories(campaign.id)).organisationCount).toBe(0);
    expect(await partnerPage(partner.slug)).toBeNull();

    // Withdrawing again changes nothing, and organisers cannot put it back.
    expect(await withdrawCoSignature(coSignatureId, token)).toBe(true);
    expect((await db.coSignature.findUniqueOrThrow({ where: { id: coSignatureId } })).withdrawnAt).toEqual(row.withdrawnAt);
    expect((await approveCoSignature(campaign.id, coSignatureId, organiserId)).ok).toBe(false);
    expect((await partnerDashboard(coSignatureId, token))?.coSignature.status).toBe('WITHDRAWN');
  });
});

describe('attribution and the partner export', () => {
  it('credits signers to the approved partner whose link they used, and exports only consenting ones', async () => {
    const campaign = await createCampaign();
    const a = await approvedPartner(campaign.slug, campaign.id, organisationForm({ name: 'Partner A' }));
    const b = await approvedPartner(campaign.slug, campaign.id, organisationForm({ name: 'Partner B' }));
    // A partner still awaiting approval gets no credit from its link.
    const pending = await coSignAndReceive(campaign.slug, organisationForm({ name: 'Partner Pending' }));
    await verifyCoSignature(pending.id, pending.token);
    const pendingSlug = (await db.partner.findFirstOrThrow({ where: { name: 'Partner Pending' } })).slug;
    // A partner approved on another campaign only.
    const elsewhereCampaign = await createCampaign();
    const elsewhere = await approvedPartner(elsewhereCampaign.slug, elsewhereCampaign.id, organisationForm({ name: 'Partner Elsewhere' }));

    // Through the form's schema, as the sign action does.
    const sign = async (name: string, fields: Record<string, string>, confirm = true) => {
      const input = signatureSchema.parse({ ...signer({ fullName: name }), comment: '', showName: '', listPublicly: '', wantsUpdates: '', ...fields });
      const { signatureId } = await createSignature(campaign.slug, input, `192.0.2.${Math.floor(Math.random() * 200) + 1}`);
      if (confirm) expect((await confirmSignature(confirmationToken(signatureId!))).ok).toBe(true);
      return db.signature.findUniqueOrThrow({ where: { id: signatureId! } });
    };

    const aShares = await sign('Алия Шарипова', { via: a.partner.slug, shareWithPartner: 'on', city: 'Алматы' });
    const aPrivate = await sign('Болат Private', { via: a.partner.slug });
    const aUnconfirmed = await sign('Ulan Unconfirmed', { via: a.partner.slug, shareWithPartner: 'on' }, false);
    const bShares = await sign('Berik Bshare', { via: b.partner.slug, shareWithPartner: 'on' });
    const direct = await sign('Dana Direct', { shareWithPartner: 'on' });
    const viaPending = await sign('Pavel Pending', { via: pendingSlug, shareWithPartner: 'on' });
    const viaElsewhere = await sign('Erlan Elsewhere', { via: elsewhere.partner.slug, shareWithPartner: 'on' });
    const viaUnknown = await sign('Uma Unknown', { via: 'no-such-partner', shareWithPartner: 'on' });
    const viaMalformed = await sign('Mira Malformed', { via: '../../etc', shareWithPartner: 'on' });

    expect(aShares).toMatchObject({ viaPartnerId: a.partner.id, shareWithPartner: true });
    expect(aPrivate).toMatchObject({ viaPartnerId: a.partner.id, shareWithPartner: false });
    expect(aUnconfirmed).toMatchObject({ viaPartnerId: a.partner.id, shareWithPartner: true, status: 'PENDING' });
    expect(bShares).toMatchObject({ viaPartnerId: b.partner.id, shareWithPartner: true });
    // Without an approved partner on this campaign there is no credit, and nothing is shared.
    for (const s of [direct, viaPending, viaElsewhere, viaUnknown, viaMalformed]) {
      expect(s).toMatchObject({ viaPartnerId: null, shareWithPartner: false });
    }

    // The partners' own pages count confirmed signatures only.
    expect(await partnerDashboard(a.coSignatureId, a.token)).toMatchObject({
      broughtConfirmed: 2,
      sharedWithPartner: 1,
      canExport: true,
      trackingUrl: `http://localhost:3000/c/${campaign.slug}?via=${a.partner.slug}`,
    });
    expect(await partnerDashboard(b.coSignatureId, b.token)).toMatchObject({ broughtConfirmed: 1, sharedWithPartner: 1 });
    expect(await partnerDashboard(a.coSignatureId, b.token)).toBeNull();

    // The organisers' list shows the same counts per partner.
    const listed = await listCoSignaturesForCampaign(campaign.id);
    const brought = Object.fromEntries(listed.map((c) => [c.partner.name, c.broughtConfirmed]));
    expect(brought).toEqual({ 'Partner A': 2, 'Partner B': 1, 'Partner Pending': 0 });

    // A's export: only the confirmed signer who came through A and agreed to share.
    const exported = await exportPartnerSignatures(a.coSignatureId, a.token);
    if (!exported.ok) throw new Error(`export refused: ${exported.reason}`);
    expect(exported.rowCount).toBe(1);
    const lines = exported.csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('name,email,city,country,confirmedAt');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`Алия Шарипова,${aShares.email},Алматы,Kazakhstan,`);
    for (const other of [aPrivate, aUnconfirmed, bShares, direct, viaPending, viaElsewhere, viaUnknown, viaMalformed]) {
      expect(exported.csv).not.toContain(other.email);
      expect(exported.csv).not.toContain(other.fullName);
    }
    expect(await db.exportLog.findFirst({ where: { campaignId: campaign.id, kind: `partner-signatures:${a.partner.slug}` } })).toMatchObject({ rowCount: 1 });

    const exportedB = await exportPartnerSignatures(b.coSignatureId, b.token);
    expect(exportedB.ok && exportedB.csv).toContain(bShares.email);
    expect(exportedB.ok && exportedB.csv).not.toContain(aShares.email);

    // No export with a wrong link, or for a partner that is not approved.
    expect(await exportPartnerSignatures(a.coSignatureId, 'x'.repeat(43))).toEqual({ ok: false, reason: 'unknown' });
    expect(await exportPartnerSignatures(pending.id, pending.token)).toEqual({ ok: false, reason: 'not-approved' });
    await withdrawCoSignature(b.coSignatureId, b.token);
    expect(await exportPartnerSignatures(b.coSignatureId, b.token)).toEqual({ ok: false, reason: 'not-approved' });
    // And once withdrawn, its link credits nobody new.
    const afterWithdrawal = await sign('Late Signer', { via: b.partner.slug, shareWithPartner: 'on' });
    expect(afterWithdrawal).toMatchObject({ viaPartnerId: null, shareWithPartner: false });
  });
});
