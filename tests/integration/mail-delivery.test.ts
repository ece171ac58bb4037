import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dkimVerify } from 'mailauth';
import { confirmLinkFrom, header, type CapturedMail } from '../setup/smtp.ts';
import { useTestSmtp, useWorkers } from '../setup/mail-and-workers.ts';
import { createCampaign, signer } from '../setup/factories.ts';

// Mail that arrives: DKIM signed by Chorus, SMTPUTF8 addresses, IDN domains, the headers receivers look at,
// all over a real SMTP exchange with the in-process smtp-server.
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const DKIM_DOMAIN = 'chorus.example.org';
const DKIM_SELECTOR = 'chorus2026';
process.env.MAIL_FROM = `Chorus <campaigns@${DKIM_DOMAIN}>`;
process.env.DKIM_DOMAIN = DKIM_DOMAIN;
process.env.DKIM_SELECTOR = DKIM_SELECTOR;
process.env.DKIM_PRIVATE_KEY = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
process.env.SMTP_EHLO_NAME = 'mail.chorus.example.org';
const smtp = await useTestSmtp();

const { db } = await import('../../app/utils/db.server.ts');
const { createSignature, confirmSignature } = await import('../../app/models/signature.server.ts');
const { sendMail } = await import('../../emails/transport.server.ts');
const { signerUpdate } = await import('../../emails/signer-update.tsx');

useWorkers();

/** The DNS answer a receiver would get for the selector: only that one name resolves. */
const publicKeyRecord = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
async function resolver(name: string, type: string) {
  if (name === `${DKIM_SELECTOR}._domainkey.${DKIM_DOMAIN}` && type === 'TXT') return [[publicKeyRecord]];
  throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
}

async function dkimOf(raw: Buffer | string) {
  const { results } = await dkimVerify(raw, { resolver: resolver as never });
  expect(results).toHaveLength(1);
  return results[0] as { status: { result: string }; signingDomain: string; selector: string; signingHeaders?: { keys: string } };
}

const signedHeaders = (mail: CapturedMail) =>
  (header(mail, 'DKIM-Signature') ?? '').match(/\bh=([^;]+)/)?.[1].replace(/\s+/g, '').toLowerCase().split(':') ?? [];

describe('mail that arrives', () => {
  it('signs a List-Unsubscribe mail with DKIM, names its EHLO host, marks it automatic and uses the given envelope sender', async () => {
    const to = `reader-${Date.now()}@example.net`;
    const mail = signerUpdate({
      fullName: 'Айгерім',
      campaignTitle: 'Free Marat',
      campaignSlug: 'free-marat',
      campaignUrl: 'https://chorus.example/c/free-marat',
      updateId: 'upd1',
      updateTitle: 'Hearing on Monday',
      body: 'The hearing is on **Monday**.',
      unsubscribeUrl: 'https://chorus.example/u/sig/tok',
      removeUrl: 'https://chorus.example/remove/sig-1/xyz',
    });
    await sendMail({ to, ...mail, messageIdKey: `dkim-${to}`, envelopeFrom: `bounces+upd1@${DKIM_DOMAIN}` });
    const received = await smtp.waitFor((m) => m.envelopeTo.includes(to));

    const dkim = await dkimOf(received.raw);
    expect(dkim.status.result).toBe('pass');
    expect(dkim.signingDomain).toBe(DKIM_DOMAIN);
    expect(dkim.selector).toBe(DKIM_SELECTOR);
    // RFC 8058 §4: the one-click headers must be covered by the signature.
    expect(signedHeaders(received)).toEqual(expect.arrayContaining(['from', 'subject', 'list-unsubscribe', 'list-unsubscribe-post', 'list-id', 'feedback-id', 'auto-submitted']));

    expect(header(received, 'Auto-Submitted')).toBe('auto-generated');
    expect(header(received, 'List-Id')).toBe('"Free Marat: updates" <free-marat.updates.chorus.example>');
    expect(header(received, 'Feedback-ID')).toBe('upd1:free-marat:update:chorus');
    expect(received.ehloName).toBe('mail.chorus.example.org');
    expect(received.envelopeFrom).toBe(`bounces+upd1@${DKIM_DOMAIN}`);
    expect(received.text).toContain('\n-- \nYou receive this email because');

    // The check can fail: a changed unsubscribe header no longer verifies.
    const tampered = received.raw.toString('utf8').replace('https://chorus.example/u/sig/tok', 'https://evil.example/u/sig/tok');
    expect((await dkimOf(tampered)).status.result).toBe('fail');
  });

  it('delivers to an internationalised address with SMTPUTF8, signed, and to an IDN domain', async () => {
    const campaign = await createCampaign();
    const input = signer({ email: `айгерім.${Date.now()}@example.org` });
    const outcome = await createSignature(campaign.slug, input, '203.0.113.9');
    expect(outcome).toMatchObject({ duplicate: false });

    const confirmation = await smtp.waitFor((m) => m.envelopeTo.includes(input.email));
    expect(confirmation.smtpUtf8).toBe(true);
    expect(confirmation.to && 'value' in confirmation.to ? confirmation.to.value[0].address : '').toBe(input.email);
    expect((await dkimOf(confirmation.raw)).status.result).toBe('pass');
    expect(header(confirmation, 'Auto-Submitted')).toBe('auto-generated');
    expect(confirmLinkFrom(confirmation)).toContain('/confirm/');

    // An ASCII local part at a Unicode domain goes out with the domain in punycode: no SMTPUTF8 needed, so
    // servers without it accept it too. (smtp-server shows the envelope address decoded back to Unicode.)
    const idn = signer({ email: `marat.${Date.now()}@пример.рф` });
    await createSignature(campaign.slug, idn, '203.0.113.9');
    const idnMail = await smtp.waitFor((m) => m.envelopeTo.includes(idn.email));
    expect(idnMail.smtpUtf8).toBe(false);
    expect(header(idnMail, 'To')).toBe(idn.email.replace('пример.рф', 'xn--e1afmkfd.xn--p1ai'));
    expect((await dkimOf(idnMail.raw)).status.result).toBe('pass');
  });

  it("gives letters and digests the campaign's reply address as Reply-To", async () => {
    const campaign = await createCampaign({ addressees: [{ deliveryMode: 'PER_SIGNATURE' }, { deliveryMode: 'DIGEST', digestIntervalMinutes: 15 }] });
    await db.campaign.update({ where: { id: campaign.id }, data: { replyTo: 'команда@пример.рф' } });
    const [perSignature, digest] = campaign.addressees;
    const input = signer({ showName: true });
    const outcome = await createSignature(campaign.slug, input, '203.0.113.10');
    const confirmation = await smtp.waitFor((m) => m.envelopeTo.includes(input.email));
    expect(confirmation.replyTo).toBeUndefined();
    await confirmSignature(confirmLinkFrom(confirmation).split('/confirm/')[1]);

    const letter = await smtp.waitFor((m) => m.envelopeTo.includes(perSignature.email));
    expect(letter.replyTo?.value[0].address).toBe('команда@пример.рф');
    expect(letter.text).toContain("Replies to this email reach the campaign's organisers (команда@пример.рф).");
    expect((await dkimOf(letter.raw)).status.result).toBe('pass');

    // The first digest goes out as soon as there is something to send.
    const digestMail = await smtp.waitFor((m) => m.envelopeTo.includes(digest.email));
    expect(digestMail.replyTo?.value[0].address).toBe('команда@пример.рф');
    expect(digestMail.text).toContain("Replies to this email reach the campaign's organisers (команда@пример.рф).");
    expect(outcome.signatureId).toBeTruthy();
  });
});
