import { BounceKind, BounceSource, recordBounce, type BounceOutcome } from '../app/models/bounce.server.ts';
import { parseBounceAddress, type BounceRef } from '../app/utils/bounce-address.server.ts';
import { classifyDsn, parseReport, type DsnRecipient } from '../app/utils/bounce-report.server.ts';

// What the bounce listener does with one message it accepted: read the report, work out which
// Chorus message it is about, record it. The message is named by the signed address it was sent to
// (the envelope sender of the failed message); a complaint sent to the plain bounce address names it
// in its Original-Mail-From or in the returned original's Return-Path.

export type IntakeResult = { report: 'dsn' | 'complaint' | 'other'; outcomes: BounceOutcome[] };

// Feedback loops also report "not-spam" (RFC 6650): a recipient taking back a complaint.
const NOT_A_COMPLAINT = new Set(['not-spam']);

export async function takeInReport(raw: Buffer, addressedTo: BounceRef[]): Promise<IntakeResult> {
  const report = await parseReport(raw);
  if (report.type === 'dsn') {
    const worst = worstFailure(report.recipients);
    if (!worst) return { report: 'dsn', outcomes: [] };
    const refs = addressedTo.length > 0 ? addressedTo : refsIn(raw.toString('utf8'));
    const outcomes = await Promise.all(
      refs.map((ref) => recordBounce(ref, { kind: worst.kind, source: BounceSource.DSN, status: worst.recipient.status, detail: worst.recipient.diagnostic })),
    );
    return { report: 'dsn', outcomes };
  }
  if (report.type === 'complaint') {
    if (NOT_A_COMPLAINT.has(report.feedbackType)) return { report: 'complaint', outcomes: [] };
    const named = report.originalMailFrom ? parseBounceAddress(report.originalMailFrom) : null;
    const refs = addressedTo.length > 0 ? addressedTo : named ? [named] : refsIn(raw.toString('utf8'));
    const outcomes = await Promise.all(
      refs.map((ref) => recordBounce(ref, { kind: BounceKind.COMPLAINT, source: BounceSource.ARF, status: null, detail: `feedback-type ${report.feedbackType}` })),
    );
    return { report: 'complaint', outcomes };
  }
  return { report: 'other', outcomes: [] };
}

/** Each Chorus message has one recipient; of the groups a report gives, the worst failure counts. */
function worstFailure(recipients: DsnRecipient[]) {
  let worst: { kind: BounceKind; recipient: DsnRecipient } | null = null;
  for (const recipient of recipients) {
    const kind = classifyDsn(recipient);
    if (kind === 'HARD') return { kind: BounceKind.HARD, recipient };
    if (kind === 'SOFT' && !worst) worst = { kind: BounceKind.SOFT, recipient };
  }
  return worst;
}

/** Signed bounce addresses quoted anywhere in the report (forged or mangled ones do not parse). */
function refsIn(text: string): BounceRef[] {
  const seen = new Map<string, BounceRef>();
  for (const [candidate] of text.matchAll(/bounces\+[A-Za-z0-9.-]+@[A-Za-z0-9.-]+/g)) {
    const ref = parseBounceAddress(candidate);
    if (ref) seen.set(candidate.toLowerCase(), ref);
  }
  return [...seen.values()].slice(0, 1);
}
