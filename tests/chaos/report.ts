// After the run: what the signers were told, what the database holds, what the SMTP server accepted
// and what the public pages show, compared every way that can reveal a lost, missing, duplicated or
// unrecorded message. Every figure under "defects" must be 0.
import pg from 'pg';
import type { FaultRecord } from './faults.ts';
import type { Answer, Signer } from './signers.ts';
import type { AcceptedMail } from './smtp.ts';
import { seconds } from './time.ts';

export type CampaignUnderTest = {
  id: string;
  slug: string;
  letters: { id: string; email: string };
  refused: { id: string; email: string };
  digest: { id: string; email: string };
};

type SignatureRow = {
  id: string;
  email: string;
  fullName: string;
  city: string;
  status: string;
  confirmationRequestedAt: Date;
  confirmationSentAt: Date | null;
  confirmationMessageId?: string | null;
};
type DeliveryRow = { id: string; addresseeId: string; kind: string; status: string; messageId: string | null; signatureIds: string[] };
type AddresseeRow = { id: string; lettersSent: number; signaturesDelivered: number };

export type Snapshot = {
  signatures: SignatureRow[];
  deliveries: DeliveryRow[];
  addressees: AddresseeRow[];
  counter: number;
};

export async function snapshot(client: pg.Client, campaignId: string): Promise<Snapshot> {
  // If the schema records the confirmation's Message-ID, use it; otherwise it is derived from its key.
  const { rows: columns } = await client.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = 'Signature' AND column_name = 'confirmationMessageId'`,
  );
  const messageIdColumn = columns.length ? `, "confirmationMessageId"` : '';
  const signatures = await client.query<SignatureRow>(
    `SELECT id, lower(email) AS email, "fullName", city, status::text, "confirmationRequestedAt", "confirmationSentAt"${messageIdColumn}
     FROM "Signature" WHERE "campaignId" = $1`,
    [campaignId],
  );
  const deliveries = await client.query<DeliveryRow>(
    `SELECT d.id, d."addresseeId", d.kind::text, d.status::text, d."messageId",
            coalesce(array_agg(i."signatureId") FILTER (WHERE i.id IS NOT NULL), '{}') AS "signatureIds"
     FROM "Delivery" d JOIN "Addressee" a ON a.id = d."addresseeId" LEFT JOIN "DeliveryItem" i ON i."deliveryId" = d.id
     WHERE a."campaignId" = $1 GROUP BY d.id`,
    [campaignId],
  );
  const addressees = await client.query<AddresseeRow>(
    `SELECT id, "lettersSent", "signaturesDelivered" FROM "Addressee" WHERE "campaignId" = $1`,
    [campaignId],
  );
  const counter = await client.query<{ signatureCount: number }>(`SELECT "signatureCount" FROM "Campaign" WHERE id = $1`, [campaignId]);
  return { signatures: signatures.rows, deliveries: deliveries.rows, addressees: addressees.rows, counter: counter.rows[0].signatureCount };
}

export type PublicView = {
  count: number | null;
  /** Per addressee id, the delivery record the campaign page shows. */
  receipts: Map<string, { lettersSent: number; signaturesDelivered: number }>;
};

export type Figures = {
  lines: string[];
  defects: Array<[string, number]>;
  json: Record<string, unknown>;
};

const tally = <T>(items: T[], key: (t: T) => string | undefined) => {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
};
const extra = (counts: Map<string, number>) => [...counts.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
const pct = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(2)}%` : '—');

