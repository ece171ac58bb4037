import { data } from '@remix-run/node';

/**
 * True when an error means PostgreSQL could not be reached or did not answer, as opposed to a
 * bug. Such errors become a 503 page that says plainly nothing was recorded.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let e: unknown = error;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const { name, code, message, kind } = e as { name?: string; code?: string; message?: string; kind?: string };
    if (name === 'PrismaClientInitializationError') return true;
    if (code && ['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03'].includes(code)) return true;
    if (kind && ['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TransactionAlreadyClosed'].includes(kind)) return true;
    if (message && /ECONNREFUSED|Connection terminated|connection timeout|timeout exceeded when trying to connect|Can't reach database|Client has encountered a connection error|the database system is (starting up|shutting down)/i.test(message)) return true;
    e = (e as { cause?: unknown }).cause ?? (e as { meta?: { driverAdapterError?: unknown } }).meta?.driverAdapterError;
  }
  return false;
}

export function serviceUnavailable(message: string) {
  return data({ unavailable: message }, { status: 503, headers: { 'Retry-After': '30' } });
}

export function clientIp(context: { ip?: string } | undefined): string {
  return context?.ip ?? '0.0.0.0';
}
