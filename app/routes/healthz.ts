import { data } from '@remix-run/node';
import { pingDatabase } from '../models/health.server.ts';

export async function loader() {
  const database = await pingDatabase();
  return data({ ok: database, database }, { status: database ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
