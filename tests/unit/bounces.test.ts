import { beforeEach, describe, expect, it } from 'vitest';
import { complaintMessage, dsnMessage } from '../setup/bounce-reports.ts';

process.env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/unused';
process.env.HASH_SECRET = 'unit-test-secret-that-is-long-enough-0123456789';
process.env.BOUNCE_DOMAIN = 'bounces.example.org';

const { bounceAddress, messageRef, parseBounceAddress } = await import('../../app/utils/bounce-address.server.ts');
const { classifyDsn, classifySmtpReply, parseDeliveryStatus, parseReport } = await import('../../app/utils/bounce-report.server.ts');
const { resetEnvCache } = await import('../../app/utils/env.server.ts');

beforeEach(() => {
  process.env.BOUNCE_DOMAIN = 'bounces.example.org';
  resetEnvCache();
});

describe('bounce addresses', () => {
  const uuid = '6f1c2b1e-9a4d-4c1b-8f3e-2a7d9c0b1e5f';

  it('name the message with a signed token and read back to the same message', () => {
    const address = bounceAddress({ kind: 'update', updateDeliveryId: 'clx0abc123def456ghi789jkl' })!;
    expect(address).toMatch(/^bounces\+u\.clx0abc123def456ghi789jkl\.[a-z2-7]{16}@bounces\.example\.org$/);
    expect(parseBounceAddress(address)).toEqual({ kind: 'update', updateDeliveryId: 'clx0abc123def456ghi789jkl' });
    expect(messageRef({ kind: 'delivery', deliveryId: 'abc' })).toBe('d.abc');
  });

  it('fit in the 64 characters SMTP allows a local part, even for a signature id (a uuid)', () => {
    const address = bounceAddress({ kind: 'confirmation', signatureId: uuid })!;
    expect(address.split('@')[0].length).toBeLessThanOrEqual(64);
    expect(parseBounceAddress(address)).toEqual({ kind: 'confirmation', signatureId: uuid });
  });

  it('name every kind of message Chorus sends, each with its own letter, and read back to it', () => {
    const refs = [
      { kind: 'confirmation', signatureId: uuid },
      { kind: 'update', updateDeliveryId: 'clx0update00000000000000' },
      { kind: 'delivery', deliveryId: 'clx0delivery0000000000000' },
      { kind: 'signInLink', loginTokenId: 'clx0token000000000000000' },
      { kind: 'memberInvitation', memberId: 'clx0member00000000000000' },
      { kind: 'partnerVerification', coSignatureId: 'clx0cosig000000000000000' },
      { kind: 'partnerLink', coSignatureId: 'clx0cosig000000000000000' },
      { kind: 'pauseNotice', pauseNoticeId: 'clx0notice00000000000000' },
    ] as const;
    const letters = refs.map((ref) => {
      const address = bounceAddress(ref)!;
      expect(address.split('@')[0].length).toBeLessThanOrEqual(64);
      expect(parseBounceAddress(address)).toEqual(ref);
      return address.slice('bounces+'.length, 'bounces+'.length + 1);
    });
    expect(new Set(letters).size).toBe(refs.length);
    // The same row under another kind is another message: its MAC does not carry over.
    const verification = bounceAddress(refs[5])!;
    expect(parseBounceAddress(verification.replace('bounces+p.', 'bounces+l.'))).toBeNull();
  });

  it('survive a server that folds the case of the address', () => {
    const address = bounceAddress({ kind: 'delivery', deliveryId: 'clx0delivery0000000000000' })!;
    expect(parseBounceAddress(address.toUpperCase())).toEqual({ kind: 'delivery', deliveryId: 'clx0delivery0000000000000' });
  });

  it('refuse forged, altered, foreign and malformed addresses', () => {
    const address = bounceAddress({ kind: 'confirmation', signatureId: uuid })!;
    const [local, domain] = address.split('@');
    const mac = local.slice(-16);
    // Someone else's signature with a MAC made for this one.
    expect(parseBounceAddress(`bounces+c.7e2d3c2f-0b5e-4d2c-9f4f-3b8e0d1c2f6a.${mac}@${domain}`)).toBeNull();
    // Same id, another kind.
    expect(parseBounceAddress(address.replace('bounces+c.', 'bounces+u.'))).toBeNull();
    expect(parseBounceAddress(`${local.slice(0, -1)}${mac.endsWith('a') ? 'b' : 'a'}@${domain}`)).toBeNull();
    expect(parseBounceAddress(`${local}@elsewhere.example.org`)).toBeNull();
    expect(parseBounceAddress(`other+${local.slice('bounces+'.length)}@${domain}`)).toBeNull();
    expect(parseBounceAddress(`bounces@${domain}`)).toBeNull();
    expect(parseBounceAddress('not an address')).toBeNull();
  });

  it('are not used while BOUNCE_DOMAIN is unset', () => {
    const address = bounceAddress({ kind: 'delivery', deliveryId: 'abc' })!;
    delete process.env.BOUNCE_DOMAIN;
    resetEnvCache();
    expect(bounceAddress({ kind: 'delivery', deliveryId: 'abc' })).toBeUndefined();
    expect(parseBounceAddress(address)).toBeNull();
  });

  it('depend on the secret: a token made under another HASH_SECRET does not verify', () => {
    const address = bounceAddress({ kind: 'delivery', deliveryId: 'abc' })!;
    process.env.HASH_SECRET = 'another-secret-that-is-long-enough-9876543210';
    resetEnvCache();
    try {
      expect(parseBounceAddress(address)).toBeNull();
    } finally {
      process.env.HASH_SECRET = 'unit-test-secret-that-is-long-enough-0123456789';
    }
  });
});

