import { randomBytes } from 'node:crypto';
import { db } from '../../app/utils/db.server.ts';
import type { SignatureInput } from '../../app/validation/signature.ts';

export function uniqueSlug(prefix = 'campaign') {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

type AddresseeSpec = { name?: string; email?: string; deliveryMode?: 'PER_SIGNATURE' | 'DIGEST'; digestIntervalMinutes?: number; lettersPerHour?: number };

export async function createCampaign(
  options: { slug?: string; status?: 'DRAFT' | 'IN_REVIEW' | 'PUBLISHED' | 'CLOSED' | 'WON'; addressees?: AddresseeSpec[]; demands?: string[] } = {},
) {
  const slug = options.slug ?? uniqueSlug();
  const addressees = options.addressees ?? [{ deliveryMode: 'PER_SIGNATURE' }];
  return db.campaign.create({
    data: {
      slug,
      status: options.status ?? 'PUBLISHED',
      publishedAt: new Date(),
      title: `Free the activists (${slug})`,
      summary: 'A test campaign about people prosecuted for their posts.',
      statement: 'We **demand** justice.',
      goal: 100,
      demands: { create: (options.demands ?? ['Drop the charges.', 'Repeal Article 274.']).map((text, position) => ({ text, position })) },
      addressees: {
        create: addressees.map((a, i) => ({
          position: i,
          name: a.name ?? `Office ${i + 1}`,
          role: 'Minister',
          email: a.email ?? `office${i + 1}-${slug}@example.org`,
          deliveryMode: a.deliveryMode ?? 'PER_SIGNATURE',
          digestIntervalMinutes: a.digestIntervalMinutes ?? 1440,
          lettersPerHour: a.lettersPerHour ?? 600,
        })),
      },
    },
    include: { addressees: { orderBy: { position: 'asc' } }, demands: true },
  });
}

export function signer(overrides: Partial<SignatureInput> = {}): SignatureInput {
  const id = randomBytes(4).toString('hex');
  return {
    fullName: 'Нұрғали Ақжігітов',
    email: `signer-${id}@example.net`,
    city: 'Өскемен',
    country: 'KZ',
    comment: null,
    showName: false,
    listPublicly: false,
    wantsUpdates: false,
    consent: 'on',
    ...overrides,
  };
}

export async function createUser(overrides: { email?: string; name?: string | null } = {}) {
  return db.user.create({
    data: { email: overrides.email ?? `organiser-${randomBytes(4).toString('hex')}@example.org`, name: overrides.name ?? null },
  });
}

/** A campaign membership as if it existed all along (notifiedAt set, so the reconciler owes no invitation). */
export async function addMember(campaignId: string, userId: string, role: 'OWNER' | 'EDITOR' | 'VIEWER') {
  return db.campaignMember.create({ data: { campaignId, userId, role, notifiedAt: new Date() } });
}
