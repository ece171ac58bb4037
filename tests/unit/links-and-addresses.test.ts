import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../app/utils/email-normalize.ts';
import { registerSchema, signInSchema } from '../../app/validation/account.ts';
import { addresseeSchema, campaignDetailsSchema, inviteMemberSchema } from '../../app/validation/campaign.ts';
import { isEmailAddress } from '../../app/validation/email.ts';
import { LINK_IN_NAME_MESSAGE, containsLink, withoutLinks } from '../../app/validation/links.ts';
import { coSignSchema } from '../../app/validation/partner.ts';
import { fieldErrors } from '../../app/validation/forms.ts';
import { signatureSchema } from '../../app/validation/signature.ts';

const signer = { fullName: 'Айгерім Сейітқызы', email: 'aigerim@example.kz', city: 'Алматы', country: 'KZ', consent: 'on' };
const partner = { kind: 'INDIVIDUAL', name: 'Jane Doe', title: 'Lawyer', country: 'KZ', contactEmail: 'jane@example.org', consent: 'on' };

describe('links in names', () => {
  const links = ['http://bit.ly/x', 'hxxp://a', 'visit bit.ly', 'WWW.WIN.COM', 'win@prize.example', 'пример.рф', 'xn--e1afmkfd.xn--p1ai', 'mailto:x', '10.0.0.1', 'A.Smith'];
  const names = ['Нұрғали Ақжігітов', "Danaya O'Neil-Kaliyeva", 'J. R. R. Tolkien', 'Dr. A. Smith', 'Marat Jr.', 'St. Petersburg Group', 'Жанна Д’Арк', 'No. 5'];

  it('are recognised in any form a mail client would turn into a link', () => {
    for (const value of links) expect(containsLink(value), value).toBe(true);
    for (const value of names) expect(containsLink(value), value).toBe(false);
  });

  it('are replaced word by word, keeping the rest of the text', () => {
    expect(withoutLinks('WINNER claim $5000 at http://bit.ly/x now')).toBe('WINNER claim $5000 at [link removed] now');
    expect(withoutLinks('Нұрғали Ақжігітов')).toBe('Нұрғали Ақжігітов');
  });

  it('are refused in a signer name, an account name and a co-signatory name, with a clear message', () => {
    const sign = signatureSchema.safeParse({ ...signer, fullName: 'WINNER claim your prize at http://bit.ly/x' });
    expect(sign.success).toBe(false);
    expect(fieldErrors(sign.error!).fullName).toBe(LINK_IN_NAME_MESSAGE);

    const register = registerSchema.safeParse({ email: 'a@example.org', name: 'Prize at win.example' });
    expect(fieldErrors(register.error!).name).toBe(LINK_IN_NAME_MESSAGE);

    const coSign = coSignSchema.safeParse({ ...partner, name: 'Cheap pills www.pills.example' });
    expect(fieldErrors(coSign.error!).name).toBe(LINK_IN_NAME_MESSAGE);
    const rep = coSignSchema.safeParse({ ...partner, kind: 'ORGANISATION', name: 'Bureau', representativeName: 'see bit.ly/x' });
    expect(fieldErrors(rep.error!).representativeName).toBe(LINK_IN_NAME_MESSAGE);

    expect(signatureSchema.safeParse(signer).success).toBe(true);
    expect(coSignSchema.safeParse(partner).success).toBe(true);
  });
});

describe('email addresses people really have', () => {
  const accepted = [
    'айгерім@example.org',
    'user@пример.рф',
    'user@xn--e1afmkfd.xn--p1ai',
    'сәлем@мысал.қаз',
    'δοκιμή@παράδειγμα.δοκιμή',
    'marat.tur+petition@gmail.com',
    "o'neil@example.co.uk",
  ];
  const refused = ['not-an-email', 'a@b', '@example.org', 'a@@example.org', 'a b@example.org', 'a@exa mple.org', 'a@-example.org', 'a..b@example.org', '"quoted"@example.org', 'a@example.1'];

  it('accepts internationalised local parts and domains, in Unicode or punycode', () => {
    for (const value of accepted) expect(isEmailAddress(value), value).toBe(true);
    for (const value of refused) expect(isEmailAddress(value), value).toBe(false);
  });

  it('in every form that takes an address', () => {
    expect(signatureSchema.parse({ ...signer, email: ' айгерім@example.org ' }).email).toBe('айгерім@example.org');
    expect(signInSchema.parse({ email: 'user@пример.рф' }).email).toBe('user@пример.рф');
    expect(inviteMemberSchema.parse({ email: 'сәлем@мысал.қаз', role: 'EDITOR' }).email).toBe('сәлем@мысал.қаз');
    expect(
      addresseeSchema.parse({ name: 'Akim', role: 'Mayor', email: 'akim@әкімдік.қаз', deliveryMode: 'DIGEST', digestIntervalMinutes: '60', lettersPerHour: '10' }).email,
    ).toBe('akim@әкімдік.қаз');
    expect(coSignSchema.parse({ ...partner, contactEmail: 'Айгерім@Example.org' }).contactEmail).toBe('айгерім@example.org');
    const refused = signatureSchema.safeParse({ ...signer, email: 'a@b' });
    expect(fieldErrors(refused.error!).email).toBe('That does not look like an email address. Please check it.');
  });

  it("takes the campaign's reply address as optional", () => {
    const details = { title: 'T', slug: 'tee', summary: 'S', statement: 'Body', goal: '10' };
    expect(campaignDetailsSchema.parse(details).replyTo).toBeNull();
    expect(campaignDetailsSchema.parse({ ...details, replyTo: ' команда@пример.рф ' }).replyTo).toBe('команда@пример.рф');
    const bad = campaignDetailsSchema.safeParse({ ...details, replyTo: 'team at example' });
    expect(fieldErrors(bad.error!).replyTo).toBe('That does not look like an email address. Please check it.');
  });

  it('treats a domain in Unicode and in punycode as the same mailbox', () => {
    expect(normalizeEmail('User@Пример.РФ')).toBe('user@xn--e1afmkfd.xn--p1ai');
    expect(normalizeEmail('user@xn--e1afmkfd.xn--p1ai')).toBe('user@xn--e1afmkfd.xn--p1ai');
    expect(normalizeEmail('Айгерім@example.org')).toBe('айгерім@example.org');
  });
});
