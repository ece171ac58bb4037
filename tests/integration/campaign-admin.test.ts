import { describe, expect, it } from 'vitest';
import { useTestSmtp, useWorkers } from '../setup/mail-and-workers.ts';
import { addMember, createCampaign as createCampaignRow, createUser, uniqueSlug } from '../setup/factories.ts';
import { eventually } from '../setup/wait.ts';
import { jobsInQueue } from '../setup/jobs.ts';

// The organiser's campaign editor against real PostgreSQL, Redis and SMTP (workers run in this process).
const smtp = await useTestSmtp();

const { db } = await import('../../app/utils/db.server.ts');
const { resetEnvCache } = await import('../../app/utils/env.server.ts');
const { addAddressee, listAddressees, removeAddressee, updateAddressee } = await import('../../app/models/addressee.server.ts');
const { createCampaign, updateCampaignDetails } = await import('../../app/models/campaign-details.server.ts');
const { approveCampaign, closeCampaign, deleteCampaign, listCampaignsInReview, markWon, publishCampaign, sendBackCampaign } = await import('../../app/models/campaign-lifecycle.server.ts');
const { addDemand, listDemands, moveDemand, removeDemand, updateDemand } = await import('../../app/models/demand.server.ts');
const { changeMemberRole, inviteMember, listMembers, removeMember } = await import('../../app/models/member.server.ts');
const { QUEUE, queue } = await import('../../app/queues.server.ts');
const { owedMemberInvitations } = await import('../../app/models/reconcile.server.ts');
const { findCurrentSlug, getPublicCampaign } = await import('../../app/models/campaign.server.ts');
const validation = await import('../../app/validation/campaign.ts');

const { CampaignAdminError } = await import('../../app/models/campaign-guard.server.ts');

useWorkers();

/** The error a promise rejects with, which must be a CampaignAdminError. */
async function adminError(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CampaignAdminError);
  return error as InstanceType<typeof CampaignAdminError>;
}

function details(overrides: Partial<import('../../app/validation/campaign.ts').CampaignDetailsInput> = {}) {
  return {
    title: 'Free the Almaty Four',
    slug: uniqueSlug('almaty'),
    summary: 'Four bloggers face prison for their posts.',
    statement: 'We **demand** their release.',
    goal: 5000,
    imageUrl: null,
    ...overrides,
  };
}

async function draftWithOwner() {
  const owner = await createUser();
  const campaign = await createCampaign(owner.id, details());
  return { owner, campaign };
}

async function setModeration(value: 'on' | 'off') {
  process.env.MODERATION = value;
  resetEnvCache();
}

