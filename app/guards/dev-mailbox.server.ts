import { data } from '@remix-run/node';
import { env } from '../utils/env.server.ts';

/** Development only: where email goes when no SMTP_URL is set. Never served in production. */
export function assertDevMailbox() {
  const config = env();
  if (config.NODE_ENV === 'production' || config.SMTP_URL) {
    throw data({ message: 'The development mailbox is only available when no SMTP server is configured.' }, { status: 404 });
  }
}
