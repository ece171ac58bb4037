import { env } from '../utils/env.server.ts';
import { LOGIN_TOKEN_MINUTES } from './user.server.ts';

/** The retention periods the privacy page states: the same values the retention job applies. */
export function retentionPeriods() {
  const config = env();
  return {
    confirmationLinkDays: config.CONFIRMATION_LINK_DAYS,
    unconfirmedSignatureDays: config.UNCONFIRMED_SIGNATURE_DAYS,
    ipHashDays: config.IP_HASH_DAYS,
    exportLogDays: config.EXPORT_LOG_DAYS,
    signInLinkMinutes: LOGIN_TOKEN_MINUTES,
  };
}
