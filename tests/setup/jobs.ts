// Waiting on the queue itself instead of on the clock: "nothing more was sent" is checked once the work that
// could have sent it has run, not after a guess at how long that takes.
import type { Job, Queue } from 'bullmq';
import { GiveUp, eventually } from './wait.ts';

/** Resolves once BullMQ has completed the job; fails at once if it failed for good. */
export async function jobCompleted(job: Job): Promise<void> {
  await eventually(
    async () => {
      const state = await job.getState();
      if (state === 'failed') throw new GiveUp(`job ${job.id} failed`);
      return state === 'completed';
    },
    { what: `job ${job.id} (${job.name}) to complete` },
  );
}

/** Resolves once the queue holds no work in hand: nothing waiting, prioritised or running. */
export async function queueIdle(queue: Queue): Promise<void> {
  await eventually(
    async () => {
      const counts = await queue.getJobCounts('waiting', 'prioritized', 'active');
      return Object.values(counts).every((n) => n === 0);
    },
    { what: `the ${queue.name} queue to be idle` },
  );
}

/** Every job the queue knows of, finished ones included (they are kept for a day). */
export async function jobsInQueue(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'waiting-children', 'completed', 'failed');
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
