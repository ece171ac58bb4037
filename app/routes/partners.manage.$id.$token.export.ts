import type { LoaderFunctionArgs } from '@remix-run/node';
import { exportPartnerSignatures } from '../models/partner-export.server.ts';
import { isDatabaseUnavailable } from '../utils/http.server.ts';

// The partner's CSV: only confirmed signers who came through its link and agreed to share with it.
export async function loader({ params }: LoaderFunctionArgs) {
  const plain = (status: number, message: string) =>
    new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
  try {
    const result = await exportPartnerSignatures(params.id ?? '', params.token ?? '');
    if (!result.ok && result.reason === 'unknown') return plain(404, 'This link is not valid.');
    if (!result.ok) return plain(403, 'Signers can be downloaded only while your co-signature is approved.');
    return new Response(result.csv, {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${result.filename}"`,
        'Cache-Control': 'private, no-store',
        'Referrer-Policy': 'no-referrer',
      },
    });
  } catch (error) {
    if (isDatabaseUnavailable(error)) return plain(503, 'The download is not available right now. Please try again in a few minutes.');
    throw error;
  }
}