describe('creating and editing campaigns', () => {
  it('creates a draft whose creator is its owner', async () => {
    const owner = await createUser();
    const input = details();
    const campaign = await createCampaign(owner.id, input);
    const row = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id }, include: { members: true } });
    expect(row).toMatchObject({ status: 'DRAFT', slug: input.slug, title: input.title, goal: 5000, createdById: owner.id, publishedAt: null });
    expect(row.members).toEqual([expect.objectContaining({ userId: owner.id, role: 'OWNER' })]);
    // Drafts are not public.
    expect(await getPublicCampaign(input.slug)).toBeNull();
    expect(await getPublicCampaign(input.slug, { includeUnpublished: true })).toMatchObject({ id: campaign.id });
  });

  it('refuses a slug used by another campaign, now or before, and writes nothing', async () => {
    const owner = await createUser();
    const existing = await createCampaignRow();
    const [campaignsBefore, membersBefore] = await Promise.all([db.campaign.count(), db.campaignMember.count()]);

    const taken = await adminError(createCampaign(owner.id, details({ slug: existing.slug })));
    expect(taken).toMatchObject({ field: 'slug', status: 409 });
    expect(taken.message).toBe('That web address is already used by another campaign. Please choose another one.');

    const oldSlug = uniqueSlug('old');
    await db.campaignSlug.create({ data: { slug: oldSlug, campaignId: existing.id } });
    const used = await adminError(createCampaign(owner.id, details({ slug: oldSlug })));
    expect(used.field).toBe('slug');

    expect(await db.campaign.count()).toBe(campaignsBefore);
    expect(await db.campaignMember.count()).toBe(membersBefore);
  });

  it('updates the details and lets a draft change its slug, but not to a taken one', async () => {
    const { campaign } = await draftWithOwner();
    const other = await createCampaignRow();
    const newSlug = uniqueSlug('renamed');
    await updateCampaignDetails(campaign.id, details({ slug: newSlug, title: 'New title', goal: 250, imageUrl: 'https://example.org/a.jpg' }));
    expect(await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({
      slug: newSlug,
      title: 'New title',
      goal: 250,
      imageUrl: 'https://example.org/a.jpg',
    });
    // A draft never went public: no old address is kept for it.
    expect(await db.campaignSlug.count({ where: { campaignId: campaign.id } })).toBe(0);

    const error = await adminError(updateCampaignDetails(campaign.id, details({ slug: other.slug, title: 'Changed again' })));
    expect(error.field).toBe('slug');
    expect(await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({ slug: newSlug, title: 'New title' });
  });

  it('keeps the slug of a published campaign stable, with a clear message', async () => {
    const published = await createCampaignRow({ status: 'PUBLISHED' });
    const error = await adminError(updateCampaignDetails(published.id, details({ slug: uniqueSlug('moved'), title: 'Other' })));
    expect(error).toMatchObject({ field: 'slug', status: 409 });
    expect(error.message).toMatch(/cannot change once it has been published/);
    expect(await db.campaign.findUniqueOrThrow({ where: { id: published.id } })).toMatchObject({ slug: published.slug, title: published.title });

    // Other details of a published campaign can still be edited.
    await updateCampaignDetails(published.id, details({ slug: published.slug, title: 'Corrected title' }));
    expect((await db.campaign.findUniqueOrThrow({ where: { id: published.id } })).title).toBe('Corrected title');
  });

  it('finds the current slug for an old one, so old links can redirect', async () => {
    const campaign = await createCampaignRow();
    const oldSlug = uniqueSlug('before');
    await db.campaignSlug.create({ data: { slug: oldSlug, campaignId: campaign.id } });
    expect(await findCurrentSlug(oldSlug)).toBe(campaign.slug);
    expect(await findCurrentSlug(uniqueSlug('never'))).toBeNull();
  });
});

describe('demands', () => {
  const texts = async (campaignId: string) => (await listDemands(campaignId)).map((d) => d.text);

  it('adds, edits, reorders and removes demands, keeping positions unique', async () => {
    const { campaign } = await draftWithOwner();
    const first = await addDemand(campaign.id, 'Release the four.');
    const second = await addDemand(campaign.id, 'Drop all charges.');
    const third = await addDemand(campaign.id, 'Repeal Article 274.');
    expect([first.position, second.position, third.position]).toEqual([0, 1, 2]);

    expect(await moveDemand(campaign.id, third.id, 'up')).toBe(true);
    expect(await texts(campaign.id)).toEqual(['Release the four.', 'Repeal Article 274.', 'Drop all charges.']);
    expect(await moveDemand(campaign.id, first.id, 'up')).toBe(false);
    expect(await moveDemand(campaign.id, second.id, 'down')).toBe(false);
    expect(await moveDemand(campaign.id, first.id, 'down')).toBe(true);
    expect(await texts(campaign.id)).toEqual(['Repeal Article 274.', 'Release the four.', 'Drop all charges.']);

    await updateDemand(campaign.id, first.id, 'Release all four bloggers.');
    await removeDemand(campaign.id, third.id);
    expect(await texts(campaign.id)).toEqual(['Release all four bloggers.', 'Drop all charges.']);
    // Moving across the gap a removal left still swaps neighbours.
    expect(await moveDemand(campaign.id, second.id, 'up')).toBe(true);
    expect(await texts(campaign.id)).toEqual(['Drop all charges.', 'Release all four bloggers.']);
    const positions = (await listDemands(campaign.id)).map((d) => d.position);
    expect(positions.every((p) => p >= 0)).toBe(true);
  });

  it('serialises concurrent adds and moves on one campaign', async () => {
    const { campaign } = await draftWithOwner();
    const added = await Promise.all(Array.from({ length: 8 }, (_, i) => addDemand(campaign.id, `Demand ${i}`)));
    expect(new Set(added.map((d) => d.position)).size).toBe(8);
    await Promise.all(added.map((d, i) => moveDemand(campaign.id, d.id, i % 2 ? 'up' : 'down')));
    const after = await listDemands(campaign.id);
    expect(after).toHaveLength(8);
    expect(new Set(after.map((d) => d.position)).size).toBe(8);
    expect(after.every((d) => d.position >= 0)).toBe(true);
  });

  it('treats a demand of another campaign as not found and changes nothing', async () => {
    const { campaign: mine } = await draftWithOwner();
    await addDemand(mine.id, 'Mine one.');
    await addDemand(mine.id, 'Mine two.');
    const theirs = await createCampaignRow({ demands: ['Theirs one.', 'Theirs two.'] });
    const [theirFirst, theirSecond] = await listDemands(theirs.id);

    for (const attempt of [
      () => moveDemand(mine.id, theirSecond.id, 'up'),
      () => updateDemand(mine.id, theirFirst.id, 'Hijacked.'),
      () => removeDemand(mine.id, theirFirst.id),
    ]) {
      const error = await adminError(attempt());
      expect(error.status).toBe(404);
      expect(error.message).toMatch(/could not find that demand/);
    }
    expect(await texts(theirs.id)).toEqual(['Theirs one.', 'Theirs two.']);
    expect(await texts(mine.id)).toEqual(['Mine one.', 'Mine two.']);
  });

  it('caps the number of demands', async () => {
    const { campaign } = await draftWithOwner();
    await db.demand.createMany({
      data: Array.from({ length: validation.CAMPAIGN_LIMITS.maxDemands }, (_, position) => ({ campaignId: campaign.id, position, text: `D${position}` })),
    });
    const error = await adminError(addDemand(campaign.id, 'One too many.'));
    expect(error.message).toBe(`A campaign can have at most ${validation.CAMPAIGN_LIMITS.maxDemands} demands.`);
  });
});

