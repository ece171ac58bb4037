import type { LoaderFunctionArgs } from '@remix-run/node';
import { describe, expect, it } from 'vitest';

// The previews are development-only, like the mailbox: served without SMTP_URL outside production, 404 otherwise.
delete process.env.SMTP_URL;
const { resetEnvCache } = await import('../../app/utils/env.server.ts');
const list = await import('../../app/routes/dev.mailbox.previews._index.tsx');
const one = await import('../../app/routes/dev.mailbox.previews.$kind.tsx');

const args = (kind: string) =>
  ({ params: { kind }, request: new Request(`http://localhost/dev/mailbox/previews/${kind}`), context: {} }) as unknown as LoaderFunctionArgs;

async function status(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (thrown) {
    return (thrown as { init?: { status?: number } }).init?.status ?? 500;
  }
}

describe('email previews in the development mailbox', () => {
  it('lists every kind and renders each from sample data, with its headers', async () => {
    resetEnvCache();
    const { previews } = await list.loader();
    expect(previews.map((p) => p.kind)).toContain('signer-update');
    for (const { kind } of previews) {
      const mail = await one.loader(args(kind));
      expect(mail.html).toMatch(/^<!doctype html>/);
      expect(mail.text).toContain('\n-- \n');
    }
    const update = await one.loader(args('signer-update'));
    expect(update.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const digest = await one.loader(args('addressee-digest'));
    expect(digest.headers['Reply-To']).toBe('team@campaign.example.org');
    expect(digest.attachment?.content).toContain('signer,city,country,confirmed_at');
    expect(await status(one.loader(args('no-such-kind')))).toBe(404);
  });

  it('is not served when an SMTP server is configured', async () => {
    process.env.SMTP_URL = 'smtp://127.0.0.1:1';
    resetEnvCache();
    try {
      expect(await status(list.loader())).toBe(404);
      expect(await status(one.loader(args('signer-update')))).toBe(404);
    } finally {
      delete process.env.SMTP_URL;
      resetEnvCache();
    }
  });
});
