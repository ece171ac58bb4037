import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { parseBounceAddress, type BounceRef } from '../app/utils/bounce-address.server.ts';
import { env } from '../app/utils/env.server.ts';
import { takeInReport } from './bounce-intake.ts';

// The SMTP server that receives what comes back to Chorus's bounce addresses: point the MX of
// BOUNCE_DOMAIN (or a provider's forwarding) at it. It accepts mail only for signed bounce addresses
// and for the plain bounces@BOUNCE_DOMAIN (feedback loops register one fixed address), records each
// report before it answers, and answers 451 when it cannot, so the sending server tries again.

/** Reports quote the failed message; a digest with its CSV can be large. */
const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

type SmtpError = Error & { responseCode: number };
function smtpError(code: number, message: string): SmtpError {
  return Object.assign(new Error(message), { responseCode: code });
}

/** The plain address, or a signed one: what this listener takes mail for. */
function acceptedRecipient(address: string): { ref: BounceRef | null } | null {
  const domain = env().BOUNCE_DOMAIN;
  if (!domain) return null;
  if (address.toLowerCase() === `bounces@${domain.toLowerCase()}`) return { ref: null };
  const ref = parseBounceAddress(address);
  return ref ? { ref } : null;
}

export type BounceListener = { port: number; close: () => Promise<void> };

export async function startBounceListener(options: { host?: string; port?: number } = {}): Promise<BounceListener> {
  const config = env();
  if (!config.BOUNCE_DOMAIN) throw new Error('BOUNCE_DOMAIN is not set: the bounce listener needs the domain its addresses are at');
  const server = new SMTPServer({
    name: config.BOUNCE_DOMAIN,
    banner: 'Chorus bounce intake',
    size: MAX_MESSAGE_BYTES,
    // Reports come from other mail servers, which do not authenticate.
    authOptional: true,
    disabledCommands: ['AUTH'],
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      if (!acceptedRecipient(address.address)) return callback(smtpError(550, '5.1.1 No such recipient here'));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(smtpError(552, '5.3.4 Message too large'));
        const refs = session.envelope.rcptTo.map((r) => acceptedRecipient(r.address)?.ref).filter((ref): ref is BounceRef => Boolean(ref));
        takeInReport(Buffer.concat(chunks), refs).then(
          (result) => {
            const recorded = result.outcomes.filter((o) => o.recorded).length;
            console.log(`[bounces] ${result.report} report, ${recorded} of ${result.outcomes.length} recorded`);
            callback(null, 'Report received');
          },
          (error: Error) => {
            console.error(`[bounces] could not record a report: ${error.message}`);
            callback(smtpError(451, '4.3.0 Could not record the report now, please try again later'));
          },
        );
      });
    },
  });
  server.on('error', (error) => console.error(`[bounces] ${error.message}`));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? config.BOUNCE_SMTP_PORT, options.host ?? config.BOUNCE_SMTP_HOST, () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
