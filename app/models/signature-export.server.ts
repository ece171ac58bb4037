import { db } from '../utils/db.server.ts';
import { SignatureStatus, type MemberRole } from '../generated/prisma/enums.ts';
import { countryName } from '../validation/countries.ts';
import { csvRow } from '../../emails/csv.ts';
import { publicName } from './signature.server.ts';
import { signerAccess, signerDetails } from './signer-access.server.ts';

// The organisers' CSV export of confirmed signatures, and the log of who exported what.

export const EXPORT_BATCH = 1_000;
export const EXPORT_KIND = 'signatures-csv';

export function exportColumns(role: MemberRole): string[] {
  const access = signerAccess(role);
  return [
    'name',
    ...(access.details ? ['fullName'] : []),
    ...(access.email ? ['email'] : []),
    'city',
    ...(access.details ? ['country', 'comment', 'commentHidden'] : []),
    'wantsUpdates',
    'unsubscribedAt',
    'confirmedAt',
  ];
}

/**
 * The campaign's confirmed signatures as CSV lines (a BOM and header first), read 1,000 at a time by
 * id so memory stays flat however many there are. Who exported is logged before the first row; the
 * row count is written when the export ends, also when the download is cut short.
 */
export async function* exportSignatures(campaignId: string, userId: string, role: MemberRole): AsyncGenerator<string, void, undefined> {
  const access = signerAccess(role);
  const log = await db.exportLog.create({ data: { campaignId, userId, kind: EXPORT_KIND, rowCount: 0 }, select: { id: true } });
  let rowCount = 0;
  try {
    yield '\uFEFF' + csvRow(exportColumns(role));
    let after: string | undefined;
    for (;;) {
      const batch = await db.signature.findMany({
        where: { campaignId, status: SignatureStatus.CONFIRMED, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: 'asc' },
        take: EXPORT_BATCH,
        select: {
          ...signerDetails,
          wantsUpdates: true,
          unsubscribedAt: true,
          confirmedAt: true,
        },
      });
      for (const s of batch) {
        rowCount += 1;
        yield csvRow([
          publicName(s.fullName, s.showName),
          ...(access.details ? [s.fullName] : []),
          ...(access.email ? [s.email] : []),
          s.city,
          ...(access.details ? [countryName(s.country), s.comment, s.commentHiddenAt !== null] : []),
          s.wantsUpdates,
          s.unsubscribedAt,
          s.confirmedAt,
        ]);
      }
      if (batch.length < EXPORT_BATCH) break;
      after = batch[batch.length - 1].id;
    }
  } finally {
    await db.exportLog.update({ where: { id: log.id }, data: { rowCount } });
  }
}

export function recentExports(campaignId: string, take = 10) {
  return db.exportLog.findMany({
    where: { campaignId },
    orderBy: { createdAt: 'desc' },
    take,
    select: { id: true, kind: true, rowCount: true, createdAt: true, user: { select: { name: true, email: true } } },
  });
}
