import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Another job holds the delivery; this one retries later and will then find it sent. */
export class DeliveryBusyError extends Error {
  constructor(deliveryId: string) {
    super(`delivery ${deliveryId} is being sent by another job`);
  }
}

const LEASE_MS = 120_000;

/**
 * The database row says a delivery is owed; this lease makes sure only one job at a time sends it,
 * so two copies of the same work cannot both pass the "still pending" check. The lease expires on
 * its own if a worker dies mid-send.
 */
export async function withSendLock<T>(redis: Redis, prefix: string, deliveryId: string, send: () => Promise<T>): Promise<T> {
  const key = `${prefix}:sending:${deliveryId}`;
  const owner = randomBytes(8).toString('hex');
  const acquired = await redis.set(key, owner, 'PX', LEASE_MS, 'NX');
  if (acquired !== 'OK') throw new DeliveryBusyError(deliveryId);
  try {
    return await send();
  } finally {
    // Release only our own lease (it may have expired and been taken by someone else).
    await redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end", 1, key, owner);
  }
}
