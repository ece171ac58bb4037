import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { db, disconnectDb } from '../app/utils/db.server.ts';
import { demoCampaign } from './demo-campaign.ts';
import { seedDemoRecord } from './demo-people.ts';

/** Creates the demo campaign once; later runs leave it (and its signatures) alone. */
export async function seedDemo(): Promise<{ created: boolean; slug: string }> {
  const existing = await db.campaign.findUnique({ where: { slug: demoCampaign.slug }, select: { id: true } });
  if (existing) {
    // The people, timeline and co-signatories are added once, also to a campaign seeded before they existed.
    await seedDemoRecord(existing.id);
    return { created: false, slug: demoCampaign.slug };
  }
  const campaign = await db.campaign.create({
    data: {
      slug: demoCampaign.slug,
      status: 'PUBLISHED',
      publishedAt: new Date(),
      title: demoCampaign.title,
      summary: demoCampaign.summary,
      statement: demoCampaign.statement,
      goal: demoCampaign.goal,
      demands: { create: demoCampaign.demands.map((text, position) => ({ text, position })) },
      addressees: { create: demoCampaign.addressees.map((a, position) => ({ ...a, position })) },
    },
    select: { id: true },
  });
  await seedDemoRecord(campaign.id);
  return { created: true, slug: demoCampaign.slug };
}

const runDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runDirectly) {
  seedDemo()
    .then((r) => console.log(r.created ? `Demo campaign created: /c/${r.slug}` : `Demo campaign already there: /c/${r.slug}`))
    .catch((e) => {
      console.error(e.message);
      process.exitCode = 1;
    })
    .finally(() => disconnectDb());
}
