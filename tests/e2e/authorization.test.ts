import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { addMember, createCampaign, createUser } from '../setup/factories.ts';
import { sessionCookieFor } from '../setup/sessions.ts';
import { useApp } from './support.ts';

// The authorization matrix: every organiser route, found from the route files themselves, so a new
// route is covered the day it is added.
const routesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../app/routes');
const organiserRoutes = readdirSync(routesDir)
  .filter((f) => /^(dashboard|admin)\./.test(f))
  .map((file) => {
    const source = readFileSync(path.join(routesDir, file), 'utf8');
    const pattern = file
      .replace(/\.(tsx|ts)$/, '')
      .split('.')
      .filter((part) => part !== '_index')
      .join('/');
    return { file, pattern: `/${pattern}`, hasAction: /export (async function|const) action\b/.test(source) };
  });
const campaignRoutes = organiserRoutes.filter((r) => r.pattern.startsWith('/dashboard/c/$id'));

const e2e = useApp({ appEnv: { ADMIN_EMAILS: 'admin-matrix@example.org' } });
let campaignId: string;
let personId: string;
const cookies: Record<'owner' | 'viewer' | 'outsider' | 'admin', string> = { owner: '', viewer: '', outsider: '', admin: '' };

function url(pattern: string) {
  return pattern.replace('$id', campaignId).replace('$personId', personId);
}

async function request(method: 'GET' | 'POST', pattern: string, cookie?: string) {
  const body = method === 'POST' ? new URLSearchParams({ intent: 'save', title: 'Changed by someone who may not' }) : undefined;
  return fetch(e2e.app.baseUrl + url(pattern), {
    method,
    redirect: 'manual',
    headers: { ...(cookie ? { Cookie: cookie } : {}), ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
    body,
  });
}

async function snapshot() {
  const { db } = await import('../../app/utils/db.server.ts');
  return db.campaign.findUniqueOrThrow({
    where: { id: campaignId },
    include: { demands: true, addressees: true, members: true, updates: true, coSignatures: true, partnerInvites: true, people: true, timeline: true, responses: true },
  });
}

beforeAll(async () => {
  const { db } = await import('../../app/utils/db.server.ts');
  const campaign = await createCampaign();
  const other = await createCampaign();
  campaignId = campaign.id;
  const [owner, viewer, outsider, admin] = await Promise.all([createUser(), createUser(), createUser(), createUser({ email: 'admin-matrix@example.org' })]);
  await addMember(campaign.id, owner.id, 'OWNER');
  await addMember(campaign.id, viewer.id, 'VIEWER');
  await addMember(other.id, outsider.id, 'OWNER');
  const person = await db.person.create({ data: { slug: `matrix-person-${Date.now()}`, name: 'Test Person', role: 'civil activist', status: 'WITNESS', createdById: owner.id } });
  personId = person.id;
  await db.campaignPerson.create({ data: { campaignId: campaign.id, personId: person.id } });
  cookies.owner = await sessionCookieFor(owner.id);
  cookies.viewer = await sessionCookieFor(viewer.id);
  cookies.outsider = await sessionCookieFor(outsider.id);
  cookies.admin = await sessionCookieFor(admin.id);
});

describe('authorization matrix', () => {
  it('finds the organiser routes', () => {
    expect(campaignRoutes.length).toBeGreaterThanOrEqual(10);
    expect(organiserRoutes.map((r) => r.file)).toContain('admin.review.tsx');
  });

  it('sends a signed-out visitor to sign in from every organiser route, for pages and form posts alike', async () => {
    for (const route of organiserRoutes) {
      for (const method of ['GET', 'POST'] as const) {
        if (method === 'POST' && !route.hasAction) continue;
        const res = await request(method, route.pattern);
        expect([302, 303], `${method} ${route.pattern}`).toContain(res.status);
        expect(res.headers.get('location'), `${method} ${route.pattern}`).toMatch(/^\/sign-in\?redirectTo=/);
      }
    }
  });

  it('answers 404 to a member of another campaign on every route of this one', async () => {
    const before = await snapshot();
    for (const route of campaignRoutes) {
      for (const method of ['GET', 'POST'] as const) {
        if (method === 'POST' && !route.hasAction) continue;
        const res = await request(method, route.pattern, cookies.outsider);
        expect(res.status, `${method} ${route.pattern}`).toBe(404);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('lets a viewer read every page but change nothing', async () => {
    const before = await snapshot();
    for (const route of campaignRoutes) {
      const page = await request('GET', route.pattern, cookies.viewer);
      expect(page.status, `GET ${route.pattern}`).toBe(200);
      if (!route.hasAction) continue;
      const post = await request('POST', route.pattern, cookies.viewer);
      expect(post.status, `POST ${route.pattern}`).toBe(403);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('lets an owner open every page', async () => {
    for (const route of campaignRoutes) {
      const res = await request('GET', route.pattern, cookies.owner);
      expect(res.status, `GET ${route.pattern}`).toBe(200);
    }
  });

  it('keeps the review queue for platform admins', async () => {
    expect((await request('GET', '/admin/review', cookies.owner)).status).toBe(404);
    expect((await request('POST', '/admin/review', cookies.owner)).status).toBe(404);
    expect((await request('GET', '/admin/review', cookies.admin)).status).toBe(200);
  });

  it('keeps a person profile editable only by its creator and editors of linked campaigns', async () => {
    expect((await request('GET', '/dashboard/people/$personId', cookies.owner)).status).toBe(200);
    const before = await snapshot();
    // The outsider's campaigns are not linked to the person, so they cannot see it: the same 404 as for an
    // unknown id, which does not tell them the person exists.
    const outsider = await request('POST', '/dashboard/people/$personId', cookies.outsider);
    expect(outsider.status, 'outsider POST').toBe(404);
    // The viewer sees the person through the linked campaign but does not edit it: 403.
    const viewer = await request('POST', '/dashboard/people/$personId', cookies.viewer);
    expect(viewer.status, 'viewer POST').toBe(403);
    expect(await snapshot()).toEqual(before);
  });
});
