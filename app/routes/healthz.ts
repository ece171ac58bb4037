import { pingDatabase } from '../models/health.server.ts';

// A resource route answers with a Response of its own: status and headers must reach the load balancer.
export async function loader() {
  const database = await pingDatabase();
  return Response.json({ ok: database, database }, { status: database ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
