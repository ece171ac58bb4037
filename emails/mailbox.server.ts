import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { env } from '../app/utils/env.server.ts';

export type MailboxMessage = {
  id: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  date: string;
  messageId: string;
  attachments?: Array<{ filename: string; content: string }>;
};

const ID = /^[0-9]+-[0-9a-f]{8}$/;

/** The development mailbox: newest first. */
export async function listMailbox(limit = 100): Promise<MailboxMessage[]> {
  const dir = env().MAILBOX_DIR;
  const files = await readdir(dir).catch(() => [] as string[]);
  const ids = files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).filter((id) => ID.test(id));
  ids.sort((a, b) => (a < b ? 1 : -1));
  return Promise.all(ids.slice(0, limit).map((id) => readMessage(id) as Promise<MailboxMessage>));
}

export async function readMessage(id: string): Promise<MailboxMessage | null> {
  if (!ID.test(id)) return null;
  const raw = await readFile(join(env().MAILBOX_DIR, `${id}.json`), 'utf8').catch(() => null);
  return raw ? (JSON.parse(raw) as MailboxMessage) : null;
}
