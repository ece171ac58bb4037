import { describe, expect, it } from 'vitest';
import { addresseeDigest } from '../../emails/addressee-digest.tsx';
import { addresseeLetter } from '../../emails/addressee-letter.tsx';
import { signerConfirmation } from '../../emails/signer-confirmation.tsx';
import { publicName } from '../../app/models/signature.server.ts';

const campaign = {
  addresseeName: 'Ministry of Internal Affairs',
  addresseeRole: 'Minister',
  campaignTitle: 'Stop the <prosecution>',
  campaignUrl: 'https://chorus.example/c/stop',
  demands: ['Drop the charges.', 'Repeal Article 274.'],
};

describe('signer confirmation email', () => {
  it('has the link in both parts and escapes user text in HTML', () => {
    const mail = signerConfirmation({
      fullName: 'Нұрғали <b>Ақжігітов</b>',
      campaignTitle: 'Stop the <prosecution>',
      confirmUrl: 'https://chorus.example/confirm/abc',
      campaignUrl: 'https://chorus.example/c/stop',
      removeUrl: 'https://chorus.example/remove/sig-1/xyz',
    });
    expect(mail.subject).toBe('Please confirm your signature: Stop the <prosecution>');
    expect(mail.text).toContain('https://chorus.example/confirm/abc');
    expect(mail.html).toContain('href="https://chorus.example/confirm/abc"');
    // The personal removal link, in both parts.
    expect(mail.text).toContain('To remove your signature and your details, open: https://chorus.example/remove/sig-1/xyz');
    expect(mail.html).toContain('href="https://chorus.example/remove/sig-1/xyz"');
    expect(mail.html).toContain('Нұрғали &lt;b&gt;Ақжігітов&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>Ақжігітов</b>');
  });
});

describe('addressee letter', () => {
  it('names a consenting signer with their city, and never their email', () => {
    const mail = addresseeLetter({
      ...campaign,
      campaignSummary: 'Summary',
      signer: { fullName: 'Нұрғали Ақжігітов', city: 'Өскемен', countryName: 'Kazakhstan', showName: true },
    });
    expect(mail.text).toContain('Нұрғали Ақжігітов, Өскемен has signed');
    expect(mail.text).toContain('1. Drop the charges.\n2. Repeal Article 274.');
    expect(mail.html).toContain('<li>Drop the charges.</li>');
    expect(mail.text).not.toMatch(/@/);
  });

  it('calls a signer who did not consent "a signer from <country>"', () => {
    const mail = addresseeLetter({
      ...campaign,
      campaignSummary: 'Summary',
      signer: { fullName: 'Secret Person', city: 'Secret City', countryName: 'Kazakhstan', showName: false },
    });
    expect(mail.text).toContain('A signer from Kazakhstan has signed');
    expect(mail.text + mail.html).not.toContain('Secret');
  });
});

describe('addressee digest', () => {
  it('lists new signers and attaches them as CSV, anonymising those who did not consent', () => {
    const mail = addresseeDigest({
      ...campaign,
      signers: [
        { fullName: 'Нұрғали Ақжігітов', city: 'Өскемен', countryName: 'Kazakhstan', showName: true, confirmedAt: new Date('2026-01-02T03:04:05Z') },
        { fullName: 'Hidden Name', city: 'Hidden City', countryName: 'Germany', showName: false, confirmedAt: new Date('2026-01-02T04:00:00Z') },
      ],
    });
    expect(mail.subject).toContain('2 new signatures');
    expect(mail.text).toContain('- Нұрғали Ақжігітов, Өскемен');
    expect(mail.text).toContain('- A signer from Germany');
    expect(mail.csv).toContain('Нұрғали Ақжігітов,Өскемен,Kazakhstan,2026-01-02T03:04:05.000Z');
    expect(mail.csv).toContain('A signer,,Germany,');
    expect(mail.csv + mail.text + mail.html).not.toContain('Hidden');
  });
});

describe('publicName', () => {
  it('shows first name and initial unless the signer consented', () => {
    expect(publicName('Нұрғали Ақжігітов', false)).toBe('Нұрғали А.');
    expect(publicName('Нұрғали Ақжігітов', true)).toBe('Нұрғали Ақжігітов');
    expect(publicName('Marat', false)).toBe('Marat');
  });
});
