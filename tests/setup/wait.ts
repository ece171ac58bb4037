type Falsy = null | undefined | false | 0 | '';

/** Thrown by a check, ends the wait at once: for a state that will not change any more (a failed job). */
export class GiveUp extends Error {}

/**
 * Polls `check` until it returns a truthy value, and resolves with that value. A check that throws
 * counts as "not yet" (unless it throws GiveUp). After `timeoutMs` it fails with a message naming
 * `what` and the last value or error, so a timed-out wait says what it saw.
 */
export async function eventually<T>(
  check: () => Promise<T | Falsy> | T | Falsy,
  { what, timeoutMs = 20_000, intervalMs = 100 }: { what: string; timeoutMs?: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as T;
      last = value;
    } catch (error) {
      if (error instanceof GiveUp) throw new Error(`Gave up waiting for ${what}: ${error.message}`, { cause: error });
      last = error;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