describe('addressees', () => {
  const addressee = (overrides: Partial<import('../../app/validation/campaign.ts').AddresseeInput> = {}) => ({
    name: 'Prosecutor General',
    role: 'Head of the prosecution service',
    email: 'prosecutor@example.org',
    deliveryMode: 'PER_SIGNATURE' as const,
    digestIntervalMinutes: 1440,
    lettersPerHour: 600,
    ...overrides,
  });

  it('adds, updates and removes addressees of its own campaign only', async () => {
    const { campaign } = await draftWithOwner();
    const a = await addAddressee(campaign.id, addressee());
    const b = await addAddressee(campaign.id, addressee({ name: 'Ministry of Justice', email: 'justice@example.org', deliveryMode: 'DIGEST', digestIntervalMinutes: 60 }));
    await updateAddressee(campaign.id, a.id, addressee({ name: 'Prosecutor General of Kazakhstan', lettersPerHour: 30 }));
    const list = await listAddressees(campaign.id);
    expect(list.map((x) => [x.name, x.deliveryMode, x.digestIntervalMinutes, x.lettersPerHour])).toEqual([
      ['Prosecutor General of Kazakhstan', 'PER_SIGNATURE', 1440, 30],
      ['Ministry of Justice', 'DIGEST', 60, 600],
    ]);

    const theirs = await createCampaignRow();
    const [their] = theirs.addressees;
    expect((await adminError(updateAddressee(campaign.id, their.id, addressee({ name: 'Hijacked' })))).status).toBe(404);
    expect((await adminError(removeAddressee(campaign.id, their.id))).status).toBe(404);
    expect(await db.addressee.findUniqueOrThrow({ where: { id: their.id } })).toMatchObject({ name: their.name });

    await removeAddressee(campaign.id, b.id);
    expect((await listAddressees(campaign.id)).map((x) => x.id)).toEqual([a.id]);
  });

  it('keeps an addressee who has been sent letters, with a clear message', async () => {
    const campaign = await createCampaignRow();
    const [office] = campaign.addressees;
    await db.delivery.create({ data: { addresseeId: office.id, kind: 'LETTER', status: 'SENT', sentAt: new Date() } });
    const error = await adminError(removeAddressee(campaign.id, office.id));
    expect(error.message).toMatch(/already been sent letters/);
    expect(await db.addressee.count({ where: { id: office.id } })).toBe(1);
  });
});