describe('reading reports', () => {
  it('reads a delivery status notification: recipient, action, status and the folded diagnostic', async () => {
    const report = await parseReport(dsnMessage({ to: 'bounces+c.x.y@bounces.example.org', recipient: 'gone@example.net' }));
    expect(report).toEqual({
      type: 'dsn',
      recipients: [
        { finalRecipient: 'gone@example.net', action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 <x>: Recipient address rejected: User unknown' },
      ],
    });
  });

  it('reads a complaint (ARF) and the envelope sender of the message complained about', async () => {
    const report = await parseReport(complaintMessage({ to: 'bounces@bounces.example.org', originalMailFrom: 'bounces+u.abc.def@bounces.example.org', recipient: 'a@example.net' }));
    expect(report).toEqual({ type: 'complaint', feedbackType: 'abuse', originalMailFrom: 'bounces+u.abc.def@bounces.example.org' });
  });

  it('leaves other mail alone (an auto-reply is not a bounce)', async () => {
    expect(await parseReport('From: someone@example.net\r\nSubject: Out of office\r\n\r\nI am away until Monday. 5.1.1\r\n')).toEqual({ type: 'other' });
  });

  it('reads every recipient group of a report, with or without a Status field', () => {
    const body = ['Reporting-MTA: dns; mx.example.net', '', 'Final-Recipient: rfc822; a@example.net', 'Action: delayed', 'Status: 4.4.1', '', 'Final-Recipient: rfc822;b@example.net', 'Action: failed (bad mailbox)'].join('\r\n');
    expect(parseDeliveryStatus(body)).toEqual([
      { finalRecipient: 'a@example.net', action: 'delayed', status: '4.4.1', diagnostic: null },
      { finalRecipient: 'b@example.net', action: 'failed', status: null, diagnostic: null },
    ]);
  });
});

describe('classifying failures', () => {
  it.each([
    ['failed', '5.1.1', 'HARD'], // no such user
    ['failed', '5.1.2', 'HARD'], // no such domain
    ['failed', '5.2.1', 'HARD'], // mailbox disabled
    ['failed', null, 'HARD'], // a failure without a status is permanent by definition
    ['failed', '5.2.2', 'SOFT'], // mailbox full
    ['failed', '5.7.1', 'SOFT'], // blocked by policy: not the address's fault
    ['failed', '4.2.2', 'SOFT'],
    ['delayed', '4.4.7', 'SOFT'],
    ['delivered', '2.0.0', null],
    ['relayed', '2.0.0', null],
  ] as const)('a DSN with Action %s and Status %s is %s', (action, status, expected) => {
    expect(classifyDsn({ action, status })).toBe(expected);
  });

  it.each([
    [550, '550 5.1.1 <gone@example.net>: Recipient address rejected: User unknown', 'HARD', '5.1.1'],
    [550, '550 Requested action not taken: mailbox unavailable', 'HARD', null],
    [553, 'mailbox name not allowed', 'HARD', null],
    [554, '554 Transaction failed', 'SOFT', null],
    [550, '550 5.7.1 Message rejected as spam', 'SOFT', '5.7.1'],
    [552, '552 5.2.2 Mailbox full', 'SOFT', '5.2.2'],
  ] as const)('an SMTP reply %s "%s" at send time is %s', (code, message, kind, status) => {
    expect(classifySmtpReply(code, message)).toEqual({ kind, status });
  });
});
