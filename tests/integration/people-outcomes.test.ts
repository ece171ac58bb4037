import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { header } from '../setup/smtp.ts';
import { useTestSmtp, useWorkers } from '../setup/mail-and-workers.ts';
import { createCampaign, signer } from '../setup/factories.ts';
import { eventually } from '../setup/wait.ts';

// People at risk, status announcements, demand statuses, responses and timelines, through real
// PostgreSQL, Redis and SMTP with the workers running in this process.
const smtp = await useTestSmtp();

const { db } = await import('../../app/utils/db.server.ts');
const { confirmationToken } = await import('../../app/utils/crypto.server.ts');
const { createSignature, confirmSignature } = await import('../../app/models/signature.server.ts');
const people = await import('../../app/models/person.server.ts');
const outcomes = await import('../../app/models/outcome.server.ts');
const { InvalidInputError } = await import('../../app/validation/person.ts');
const { seedDemo } = await import('../../prisma/seed.ts');
const { demoPeople } = await import('../../prisma/demo-people.ts');

useWorkers();

async function user(name: string) {
  return db.user.create({ data: { email: `${name.toLowerCase()}-${randomBytes(4).toString('hex')}@example.org`, name } });
}

async function member(campaignId: string, userId: string, role: 'OWNER' | 'EDITOR' | 'VIEWER') {
  await db.campaignMember.create({ data: { campaignId, userId, role } });
}

const profile = (overrides: Record<string, string> = {}) => ({
  name: 'Даная Калиева',
  role: 'Civil activist',
  residence: 'Almaty',
  dateOfBirth: '1985-06-01',
  charges: 'Article 274, part 4',
  status: 'WITNESS',
  healthNotes: 'Needs daily medication.',
  healthNotesPublic: '',
  story: 'She **shared** posts. <script>alert(1)</script>',
  sourceOrg: 'A human-rights bureau',
  sourceDate: '2020-07-27',
  ...overrides,
});

async function signAndConfirm(campaignSlug: string, overrides: Parameters<typeof signer>[0]) {
  const input = signer(overrides);
  const outcome = await createSignature(campaignSlug, input, `198.51.100.${Math.floor(Math.random() * 200)}`);
  await confirmSignature(confirmationToken(outcome.signatureId!));
  return input;
}

