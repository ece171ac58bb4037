// The mail server and the workers for integration tests that run the app's jobs in this process.
import { afterAll, beforeAll } from 'vitest';
import type { RunningWorkers } from '../../workers/start.ts';
import { TestSmtpServer } from './smtp.ts';

/**
 * A TestSmtpServer for this test file, with the app pointed at it (SMTP_URL) and failed jobs retried
 * quickly (JOB_BACKOFF_MS). The app reads its environment once, on first use: await this at the top
 * of the file, before any app module is used. Stopped after the file.
 */
export async function useTestSmtp(): Promise<TestSmtpServer> {
  const smtp = new TestSmtpServer();
  process.env.SMTP_URL = await smtp.start();
  process.env.JOB_BACKOFF_MS = '200';
  afterAll(() => smtp.stop());
  return smtp;
}

/** The app's workers, run in this process for the enclosing file or describe block. */
export function useWorkers() {
  let workers: RunningWorkers | undefined;
  beforeAll(async () => {
    // Imported here, so the environment set above is in place first.
    const { startWorkers } = await import('../../workers/start.ts');
    workers = await startWorkers();
  });
  afterAll(async () => {
    await workers?.close();
  });
}
