import { env } from './env.server.ts';
import { redisReady } from './redis.server.ts';

export type RateLimitResult = { allowed: boolean; retryAfterSeconds: number };

/**
 * Fixed-window counter in Redis. When Redis is unreachable the limit is not enforced:
 * losing a rate limit for a while is better than turning signers away during an outage.
 */
export async function hitRateLimit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
  const window = Math.floor(Date.now() / 1000 / windowSeconds);
  const redisKey = `${env().QUEUE_PREFIX}:rl:${key}:${window}`;
  try {
    const [[, count]] = (await (await redisReady()).multi().incr(redisKey).expire(redisKey, windowSeconds + 5).exec()) as [[null, number]];
    const retryAfterSeconds = (window + 1) * windowSeconds - Math.floor(Date.now() / 1000);
    return { allowed: count <= limit, retryAfterSeconds };
  } catch (error) {
    console.warn(`[rate-limit] not enforced, Redis unavailable: ${(error as Error).message}`);
    return { allowed: true, retryAfterSeconds: 0 };
  }
}

/**
 * Counts one more of a kind of organiser action against the account's and the address's limits;
 * allowed only when both are under their limit. Without an address (a script, a test) only the
 * account's limit applies.
 */
async function accountAndIpLimit(
  kind: string,
  userId: string,
  ipHash: string | null,
  limits: { account: number; ip: number; windowSeconds: number },
) {
  const [byAccount, byIp] = await Promise.all([
    hitRateLimit(`${kind}-user:${userId}`, limits.account, limits.windowSeconds),
    ipHash === null ? { allowed: true, retryAfterSeconds: 0 } : hitRateLimit(`${kind}-ip:${ipHash}`, limits.ip, limits.windowSeconds),
  ]);
  return { allowed: byAccount.allowed && byIp.allowed, retryAfterSeconds: Math.max(byAccount.retryAfterSeconds, byIp.retryAfterSeconds) };
}

/** New campaigns: CAMPAIGN_RATE_LIMIT_ACCOUNT / _IP per CAMPAIGN_RATE_WINDOW_SECONDS. */
export function campaignCreationRateLimit(userId: string, ipHash: string | null) {
  const config = env();
  return accountAndIpLimit('campaign', userId, ipHash, {
    account: config.CAMPAIGN_RATE_LIMIT_ACCOUNT,
    ip: config.CAMPAIGN_RATE_LIMIT_IP,
    windowSeconds: config.CAMPAIGN_RATE_WINDOW_SECONDS,
  });
}

/** Member invitations: INVITATION_RATE_LIMIT_ACCOUNT / _IP per INVITATION_RATE_WINDOW_SECONDS. */
export function invitationRateLimit(userId: string, ipHash: string | null) {
  const config = env();
  return accountAndIpLimit('invite', userId, ipHash, {
    account: config.INVITATION_RATE_LIMIT_ACCOUNT,
    ip: config.INVITATION_RATE_LIMIT_IP,
    windowSeconds: config.INVITATION_RATE_WINDOW_SECONDS,
  });
}

export function signatureRateLimit(campaignId: string, ipHash: string) {
  const config = env();
  return hitRateLimit(`sign:${campaignId}:${ipHash}`, config.SIGNATURE_RATE_LIMIT, config.SIGNATURE_RATE_WINDOW_SECONDS);
}