describe('person profiles and who may edit them', () => {
  it('creates with a transliterated unique slug, and only the creator and linked campaigns’ owners/editors may edit', async () => {
    const [creator, editor, viewer, outsider] = await Promise.all([user('Aigerim'), user('Berik'), user('Dana'), user('Outsider')]);
    const campaign = await createCampaign();
    const outsiderCampaign = await createCampaign();
    await member(campaign.id, editor.id, 'EDITOR');
    await member(campaign.id, viewer.id, 'VIEWER');
    await member(outsiderCampaign.id, outsider.id, 'OWNER');

    const first = await people.createPerson(creator.id, profile());
    const second = await people.createPerson(creator.id, profile());
    expect(first.slug).toMatch(/^danaya-kalieva(-\d+)?$/);
    expect(second.slug).not.toBe(first.slug);
    expect(people.slugifyName('Марат Тұрымбетов')).toBe('marat-turymbetov');
    expect(people.slugifyName('Ғалым Құдайбергенұлы')).toBe('ghalym-qudaybergenuly');

    // Before linking, only the creator may edit.
    expect(await people.canEditPerson(creator.id, first.id)).toBe(true);
    expect(await people.canEditPerson(editor.id, first.id)).toBe(false);
    await expect(people.updatePerson(editor.id, first.id, profile({ role: 'Blogger' }))).rejects.toBeInstanceOf(people.PersonAccessError);

    // The creator links it to a campaign they are not a member of: refused (campaign editors decide).
    await expect(people.linkPersonToCampaign(creator.id, campaign.id, first.id)).rejects.toBeInstanceOf(people.PersonAccessError);
    await member(campaign.id, creator.id, 'EDITOR');
    await people.linkPersonToCampaign(creator.id, campaign.id, first.id);
    await people.linkPersonToCampaign(creator.id, campaign.id, first.id); // twice is harmless
    expect(await db.campaignPerson.count({ where: { campaignId: campaign.id } })).toBe(1);

    // Now the campaign's editor may edit; its viewer may read but not edit; an outsider neither.
    expect(await people.canEditPerson(editor.id, first.id)).toBe(true);
    await people.updatePerson(editor.id, first.id, profile({ role: 'Civil activist and blogger', name: 'Danaya Kaliyeva' }));
    const updated = await db.person.findUniqueOrThrow({ where: { id: first.id } });
    expect(updated).toMatchObject({ name: 'Danaya Kaliyeva', role: 'Civil activist and blogger', slug: first.slug, status: 'WITNESS' });
    expect(updated.dateOfBirth?.toISOString()).toBe('1985-06-01T00:00:00.000Z');

    expect(await people.canEditPerson(viewer.id, first.id)).toBe(false);
    expect(await people.canViewPerson(viewer.id, first.id)).toBe(true);
    expect(await people.personForOrganiser(viewer.id, first.id)).toMatchObject({ canEdit: false, healthNotes: 'Needs daily medication.' });
    expect(await people.personForOrganiser(outsider.id, first.id)).toBeNull();

    const before = await db.person.findUniqueOrThrow({ where: { id: first.id } });
    for (const attempt of [
      () => people.updatePerson(viewer.id, first.id, profile({ name: 'Hijacked' })),
      () => people.updatePerson(outsider.id, first.id, profile({ name: 'Hijacked' })),
      () => people.addPersonEvent(outsider.id, first.id, { date: '2020-01-01', title: 'Invented' }),
      () => people.changePersonStatus(outsider.id, first.id, { status: 'RELEASED' }),
      // Linking to a campaign the outsider owns would give them edit rights: refused too.
      () => people.linkPersonToCampaign(outsider.id, outsiderCampaign.id, first.id),
    ]) {
      await expect(attempt()).rejects.toBeInstanceOf(people.PersonAccessError);
    }
    expect(await db.person.findUniqueOrThrow({ where: { id: first.id } })).toEqual(before);
    expect(await db.personEvent.count({ where: { personId: first.id } })).toBe(0);
    expect(await db.campaignPerson.count({ where: { campaignId: outsiderCampaign.id } })).toBe(0);
    await expect(people.updatePerson(editor.id, 'no-such-person', profile())).rejects.toBeInstanceOf(people.PersonNotFoundError);

    // Timeline events: added, and removable only through their own person.
    const event = await people.addPersonEvent(editor.id, first.id, { date: '2020-07-20', title: 'Questioned', description: 'Six hours.' });
    await expect(people.removePersonEvent(creator.id, second.id, event.id)).rejects.toBeInstanceOf(people.PersonNotFoundError);
    expect(await db.personEvent.count({ where: { id: event.id } })).toBe(1);
    await people.removePersonEvent(editor.id, first.id, event.id);
    expect(await db.personEvent.count({ where: { id: event.id } })).toBe(0);

    // Unlinking is for the campaign's editors (not its viewers); the profile stays.
    await expect(people.unlinkPersonFromCampaign(viewer.id, campaign.id, first.id)).rejects.toBeInstanceOf(people.PersonAccessError);
    await people.unlinkPersonFromCampaign(editor.id, campaign.id, first.id);
    expect(await people.peopleForCampaign(campaign.id)).toEqual([]);
    expect(await db.person.count({ where: { id: first.id } })).toBe(1);
  });

  it('refuses bad input with nothing written', async () => {
    const creator = await user('Careful');
    const campaign = await createCampaign();
    await member(campaign.id, creator.id, 'OWNER');
    const before = await db.person.count();
    const cases: Array<[Record<string, string>, string]> = [
      [{ name: 'A'.repeat(121) }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ photoUrl: 'javascript:alert(1)' }, 'photoUrl'],
      [{ photoUrl: 'data:image/png;base64,AAAA' }, 'photoUrl'],
      [{ role: 'R'.repeat(121) }, 'role'],
      [{ dateOfBirth: '1969-02-30' }, 'dateOfBirth'],
      [{ status: 'IMPRISONED_FOREVER' }, 'status'],
      [{ story: 'x'.repeat(20_001) }, 'story'],
    ];
    for (const [overrides, field] of cases) {
      const error = await people.createPerson(creator.id, profile(overrides), { linkToCampaignId: campaign.id }).catch((e) => e);
      expect(error, field).toBeInstanceOf(InvalidInputError);
      expect(Object.keys((error as InstanceType<typeof InvalidInputError>).fieldErrors), field).toContain(field);
    }
    expect(await db.person.count()).toBe(before);
    expect(await db.campaignPerson.count({ where: { campaignId: campaign.id } })).toBe(0);

    const ok = await people.createPerson(creator.id, profile({ photoUrl: 'https://example.org/photo.jpg' }), { linkToCampaignId: campaign.id });
    expect(await db.campaignPerson.count({ where: { campaignId: campaign.id, personId: ok.id } })).toBe(1);
    const unchanged = await db.person.findUniqueOrThrow({ where: { id: ok.id } });
    await expect(people.updatePerson(creator.id, ok.id, profile({ photoUrl: 'javascript:alert(1)' }))).rejects.toBeInstanceOf(InvalidInputError);
    await expect(people.addPersonEvent(creator.id, ok.id, { date: '2020-07-20', title: 'T'.repeat(201) })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(people.changePersonStatus(creator.id, ok.id, { status: 'DETAINED', note: 'n'.repeat(2001) })).rejects.toBeInstanceOf(InvalidInputError);
    expect(await db.person.findUniqueOrThrow({ where: { id: ok.id } })).toEqual(unchanged);
    expect(await db.personEvent.count({ where: { personId: ok.id } })).toBe(0);
  });
});

