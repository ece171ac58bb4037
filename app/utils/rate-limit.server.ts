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

export function signatureRateLimit(campaignId: string, ipHash: string) {
  const config = env();
  return hitRateLimit(`sign:${campaignId}:${ipHash}`, config.SIGNATURE_RATE_LIMIT, config.SIGNATURE_RATE_WINDOW_SECONDS);
}
