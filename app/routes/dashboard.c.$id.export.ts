import type { LoaderFunctionArgs } from '@remix-run/node';
import { exportSignatures } from '../models/signature-export.server.ts';
import { requireCampaignRole } from '../guards/auth.server.ts';

// The confirmed signatures as a CSV download, streamed as it is read from the database, so a
// campaign with a million signatures costs no more memory than one with ten. Columns depend on the
// member's role; every download is logged.
const CHUNK_CHARS = 32_768;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const campaignId = params.id ?? '';
  const { user, role, campaign } = await requireCampaignRole(request, campaignId, 'VIEWER');
  const lines = exportSignatures(campaignId, user.id, role);
  // The first line is read here, so a database that is down fails the request, not the download.
  const first = await lines.next();
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (first.done) controller.close();
      else controller.enqueue(encoder.encode(first.value));
    },
    // Lines are sent in chunks of about 32 kB rather than one write each.
    async pull(controller) {
      try {
        let chunk = '';
        for (;;) {
          const next = await lines.next();
          if (next.done) {
            if (chunk) controller.enqueue(encoder.encode(chunk));
            controller.close();
            return;
          }
          chunk += next.value;
          if (chunk.length >= CHUNK_CHARS) break;
        }
        controller.enqueue(encoder.encode(chunk));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      // The browser went away: stop reading and let the generator log how far it got.
      await lines.return(undefined);
    },
  });
  const date = new Date().toISOString().slice(0, 10);
  const name = `${campaign.slug.replace(/[^A-Za-z0-9-]/g, '')}-signatures-${date}.csv`;
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