export function computeFigures(input: {
  campaign: CampaignUnderTest;
  signers: Signer[];
  answers: Answer[];
  accepted: AcceptedMail[];
  refused: Record<string, number>;
  db: Snapshot;
  view: PublicView;
  faults: FaultRecord[];
  confirmationMessageId: (signature: SignatureRow) => string;
  settled: { ok: boolean; afterMs: number; owed: string };
  unexpectedExits: string[];
  elapsedMs: number;
}): Figures {
  const { campaign, signers, answers, accepted, db, view, faults } = input;
  const lines: string[] = [];
  const defects: Array<[string, number]> = [];
  const defect = (name: string, value: number) => (defects.push([name, value]), value);

  // Signing: what the signers were told against what the database holds.
  const byEmail = new Map(db.signatures.map((s) => [s.email, s]));
  const told = signers.filter((s) => s.signedAt);
  const lost = told.filter((s) => !byEmail.has(s.email)).length;
  const storedUntold = db.signatures.filter((row) => !told.some((s) => s.email === row.email)).length;
  const confirmedTold = signers.filter((s) => s.confirmedAt);
  const confirmationsLost = confirmedTold.filter((s) => byEmail.get(s.email)?.status !== 'CONFIRMED').length;
  const confirmedRows = db.signatures.filter((s) => s.status === 'CONFIRMED');
  const gaveUp = signers.filter((s) => s.gaveUp);
  const statusCounts = tally(answers, (a) => `${a.step} ${a.status}`);

  lines.push(`Signers: ${signers.length} started, ${told.length} told "check your inbox", ${confirmedTold.length} told "thank you", ${gaveUp.length} gave up`);
  for (const reason of tally(gaveUp, (s) => s.gaveUp)) lines.push(`  gave up: ${reason[1]} × ${reason[0]}`);
  lines.push(`  answers: ${[...statusCounts].sort().map(([k, n]) => `${k}: ${n}`).join(', ')}`);
  lines.push(`Accepted vs stored: ${told.length} accepted, ${told.length - lost} stored, lost ${defect('signatures lost', lost)}` +
    (storedUntold ? ` (${storedUntold} stored without a "check your inbox" answer)` : ''));
  lines.push(`Confirmed: ${confirmedTold.length} told "thank you", ${confirmedRows.length} confirmed rows, lost ${defect('confirmations lost', confirmationsLost)}`);
  defect('signers who could not finish', gaveUp.length);

  // Confirmation emails per stored signature.
  const confirmations = accepted.filter((m) => m.kind === 'confirmation');
  const confirmationsTo = tally(confirmations, (m) => m.to[0]);
  const confirmationMissing = db.signatures.filter((s) => !confirmationsTo.has(s.email)).length;
  const confirmationDuplicated = db.signatures.reduce((sum, s) => sum + Math.max(0, (confirmationsTo.get(s.email) ?? 0) - 1), 0);
  lines.push(
    `Confirmation emails: ${confirmations.length} accepted for ${db.signatures.length} signatures; missing ${defect('confirmation emails missing', confirmationMissing)}, ` +
      `duplicated ${defect('confirmation emails duplicated', confirmationDuplicated)}`,
  );

  // Letters per (addressee, signature), from the letter's own text (the signer line).
  const lineOf = (s: SignatureRow) => `${s.fullName}, ${s.city}`;
  const letters = accepted.filter((m) => m.kind === 'letter' && m.to.includes(campaign.letters.email));
  const lettersBySigner = tally(letters, (m) => m.signerLine);
  const lettersMissing = confirmedRows.filter((s) => !lettersBySigner.has(lineOf(s))).length;
  const lettersDuplicated = confirmedRows.reduce((sum, s) => sum + Math.max(0, (lettersBySigner.get(lineOf(s)) ?? 0) - 1), 0);
  const knownLines = new Set(db.signatures.map(lineOf));
  const strayLetters = letters.filter((m) => !m.signerLine || !knownLines.has(m.signerLine)).length;
  lines.push(
    `Letters (${campaign.letters.email}): ${letters.length} accepted for ${confirmedRows.length} confirmed signatures; ` +
      `missing ${defect('letters missing', lettersMissing)}, duplicated ${defect('letters duplicated', lettersDuplicated)}, ` +
      `for no known signer ${defect('letters for no known signer', strayLetters)}`,
  );
  const refusedLetters = accepted.filter((m) => m.to.includes(campaign.refused.email)).length;
  const failedFor = new Set(
    db.deliveries.filter((d) => d.addresseeId === campaign.refused.id && d.status === 'FAILED').flatMap((d) => d.signatureIds),
  );
  const failureUnrecorded = confirmedRows.filter((s) => !failedFor.has(s.id)).length;
  lines.push(
    `Letters (${campaign.refused.email}, always 550): ${input.refused['550']} refusals, accepted ${defect('letters accepted for the 550 address', refusedLetters)}, ` +
      `confirmed signatures without a recorded failure ${defect('550 failures not recorded', failureUnrecorded)}`,
  );

  // Digests: each confirmed signature in exactly one accepted digest (its CSV attachment).
  const digests = accepted.filter((m) => m.kind === 'digest' && m.to.includes(campaign.digest.email));
  const inDigests = new Map<string, number>();
  for (const d of digests) for (const row of d.csvRows ?? []) inDigests.set(row[0], (inDigests.get(row[0]) ?? 0) + 1);
  const digestMissing = confirmedRows.filter((s) => !inDigests.has(s.fullName)).length;
  const digestDuplicated = confirmedRows.reduce((sum, s) => sum + Math.max(0, (inDigests.get(s.fullName) ?? 0) - 1), 0);
  const covered = confirmedRows.length - digestMissing;
  lines.push(
    `Digests (${campaign.digest.email}): ${digests.length} accepted; coverage ${covered}/${confirmedRows.length} (${pct(covered, confirmedRows.length)}); ` +
      `missing ${defect('signatures missing from digests', digestMissing)}, in more than one ${defect('signatures in more than one digest', digestDuplicated)}`,
  );

  // Message-IDs: what the database says was sent against what the SMTP server accepted, both ways.
  const acceptedIds = tally(
    accepted.filter((m) => m.kind !== 'other'),
    (m) => m.messageId,
  );
  const recorded = new Set<string>();
  for (const s of db.signatures) {
    if (s.confirmationSentAt) recorded.add(s.confirmationMessageId ?? input.confirmationMessageId(s));
  }
  for (const d of db.deliveries) if (d.status === 'SENT' && d.messageId) recorded.add(d.messageId);
  const recordedNotAccepted = [...recorded].filter((id) => !acceptedIds.has(id));
  const acceptedNotRecorded = [...acceptedIds.keys()].filter((id) => !recorded.has(id));
  const sameIdTwice = extra(acceptedIds);
  lines.push(
    `Message-IDs: ${recorded.size} recorded as sent, ${acceptedIds.size} distinct accepted; recorded but never accepted ` +
      `${defect('Message-IDs recorded but not accepted', recordedNotAccepted.length)}, accepted but not recorded ` +
      `${defect('Message-IDs accepted but not recorded', acceptedNotRecorded.length)}; one Message-ID accepted more than once: ` +
      `${defect('same Message-ID accepted twice', sameIdTwice)} extra`,
  );
  for (const id of acceptedNotRecorded.slice(0, 5)) lines.push(`  accepted, not recorded: ${id}`);
  for (const id of recordedNotAccepted.slice(0, 5)) lines.push(`  recorded, not accepted: ${id}`);

  // Public receipts (the campaign page) against the SMTP server.
  let receiptGaps = 0;
  const receiptLines: string[] = [];
  for (const [label, a, mails, signaturesCovered] of [
    ['letters', campaign.letters, letters, new Set(letters.map((m) => m.signerLine)).size],
    ['550', campaign.refused, [] as AcceptedMail[], 0],
    ['digest', campaign.digest, digests, inDigests.size],
  ] as const) {
    const shown = view.receipts.get(a.id);
    const sentDistinct = new Set(mails.map((m) => m.messageId)).size;
    const gap = shown ? Math.abs(shown.lettersSent - sentDistinct) + Math.abs(shown.signaturesDelivered - signaturesCovered) : 1;
    receiptGaps += gap;
    receiptLines.push(
      `${label}: page ${shown ? `${shown.lettersSent} sent / ${shown.signaturesDelivered} signatures` : 'not shown'}, SMTP ${sentDistinct} / ${signaturesCovered}`,
    );
  }
  lines.push(`Public receipts vs SMTP: ${receiptLines.join('; ')}; differences ${defect('public receipts differing from SMTP', receiptGaps)}`);

  const countGap = view.count === null ? confirmedRows.length || 1 : Math.abs(view.count - confirmedRows.length);
  lines.push(
    `Public count vs confirmed rows: ${view.count ?? 'not shown'} shown, ${confirmedRows.length} confirmed (counter ${db.counter}); difference ${defect('public count differing from confirmed rows', countGap)}`,
  );

  // Faults and recovery: from the moment each service was back to the first signature accepted and
  // the first email accepted after it.
  lines.push('Faults and recovery (from the service being back to the first "check your inbox" / first email accepted):');
  const faultJson: Array<Record<string, unknown>> = [];
  for (const f of faults) {
    const end = f.endedAt;
    const firstSign = end ? answers.find((a) => a.step === 'sign' && a.status === 303 && a.at >= end) : undefined;
    const signTried = end ? answers.some((a) => a.step === 'sign' && a.at >= end) : false;
    const firstMail = end ? accepted.find((m) => m.at >= end) : undefined;
    let detail = '';
    if (f.messageId) {
      const times = accepted.filter((m) => m.messageId === f.messageId);
      const sinceFault = times.length ? seconds(times[times.length - 1].at - f.startedAt) : 'never';
      detail = `; ${f.messageId} accepted ${times.length}× (last ${sinceFault} after the fault)`;
    }
    const web = firstSign ? seconds(firstSign.at - end!) : signTried ? 'none' : 'no signing after';
    const mail = firstMail ? seconds(firstMail.at - end!) : 'none';
    lines.push(
      `  ${f.injected ? '' : 'NOT INJECTED: '}${f.label}: down ${end ? seconds(end - f.startedAt) : '—'}, web ${web}, email ${mail}${detail}${f.note ? ` (${f.note})` : ''}`,
    );
    faultJson.push({ ...f, webRecoveryMs: firstSign ? firstSign.at - end! : null, mailRecoveryMs: firstMail ? firstMail.at - end! : null });
  }
  defect('faults not injected', faults.filter((f) => !f.injected).length);
  lines.push(`Settled: ${input.settled.ok ? `yes, ${seconds(input.settled.afterMs)} after the last signer` : `NO, still owed after ${seconds(input.settled.afterMs)}: ${input.settled.owed}`}`);
  defect('owed work left when the run ended', input.settled.ok ? 0 : 1);
  lines.push(`Processes that exited by themselves: ${input.unexpectedExits.length ? input.unexpectedExits.join(', ') : 'none'}`);
  defect('processes that exited by themselves', input.unexpectedExits.length);
  lines.push(`SMTP refusals injected: 421 × ${input.refused['421']}, 451 × ${input.refused['451']}, 550 × ${input.refused['550']}, dropped mid-send × ${input.refused.dropped}`);

  return {
    lines,
    defects,
    json: {
      elapsedMs: input.elapsedMs,
      signers: signers.length,
      accepted: told.length,
      confirmed: confirmedRows.length,
      emailsAccepted: accepted.length,
      defects: Object.fromEntries(defects),
      faults: faultJson,
      acceptedNotRecorded,
      recordedNotAccepted,
    },
  };
}

/** Reads the campaign page's delivery record (in addressee order) and the count endpoint. */
export async function readPublicView(baseUrl: string, slug: string, addresseeIdsInOrder: string[]): Promise<PublicView> {
  const receipts = new Map<string, { lettersSent: number; signaturesDelivered: number }>();
  const page = await fetch(`${baseUrl}/c/${slug}`, { signal: AbortSignal.timeout(30_000) }).then((r) => r.text());
  const sent = [...page.matchAll(/data-testid="letters-sent">(\d+)</g)].map((m) => Number(m[1]));
  const delivered = [...page.matchAll(/data-testid="signatures-delivered">(\d+)</g)].map((m) => Number(m[1]));
  addresseeIdsInOrder.forEach((id, i) => {
    if (sent[i] !== undefined && delivered[i] !== undefined) receipts.set(id, { lettersSent: sent[i], signaturesDelivered: delivered[i] });
  });
  const countRes = await fetch(`${baseUrl}/c/${slug}/count`, { signal: AbortSignal.timeout(30_000) });
  const count = countRes.ok ? ((await countRes.json()) as { count: number }).count : null;
  return { count, receipts };
}