describe('the public profile', () => {
  it('is public only through a visible campaign, and shows health notes only when marked public', async () => {
    const creator = await user('Publisher');
    const draft = await createCampaign({ status: 'DRAFT' });
    const published = await createCampaign();
    await member(draft.id, creator.id, 'OWNER');
    await member(published.id, creator.id, 'OWNER');
    const person = await people.createPerson(creator.id, profile({ name: 'Health Notes Test' }), { linkToCampaignId: draft.id });

    expect(await people.getPublicPerson(person.slug)).toBeNull();

    await people.linkPersonToCampaign(creator.id, published.id, person.id);
    const shown = await people.getPublicPerson(person.slug);
    expect(shown).toMatchObject({ name: 'Health Notes Test', statusLabel: 'Questioned as a witness', healthNotes: null });
    expect(JSON.stringify(shown)).not.toContain('Needs daily medication');
    // Only the visible campaign is listed.
    expect(shown!.campaigns.map((c) => c.slug)).toEqual([published.slug]);

    await people.updatePerson(creator.id, person.id, profile({ name: 'Health Notes Test', healthNotesPublic: 'on' }));
    expect((await people.getPublicPerson(person.slug))!.healthNotes).toBe('Needs daily medication.');
  });
});

describe('announcing a status change', () => {
  it('emails the opted-in signers of the chosen campaign through the update machinery, with an unsubscribe header', async () => {
    const editor = await user('Announcer');
    const viewerOnly = await user('Watcher');
    const announced = await createCampaign();
    const other = await createCampaign();
    await member(announced.id, editor.id, 'EDITOR');
    await member(other.id, editor.id, 'EDITOR');
    await member(announced.id, viewerOnly.id, 'VIEWER');
    const person = await people.createPerson(editor.id, profile({ name: 'Marat Announce' }), { linkToCampaignId: announced.id });
    await people.linkPersonToCampaign(editor.id, other.id, person.id);

    const wants = await signAndConfirm(announced.slug, { wantsUpdates: true });
    const noUpdates = await signAndConfirm(announced.slug, { wantsUpdates: false });
    const unconfirmed = signer({ wantsUpdates: true });
    await createSignature(announced.slug, unconfirmed, '198.51.100.250');
    const otherSigner = await signAndConfirm(other.slug, { wantsUpdates: true });

    const targets = await people.announcementTargets(editor.id, person.id);
    expect(targets.find((t) => t.id === announced.id)?.recipients).toBe(1);

    // A viewer cannot announce (and cannot change the status at all); nothing is written.
    await expect(
      people.changePersonStatus(viewerOnly.id, person.id, { status: 'DETAINED' }, { announceToCampaignIds: [announced.id] }),
    ).rejects.toBeInstanceOf(people.PersonAccessError);
    // An editor cannot announce to a campaign not about this person.
    const unrelated = await createCampaign();
    await member(unrelated.id, editor.id, 'OWNER');
    await expect(
      people.changePersonStatus(editor.id, person.id, { status: 'DETAINED' }, { announceToCampaignIds: [unrelated.id] }),
    ).rejects.toBeInstanceOf(people.PersonAccessError);
    expect((await db.person.findUniqueOrThrow({ where: { id: person.id } })).status).toBe('WITNESS');
    expect(await db.update.count({ where: { campaignId: { in: [announced.id, other.id, unrelated.id] } } })).toBe(0);

    const result = await people.changePersonStatus(
      editor.id,
      person.id,
      { status: 'DETAINED', note: 'Taken into custody after a search.', date: '2020-08-01' },
      { announceToCampaignIds: [announced.id] },
    );
    expect(result.announcements).toEqual([{ campaignId: announced.id, updateId: expect.any(String), recipientCount: 1 }]);

    const mail = await smtp.waitFor((m) => m.envelopeTo.includes(wants.email) && !!m.subject?.startsWith('Marat Announce'));
    expect(mail.subject).toContain('Marat Announce: Detained');
    expect(mail.text).toContain('Taken into custody after a search.');
    expect(mail.text).toContain(`/people/${person.slug}`);
    expect(header(mail, 'List-Unsubscribe')).toMatch(/^<http:\/\/localhost:3000\/u\/[^/]+\/[^/]+>$/);
    expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

    const update = await eventually(async () => {
      const u = await db.update.findUniqueOrThrow({ where: { id: result.announcements[0].updateId } });
      return u.status === 'SENT' ? u : null;
    }, { what: 'the update to finish sending' });
    expect(update).toMatchObject({ title: 'Marat Announce: Detained', recipientCount: 1, sentCount: 1, authorId: editor.id });
    // Nobody else was written to: not the signer without opt-in, the unconfirmed one, or the other campaign's.
    const announcementsTo = (address: string) => smtp.to(address).filter((m) => m.subject?.startsWith('Marat Announce'));
    expect(announcementsTo(wants.email)).toHaveLength(1);
    for (const address of [noUpdates.email, unconfirmed.email, otherSigner.email]) expect(announcementsTo(address)).toHaveLength(0);
    expect(await db.update.count({ where: { campaignId: other.id } })).toBe(0);

    const stored = await db.person.findUniqueOrThrow({ where: { id: person.id }, include: { events: true } });
    expect(stored.status).toBe('DETAINED');
    expect(stored.events).toEqual([
      expect.objectContaining({ title: 'Status: Detained', description: 'Taken into custody after a search.', date: new Date('2020-08-01T00:00:00Z') }),
    ]);

    // Without an announcement the change is only recorded.
    const quiet = await people.changePersonStatus(editor.id, person.id, { status: 'RELEASED' });
    expect(quiet.announcements).toEqual([]);
    expect(await db.update.count({ where: { campaignId: announced.id } })).toBe(1);
  });
});

