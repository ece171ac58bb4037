import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../app/utils/env.server.ts';

const base = { DATABASE_URL: 'postgresql://localhost/chorus' };
const production = {
  ...base,
  NODE_ENV: 'production',
  SMTP_URL: 'smtp://mail.example.org:587',
  HASH_SECRET: 'h'.repeat(32),
  SESSION_SECRET: 's'.repeat(32),
  MAIL_FROM: 'Chorus <campaigns@example.org>',
};
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('mail configuration', () => {
  it('in development, sends from the .localhost default', () => {
    expect(parseEnv(base).MAIL_FROM).toBe('Chorus <no-reply@chorus.localhost>');
  });

  it('in production, refuses a missing MAIL_FROM or one at a .localhost domain', () => {
    expect(parseEnv(production).MAIL_FROM).toBe('Chorus <campaigns@example.org>');
    expect(() => parseEnv({ ...production, MAIL_FROM: undefined })).toThrow(/MAIL_FROM: required in production/);
    expect(() => parseEnv({ ...production, MAIL_FROM: 'Chorus <no-reply@chorus.localhost>' })).toThrow(/MAIL_FROM: chorus\.localhost is not a real domain/);
    expect(() => parseEnv({ ...production, MAIL_FROM: 'no-reply@localhost' })).toThrow(/MAIL_FROM: localhost is not a real domain/);
    expect(() => parseEnv({ ...production, MAIL_FROM: 'Chorus' })).toThrow(/MAIL_FROM: must contain an email address/);
  });

  it('takes an EHLO name that is a host name', () => {
    expect(parseEnv({ ...base, SMTP_EHLO_NAME: 'mail.example.org' }).SMTP_EHLO_NAME).toBe('mail.example.org');
    expect(() => parseEnv({ ...base, SMTP_EHLO_NAME: 'not a host' })).toThrow(/SMTP_EHLO_NAME/);
  });

  it('configures DKIM from a key or a key file, all parts or none', () => {
    expect(parseEnv(production).DKIM).toBeUndefined();
    const withKey = parseEnv({ ...production, DKIM_DOMAIN: 'example.org', DKIM_SELECTOR: 'chorus', DKIM_PRIVATE_KEY: pem });
    expect(withKey.DKIM).toEqual({ domainName: 'example.org', keySelector: 'chorus', privateKey: pem });
    // One-line form, as some secret stores keep it.
    const escaped = parseEnv({ ...production, DKIM_DOMAIN: 'example.org', DKIM_SELECTOR: 'chorus', DKIM_PRIVATE_KEY: pem.replace(/\n/g, '\\n') });
    expect(escaped.DKIM?.privateKey).toBe(pem);

    const file = join(mkdtempSync(join(tmpdir(), 'chorus-dkim-')), 'key.pem');
    writeFileSync(file, pem);
    expect(parseEnv({ ...production, DKIM_DOMAIN: 'example.org', DKIM_SELECTOR: 'chorus', DKIM_PRIVATE_KEY_FILE: file }).DKIM?.privateKey).toBe(pem);

    expect(() => parseEnv({ ...production, DKIM_DOMAIN: 'example.org' })).toThrow(/DKIM_SELECTOR: required[\s\S]*DKIM_PRIVATE_KEY: required/);
    expect(() => parseEnv({ ...production, DKIM_DOMAIN: 'example.org', DKIM_SELECTOR: 'chorus', DKIM_PRIVATE_KEY_FILE: `${file}.missing` })).toThrow(
      /DKIM_PRIVATE_KEY_FILE: cannot read .*ENOENT/,
    );
    expect(() => parseEnv({ ...production, DKIM_DOMAIN: 'example.org', DKIM_SELECTOR: 'chorus', DKIM_PRIVATE_KEY: 'secret' })).toThrow(/must be a PEM private key/);
  });

  it('refuses a DKIM domain that does not align with the sender domain (DMARC)', () => {
    const dkim = { DKIM_SELECTOR: 'chorus', DKIM_PRIVATE_KEY: pem };
    expect(parseEnv({ ...production, ...dkim, DKIM_DOMAIN: 'mail.example.org' }).DKIM?.domainName).toBe('mail.example.org');
    expect(() => parseEnv({ ...production, ...dkim, DKIM_DOMAIN: 'other.example' })).toThrow(/DKIM_DOMAIN: other\.example does not align/);
  });
});