describe('publishing and the lifecycle', () => {
  it('refuses to publish without demands or addressees, with a clear message', async () => {
    const { campaign } = await draftWithOwner();
    const none = await adminError(publishCampaign(campaign.id));
    expect(none.message).toBe('Before publishing, add at least one demand and at least one addressee.');
    await addDemand(campaign.id, 'Release them.');
    const noAddressee = await adminError(publishCampaign(campaign.id));
    expect(noAddressee.message).toBe('Before publishing, add at least one addressee.');
    expect((await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe('DRAFT');
  });

  it('publishes a complete draft at once when moderation is off', async () => {
    await setModeration('off');
    const { campaign } = await draftWithOwner();
    await addDemand(campaign.id, 'Release them.');
    await addAddressee(campaign.id, { name: 'President', role: 'Head of state', email: 'p@example.org', deliveryMode: 'PER_SIGNATURE', digestIntervalMinutes: 1440, lettersPerHour: 600 });
    expect(await publishCampaign(campaign.id)).toBe('PUBLISHED');
    const row = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(row.status).toBe('PUBLISHED');
    expect(row.publishedAt).toBeInstanceOf(Date);
    expect(await getPublicCampaign(campaign.slug)).toMatchObject({ id: campaign.id });
    expect((await adminError(publishCampaign(campaign.id))).message).toBe('This campaign is published, so it cannot be published.');
    // Published campaigns cannot be deleted.
    const error = await adminError(deleteCampaign(campaign.id));
    expect(error.message).toMatch(/Only campaigns that were never published can be deleted/);
    expect(await db.campaign.count({ where: { id: campaign.id } })).toBe(1);
  });

  it('with moderation on: submit → in review → sent back with a reason → resubmitted → approved', async () => {
    await setModeration('on');
    try {
      const { campaign } = await draftWithOwner();
      await addDemand(campaign.id, 'Release them.');
      await addAddressee(campaign.id, { name: 'President', role: 'Head of state', email: 'p@example.org', deliveryMode: 'DIGEST', digestIntervalMinutes: 60, lettersPerHour: 600 });

      expect(await publishCampaign(campaign.id)).toBe('IN_REVIEW');
      let row = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
      expect(row).toMatchObject({ status: 'IN_REVIEW', publishedAt: null });
      expect(row.submittedAt).toBeInstanceOf(Date);
      expect((await listCampaignsInReview()).map((c) => c.id)).toContain(campaign.id);
      expect(await getPublicCampaign(campaign.slug)).toBeNull();

      await sendBackCampaign(campaign.id, 'Please cite a source for the charges.');
      row = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
      expect(row).toMatchObject({ status: 'DRAFT', reviewNote: 'Please cite a source for the charges.', submittedAt: null });
      expect((await adminError(approveCampaign(campaign.id))).message).toBe('This campaign is a draft, so it cannot be approved.');

      expect(await publishCampaign(campaign.id)).toBe('IN_REVIEW');
      await approveCampaign(campaign.id);
      row = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
      expect(row).toMatchObject({ status: 'PUBLISHED', reviewNote: null });
      expect(row.publishedAt).toBeInstanceOf(Date);
      expect((await listCampaignsInReview()).map((c) => c.id)).not.toContain(campaign.id);
    } finally {
      await setModeration('off');
    }
  });

  it('closes a published campaign and marks it won with a note', async () => {
    const campaign = await createCampaignRow({ status: 'PUBLISHED' });
    await closeCampaign(campaign.id);
    const closed = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(closed.status).toBe('CLOSED');
    expect(closed.closedAt).toBeInstanceOf(Date);
    expect((await adminError(closeCampaign(campaign.id))).message).toBe('This campaign is closed, so it cannot be closed.');

    await markWon(campaign.id, 'All four were released on 3 March.');
    const won = await db.campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(won).toMatchObject({ status: 'WON', victoryNote: 'All four were released on 3 March.' });
    expect(won.closedAt?.getTime()).toBe(closed.closedAt?.getTime());
    expect(await getPublicCampaign(campaign.slug)).toMatchObject({ status: 'WON', victoryNote: 'All four were released on 3 March.' });

    const { campaign: draft } = await draftWithOwner();
    expect((await adminError(markWon(draft.id, 'Too soon.'))).message).toBe('This campaign is a draft, so it cannot be marked as won.');
    expect((await adminError(closeCampaign(draft.id))).status).toBe(409);
  });

  it('deletes a draft with everything in it', async () => {
    const { campaign } = await draftWithOwner();
    await addDemand(campaign.id, 'Release them.');
    await deleteCampaign(campaign.id);
    expect(await db.campaign.count({ where: { id: campaign.id } })).toBe(0);
    expect(await db.demand.count({ where: { campaignId: campaign.id } })).toBe(0);
    expect(await db.campaignMember.count({ where: { campaignId: campaign.id } })).toBe(0);
    expect((await adminError(deleteCampaign(campaign.id))).status).toBe(404);
  });
});

describe('members', () => {
  it('invites a new person: creates their account and membership and emails them', async () => {
    const { owner, campaign } = await draftWithOwner();
    const email = `Invitee-${Date.now()}@Example.org`;
    const invited = await inviteMember(campaign.id, email, 'EDITOR', { userId: owner.id });
    const address = email.toLowerCase();
    expect(invited).toMatchObject({ role: 'EDITOR', email: address });
    const user = await db.user.findUniqueOrThrow({ where: { email: address } });
    expect(await db.campaignMember.findUniqueOrThrow({ where: { id: invited.id } })).toMatchObject({ userId: user.id, role: 'EDITOR' });

    const mail = await smtp.waitFor((m) => m.envelopeTo.includes(address));
    expect(mail.subject).toBe('You were added to “Free the Almaty Four” on Chorus');
    expect(mail.text).toContain('as an editor');
    expect(mail.text).toContain(`${process.env.PUBLIC_URL}/sign-in`);
    expect(mail.messageId).toMatch(/^<member-/);
    await eventually(async () => (await db.campaignMember.findUniqueOrThrow({ where: { id: invited.id } })).notifiedAt, { what: 'notifiedAt to be recorded' });

    // Inviting the same address again is refused, and sends nothing more: no job was added to send it.
    const emails = queue(QUEUE.emails);
    const jobsBefore = await jobsInQueue(emails);
    const again = await adminError(inviteMember(campaign.id, address.toUpperCase(), 'VIEWER', { userId: owner.id }));
    expect(again).toMatchObject({ field: 'email', status: 409 });
    expect(again.message).toBe(`${address} is already a member of this campaign.`);
    expect(await jobsInQueue(emails)).toBe(jobsBefore);
    expect(smtp.to(address)).toHaveLength(1);
  });

  it('adds an existing account without creating another', async () => {
    const { owner, campaign } = await draftWithOwner();
    const existing = await createUser({ name: 'Aigerim' });
    await inviteMember(campaign.id, existing.email, 'VIEWER', { userId: owner.id });
    expect(await db.user.count({ where: { email: existing.email } })).toBe(1);
    const mail = await smtp.waitFor((m) => m.envelopeTo.includes(existing.email));
    expect(mail.text).toContain('Hello Aigerim,');
    expect(mail.text).toContain('as a viewer');
  });

  it('never removes or demotes the last owner', async () => {
    const { owner, campaign } = await draftWithOwner();
    const [ownerMember] = await listMembers(campaign.id);
    expect(ownerMember.user.id).toBe(owner.id);

    const demote = await adminError(changeMemberRole(campaign.id, ownerMember.id, 'EDITOR'));
    expect(demote.message).toBe('A campaign needs at least one owner. Make someone else an owner first.');
    const remove = await adminError(removeMember(campaign.id, ownerMember.id));
    expect(remove.message).toBe(demote.message);
    expect(await db.campaignMember.findUniqueOrThrow({ where: { id: ownerMember.id } })).toMatchObject({ role: 'OWNER' });

    // With a second owner, the first may step down and then be removed.
    const second = await addMember(campaign.id, (await createUser()).id, 'EDITOR');
    await changeMemberRole(campaign.id, second.id, 'OWNER');
    await changeMemberRole(campaign.id, ownerMember.id, 'VIEWER');
    expect(await removeMember(campaign.id, ownerMember.id)).toEqual({ userId: owner.id });
    expect((await listMembers(campaign.id)).map((m) => [m.id, m.role])).toEqual([[second.id, 'OWNER']]);
    expect((await adminError(removeMember(campaign.id, second.id))).status).toBe(409);
  });

  it('treats a member of another campaign as not found', async () => {
    const { campaign: mine } = await draftWithOwner();
    const { campaign: theirs } = await draftWithOwner();
    const [theirOwner] = await listMembers(theirs.id);
    expect((await adminError(changeMemberRole(mine.id, theirOwner.id, 'VIEWER'))).status).toBe(404);
    expect((await adminError(removeMember(mine.id, theirOwner.id))).status).toBe(404);
    expect(await db.campaignMember.findUniqueOrThrow({ where: { id: theirOwner.id } })).toMatchObject({ role: 'OWNER' });
  });

  it('owes an invitation email for invited members only, never for the creator', async () => {
    const { owner, campaign } = await draftWithOwner();
    const invitee = await createUser();
    const unsent = await db.campaignMember.create({ data: { campaignId: campaign.id, userId: invitee.id, role: 'VIEWER' } });
    const owed = (await owedMemberInvitations(0)).map((m) => m.id);
    expect(owed).toContain(unsent.id);
    const creatorMember = await db.campaignMember.findUniqueOrThrow({ where: { campaignId_userId: { campaignId: campaign.id, userId: owner.id } } });
    expect(owed).not.toContain(creatorMember.id);
  });
});

describe('validation schemas', () => {
  const { campaignDetailsSchema, addresseeSchema, suggestSlug } = validation;
  const good = { title: 'T', slug: 'free-them', summary: 'S', statement: 'Body', goal: '10,000', imageUrl: '' };

  it('accepts good input and normalises it', () => {
    expect(campaignDetailsSchema.parse({ ...good, slug: ' Free-Them ' })).toMatchObject({ slug: 'free-them', goal: 10_000, imageUrl: null });
  });

  it('rejects bad input with clear messages', () => {
    const errors = (input: Record<string, unknown>) => {
      const result = campaignDetailsSchema.safeParse({ ...good, ...input });
      return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [String(i.path[0]), i.message]));
    };
    expect(errors({ title: '  ' }).title).toBe('Please enter a title.');
    expect(errors({ title: 'x'.repeat(201) }).title).toBe('Title is too long (at most 200 characters).');
    expect(errors({ slug: 'Free them!' }).slug).toMatch(/Use only lowercase letters/);
    expect(errors({ slug: 'ab' }).slug).toBe('The web address must be at least 3 characters long.');
    expect(errors({ slug: 'a--b' }).slug).toMatch(/single hyphens/);
    expect(errors({ goal: '0' }).goal).toBe('Signature goal must be between 1 and 10,000,000.');
    expect(errors({ goal: '10000001' }).goal).toBe('Signature goal must be between 1 and 10,000,000.');
    expect(errors({ goal: 'many' }).goal).toBe('Please enter a signature goal as a whole number.');
    expect(errors({ imageUrl: 'javascript:alert(1)' }).imageUrl).toMatch(/must be a full web address starting with https:\/\//);
    expect(errors({ statement: 'x'.repeat(50_001) }).statement).toBe('Statement is too long (at most 50,000 characters).');
  });

  it('checks addressees', () => {
    const base = { name: 'N', role: 'R', email: 'a@example.org', deliveryMode: 'DIGEST', digestIntervalMinutes: '60', lettersPerHour: '10' };
    expect(addresseeSchema.parse(base)).toMatchObject({ digestIntervalMinutes: 60, lettersPerHour: 10 });
    const bad = addresseeSchema.safeParse({ ...base, email: 'nope', digestIntervalMinutes: '5', lettersPerHour: '10001', deliveryMode: 'FAX' });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path[0]);
    expect(paths).toEqual(expect.arrayContaining(['email', 'digestIntervalMinutes', 'lettersPerHour', 'deliveryMode']));
  });

  it('suggests a slug from a title when one fits', () => {
    expect(suggestSlug('Free the Almaty Four!')).toBe('free-the-almaty-four');
    expect(suggestSlug('Сөз бостандығы')).toBe('');
  });
});