describe('demand statuses, responses and the campaign timeline', () => {
  it('scopes every change to its campaign and gives the public page a sorted record', async () => {
    const campaign = await createCampaign({ addressees: [{ name: 'President' }, { name: 'Ministry' }] });
    const other = await createCampaign();
    const [president, ministry] = campaign.addressees;
    const demand = campaign.demands.find((d) => d.position === 0)!;
    const otherDemand = other.demands[0];

    await outcomes.setDemandStatus(campaign.id, demand.id, { status: 'PARTLY_MET', note: 'Charges against one activist dropped.', date: '2020-09-01' });
    await expect(outcomes.setDemandStatus(campaign.id, otherDemand.id, { status: 'MET' })).rejects.toThrow('That demand is not part of this campaign.');
    expect(await db.demand.findUniqueOrThrow({ where: { id: otherDemand.id } })).toMatchObject({ status: 'OPEN', statusNote: null, statusDate: null });
    await expect(outcomes.setDemandStatus(campaign.id, demand.id, { status: 'WON_MAYBE' })).rejects.toBeInstanceOf(InvalidInputError);

    await outcomes.logAddresseeResponse(campaign.id, ministry.id, { date: '2020-10-02', summary: 'Second reply.' });
    const first = await outcomes.logAddresseeResponse(campaign.id, ministry.id, { date: '2020-08-15', summary: 'Acknowledged receipt.', url: 'https://example.org/reply' });
    await expect(outcomes.logAddresseeResponse(campaign.id, other.addressees[0].id, { date: '2020-08-15', summary: 'x' })).rejects.toThrow(
      'That addressee is not part of this campaign.',
    );
    for (const bad of [
      { date: '2020-08-15', summary: 'x', url: 'javascript:alert(1)' },
      { date: '2020-08-15', summary: 's'.repeat(2001) },
      { date: 'yesterday', summary: 'x' },
      { date: '2020-08-15', summary: '  ' },
    ]) {
      await expect(outcomes.logAddresseeResponse(campaign.id, president.id, bad)).rejects.toBeInstanceOf(InvalidInputError);
    }
    expect(await db.addresseeResponse.count({ where: { campaignId: campaign.id } })).toBe(2);
    await expect(outcomes.removeResponse(other.id, first.id)).rejects.toBeInstanceOf(outcomes.OutcomeNotFoundError);

    await outcomes.addTimelineEvent(campaign.id, { date: '2020-07-20', title: 'Questioned' });
    await outcomes.addTimelineEvent(campaign.id, { date: '2020-04-20', title: 'Case opened', description: 'At the bank’s request.' });
    const removable = await outcomes.addTimelineEvent(campaign.id, { date: '2020-05-05', title: 'Mistake' });
    await expect(outcomes.addTimelineEvent(campaign.id, { date: '2020-05-05', title: 'T'.repeat(201) })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(outcomes.removeTimelineEvent(other.id, removable.id)).rejects.toBeInstanceOf(outcomes.OutcomeNotFoundError);
    await outcomes.removeTimelineEvent(campaign.id, removable.id);

    const record = await outcomes.publicOutcomes(campaign.id);
    expect(record.demandStatuses[demand.id]).toEqual({ status: 'PARTLY_MET', statusNote: 'Charges against one activist dropped.', statusDate: new Date('2020-09-01T00:00:00Z') });
    expect(record.responsesByAddressee[president.id]).toBeUndefined();
    expect(record.responsesByAddressee[ministry.id].map((r) => r.summary)).toEqual(['Acknowledged receipt.', 'Second reply.']);
    expect(record.responsesByAddressee[ministry.id][0].url).toBe('https://example.org/reply');
    expect(record.timeline.map((e) => e.title)).toEqual(['Case opened', 'Questioned']);

    await outcomes.removeResponse(campaign.id, first.id);
    expect((await outcomes.publicOutcomes(campaign.id)).responsesByAddressee[ministry.id].map((r) => r.summary)).toEqual(['Second reply.']);
  });
});

describe('demo data', () => {
  it('seedDemo() adds the people, the timeline and the co-signatories once, however often it runs', async () => {
    await seedDemo();
    const snapshot = async () => ({
      people: await db.person.count(),
      events: await db.personEvent.count(),
      links: await db.campaignPerson.count(),
      timeline: await db.timelineEvent.count(),
      partners: await db.partner.count(),
      coSignatures: await db.coSignature.count(),
    });
    const afterFirst = await snapshot();
    await Promise.all([seedDemo(), seedDemo()].map((p) => p.catch((e: Error) => e)));
    await seedDemo();
    expect(await snapshot()).toEqual(afterFirst);

    const marat = await db.person.findUniqueOrThrow({
      where: { slug: demoPeople.marat.slug },
      include: { events: { orderBy: { date: 'asc' } }, campaigns: { include: { campaign: true } } },
    });
    expect(marat).toMatchObject({ name: 'Marat Turymbetov', status: 'WITNESS', residence: 'Almaty', healthNotesPublic: true });
    expect(marat.dateOfBirth?.toISOString()).toBe('1969-03-03T00:00:00.000Z');
    expect(marat.events).toHaveLength(8);
    expect(marat.events[0].date.getUTCFullYear()).toBe(2017);
    const campaignId = marat.campaigns[0].campaignId;
    expect(await db.timelineEvent.count({ where: { campaignId } })).toBe(4);
    expect((await people.peopleForCampaign(campaignId)).map((p) => p.name)).toEqual(['Marat Turymbetov', 'Danaya Kaliyeva']);
    const coSignatures = await db.coSignature.findMany({ where: { campaignId }, include: { partner: true } });
    expect(coSignatures.map((c) => [c.partner.kind, c.partner.name, c.status]).sort()).toEqual([
      ['INDIVIDUAL', 'Nurul Rakhimbek', 'APPROVED'],
      ['ORGANISATION', 'Kazakhstan International Bureau for Human Rights and the Rule of Law', 'APPROVED'],
    ]);
    expect(coSignatures.every((c) => /example\.org$/.test(c.partner.contactEmail))).toBe(true);
  });
});
