import { db } from '../utils/db.server.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { MemberRole, SignatureStatus } from '../generated/prisma/enums.ts';
import { countryName } from '../validation/countries.ts';
import { publicName } from './signature.server.ts';
import { signerAccess, signerDetails } from './signer-access.server.ts';

// The organisers' signatures list: paged, searchable, showing each role only what it may see.

export const SIGNATURES_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;
export const SEARCH_MAX = 100;

export type SignatureListRow = {
  id: string;
  name: string;
  city: string;
  createdAt: Date;
  confirmedAt: Date | null;
  // EDITOR and OWNER only.
  fullName?: string;
  country?: string;
  countryName?: string;
  status?: SignatureStatus;
  comment?: string | null;
  commentHiddenAt?: Date | null;
  commentHiddenReason?: string | null;
  // OWNER only.
  email?: string;
};

/** `%`, `_` and `\` are wildcards to LIKE, and Prisma passes them through as they are. */
function likeLiteral(term: string) {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A search matches only what the role may see, so a search cannot reveal a hidden field either. */
function searchFilter(term: string, role: MemberRole): Prisma.SignatureWhereInput | undefined {
  if (!term) return undefined;
  const contains = { contains: likeLiteral(term), mode: 'insensitive' as const };
  if (role === MemberRole.VIEWER) {
    const or: Prisma.SignatureWhereInput[] = [{ city: contains }, { showName: true, fullName: contains }];
    // Viewers see the first name of everyone: a term without spaces may match its start.
    if (!/\s/.test(term)) or.push({ fullName: { startsWith: likeLiteral(term), mode: 'insensitive' } });
    return { OR: or };
  }
  const or: Prisma.SignatureWhereInput[] = [{ fullName: contains }, { city: contains }];
  if (signerAccess(role).email) or.push({ email: contains });
  return { OR: or };
}

/** Newest first. Viewers see confirmed signatures only; editors and owners see pending ones too. */
export async function listSignatures(
  campaignId: string,
  options: { search?: string | null; page?: number; pageSize?: number },
  role: MemberRole,
) {
  const access = signerAccess(role);
  const search = (options.search ?? '').normalize('NFC').replace(/\s+/g, ' ').trim().slice(0, SEARCH_MAX);
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(options.pageSize ?? SIGNATURES_PAGE_SIZE)));
  const page = Math.max(1, Math.trunc(Number.isFinite(options.page) ? (options.page as number) : 1));
  const where: Prisma.SignatureWhereInput = {
    campaignId,
    ...(access.details ? {} : { status: SignatureStatus.CONFIRMED }),
    ...searchFilter(search, role),
  };
  const [total, rows] = await Promise.all([
    db.signature.count({ where }),
    db.signature.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: {
        ...signerDetails,
        status: true,
        commentHiddenReason: true,
        createdAt: true,
        confirmedAt: true,
      },
    }),
  ]);
  const signatures = rows.map((s): SignatureListRow => {
    const row: SignatureListRow = {
      id: s.id,
      name: publicName(s.fullName, s.showName),
      city: s.city,
      createdAt: s.createdAt,
      confirmedAt: s.confirmedAt,
    };
    if (access.details) {
      Object.assign(row, {
        fullName: s.fullName,
        country: s.country,
        countryName: countryName(s.country),
        status: s.status,
        comment: s.comment,
        commentHiddenAt: s.commentHiddenAt,
        commentHiddenReason: s.commentHiddenReason,
      });
    }
    if (access.email) row.email = s.email;
    return row;
  });
  return { signatures, total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)), search };
}
