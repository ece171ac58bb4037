import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addresseeDigest } from '../../emails/addressee-digest.tsx';
import { addresseeLetter } from '../../emails/addressee-letter.tsx';
import { memberInvited } from '../../emails/member-invited.tsx';
import { organiserSignIn } from '../../emails/organiser-sign-in.tsx';
import { partnerVerification } from '../../emails/partner-verification.tsx';
import { EMAIL_PREVIEWS } from '../../emails/previews.server.ts';
import { signerConfirmation } from '../../emails/signer-confirmation.tsx';
import { signerUpdate } from '../../emails/signer-update.tsx';
import { publicName } from '../../app/models/signature.server.ts';
import { hrefsOf, urlsInText, visibleText, wordsOf } from './email-parts.ts';

const campaign = {
  addresseeName: 'Ministry of Internal Affairs',
  addresseeRole: 'Minister',
  campaignTitle: 'Stop the <prosecution>',
  campaignUrl: 'https://chorus.example/c/stop',
  demands: ['Drop the charges.', 'Repeal Article 274.'],
};

const BASE = 'https://chorus.example';

describe('every email kind', () => {
  it('has a preview with sample data (the dev mailbox shows them and the checks below use them)', () => {
    const templates = readdirSync(new URL('../../emails/', import.meta.url))
      .filter((f) => f.endsWith('.tsx') && !['layout.tsx', 'render-html.tsx'].includes(f))
      .map((f) => f.replace(/\.tsx$/, ''))
      .sort();
    expect(templates.length).toBe(9);
    expect(EMAIL_PREVIEWS.map((p) => p.kind).sort()).toEqual(templates);
  });

  for (const preview of EMAIL_PREVIEWS) {
    describe(preview.kind, () => {
      const mail = preview.render(BASE);

      it('carries the same links in its text and HTML parts', () => {
        const links = hrefsOf(mail.html);
        expect(links.length).toBeGreaterThan(0);
        expect(new Set(urlsInText(mail.text))).toEqual(new Set(links));
      });

      it('carries the same words in its text and HTML parts', () => {
        // Links are compared above. The HTML spells out each button's link under "Or copy this link into
        // your browser:"; the text part numbers ordered lists itself, where HTML's <ol> numbers them.
        const withoutUrls = (v: string) => v.replace(/https?:\/\/[^\s<>]+/g, ' ');
        const html = withoutUrls(visibleText(mail.html)).replaceAll('Or copy this link into your browser:', ' ');
        const text = withoutUrls(mail.text).replace(/^\d+\. /gm, '');
        expect(wordsOf(text)).toEqual(wordsOf(html));
      });

      it('has a one-line subject and ends its text part with a signature after "-- "', () => {
        expect(mail.subject).not.toMatch(/[\r\n]/);
        expect(mail.text).toMatch(/\n\n-- \n[^\n]+/);
        expect(mail.text).not.toMatch(/\n--\n/);
      });
    });
  }
});

describe('signer confirmation email', () => {
  it('has the confirmation and campaign links in both parts and escapes user text in HTML', () => {
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
    expect(mail.html).toContain('href="https://chorus.example/c/stop"');
    // The personal removal link, in both parts.
    expect(mail.text).toContain('Remove my signature and my details <https://chorus.example/remove/sig-1/xyz>');
    expect(mail.html).toContain('href="https://chorus.example/remove/sig-1/xyz"');
    expect(mail.html).toContain('Нұрғали &lt;b&gt;Ақжігітов&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>Ақжігітов</b>');
  });
});

describe('mail to addresses nobody has verified carries no links in names', () => {
  const spam = 'WINNER claim your $5000 prize at http://bit.ly/x or www.win.example or prize.example';
  const cases = {
    'signer confirmation': () =>
      signerConfirmation({ fullName: spam, campaignTitle: 'Free them', confirmUrl: `${BASE}/confirm/a`, campaignUrl: `${BASE}/c/free`, removeUrl: `${BASE}/remove/s/t` }),
    'organiser sign-in': () => organiserSignIn({ name: spam, signInUrl: `${BASE}/sign-in/a`, minutes: 15 }),
    'member invitation': () => memberInvited({ name: spam, email: 'x@example.org', campaignTitle: spam, role: 'EDITOR', signInUrl: `${BASE}/sign-in` }),
    'partner verification (organisation)': () =>
      partnerVerification({ partnerName: spam, kind: 'ORGANISATION', representativeName: spam, campaignTitle: 'Free them', verifyUrl: `${BASE}/v`, manageUrl: `${BASE}/m`, invited: false }),
    'partner verification (individual)': () =>
      partnerVerification({ partnerName: spam, kind: 'INDIVIDUAL', representativeName: null, campaignTitle: 'Free them', verifyUrl: `${BASE}/v`, manageUrl: `${BASE}/m`, invited: true }),
  };
  for (const [name, render] of Object.entries(cases)) {
    it(name, () => {
      const mail = render();
      expect(mail.subject).not.toMatch(/bit\.ly|www\.win|prize\.example/);
      for (const part of [mail.text, visibleText(mail.html)]) {
        expect(part).not.toMatch(/bit\.ly|www\.win|prize\.example/);
        expect(part).toContain('WINNER claim your $5000 prize at [link removed] or [link removed] or [link removed]');
      }
      for (const url of [...hrefsOf(mail.html), ...urlsInText(mail.text)]) expect(url.startsWith(BASE)).toBe(true);
    });
  }
});

describe('addressee letter', () => {
  it('names a consenting signer with their city, and never their email', () => {
    // The model's row has the signer's email beside the name: the letter must not use it.
    const signer = { fullName: 'Нұрғали Ақжігітов', city: 'Өскемен', countryName: 'Kazakhstan', showName: true, email: 'nurgali@example.kz' };
    const mail = addresseeLetter({ ...campaign, campaignSummary: 'Summary', signer });
    expect(mail.text).toContain('Нұрғали Ақжігітов, Өскемен has signed');
    expect(mail.text).toContain('1. Drop the charges.\n2. Repeal Article 274.');
    expect(mail.html).toContain('<li>Drop the charges.</li>');
    expect(mail.subject + mail.text + mail.html).not.toContain('nurgali');
    expect(mail.text + mail.html).not.toMatch(/@/);
    expect(mail.replyTo).toBeUndefined();
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

  it("sets Reply-To to the campaign's reply address and says so in both parts", () => {
    const mail = addresseeLetter({
      ...campaign,
      campaignSummary: 'Summary',
      signer: { fullName: 'A', city: 'B', countryName: 'Kazakhstan', showName: false },
      replyTo: 'team@campaign.example.org',
    });
    expect(mail.replyTo).toBe('team@campaign.example.org');
    expect(mail.text).toContain("Replies to this email reach the campaign's organisers (team@campaign.example.org).");
    expect(visibleText(mail.html)).toContain("Replies to this email reach the campaign's organisers (team@campaign.example.org).");
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
      replyTo: 'team@campaign.example.org',
    });
    expect(mail.subject).toContain('2 new signatures');
    expect(mail.text).toContain('- Нұрғали Ақжігітов, Өскемен\n- A signer from Germany');
    expect(mail.html).toContain('<li>A signer from Germany</li>');
    expect(mail.csv).toContain('Нұрғали Ақжігітов,Өскемен,Kazakhstan,2026-01-02T03:04:05.000Z');
    expect(mail.csv).toContain('A signer,,Germany,');
    expect(mail.csv + mail.text + mail.html).not.toContain('Hidden');
    expect(mail.replyTo).toBe('team@campaign.example.org');
  });

  it('lists the first 200 in the body and points to the CSV for the rest', () => {
    const signers = Array.from({ length: 203 }, (_, i) => ({ fullName: `Signer ${i}`, city: 'Almaty', countryName: 'Kazakhstan', showName: true, confirmedAt: new Date(0) }));
    const mail = addresseeDigest({ ...campaign, signers });
    expect(mail.text).toContain('- Signer 199, Almaty');
    expect(mail.text).not.toContain('Signer 200,');
    expect(mail.text).toContain('…and 3 more, listed in the attached CSV file.');
    expect(visibleText(mail.html)).toContain('…and 3 more, listed in the attached CSV file.');
    expect(mail.csv).toContain('Signer 202,Almaty');
  });
});

describe('signer update', () => {
  const data = {
    fullName: 'Айгерім',
    campaignTitle: 'Free Marat',
    campaignSlug: 'free-marat',
    campaignUrl: 'https://chorus.example/c/free-marat',
    updateId: 'upd1',
    updateTitle: 'Hearing on Monday',
    body: 'First paragraph with [the verdict](https://example.org/verdict).\n\nSecond paragraph.\n\n- one\n- two\n\n1. first\n2. second\n\n<script>alert(1)</script>',
    unsubscribeUrl: 'https://chorus.example/u/sig/tok',
    removeUrl: 'https://chorus.example/remove/sig-1/xyz',
  };

  it('keeps paragraphs, list bullets and link URLs in the text part', () => {
    const mail = signerUpdate(data);
    expect(mail.text).toContain('First paragraph with the verdict <https://example.org/verdict>.\n\nSecond paragraph.\n\n- one\n- two\n\n1. first\n2. second');
    expect(mail.html).toContain('href="https://example.org/verdict"');
    expect(mail.text + mail.html).not.toContain('<script');
  });

  it('carries the shared unsubscribe footer and its headers, List-Id and Feedback-ID', () => {
    const mail = signerUpdate(data);
    expect(mail.headers).toEqual({
      'List-Unsubscribe': '<https://chorus.example/u/sig/tok>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': '"Free Marat: updates" <free-marat.updates.chorus.example>',
      'Feedback-ID': 'upd1:free-marat:update:chorus',
    });
    expect(mail.text).toMatch(/\n-- \nYou receive this email because you signed "Free Marat" and asked for updates about it\.\nUnsubscribe from updates about this campaign <https:\/\/chorus\.example\/u\/sig\/tok>\nRemove my signature and my details <https:\/\/chorus\.example\/remove\/sig-1\/xyz>\n$/);
    expect(mail.html).toContain('href="https://chorus.example/remove/sig-1/xyz" style="color:#6b6b66">Remove my signature and my details</a>');
    expect(mail.html).toContain('href="https://chorus.example/u/sig/tok" style="color:#6b6b66">Unsubscribe from updates about this campaign</a>');
  });

  it('keeps quotes and line breaks out of the List-Id header', () => {
    const mail = signerUpdate({ ...data, campaignTitle: 'Say "no"\r\nBcc: x@example.org' });
    expect(mail.headers?.['List-Id']).toBe('"Say no Bcc: x@example.org: updates" <free-marat.updates.chorus.example>');
  });
});

describe('organiser sign-in, member invitation and partner verification', () => {
  it('sign-in: greets by name, gives the link and how long it works', () => {
    const mail = organiserSignIn({ name: 'Aigerim', signInUrl: `${BASE}/sign-in/tok`, minutes: 15 });
    expect(mail.text).toContain('Hello Aigerim,');
    expect(mail.text).toContain('It works once, for 15 minutes.');
    expect(mail.text).toContain(`Sign in to Chorus:\n${BASE}/sign-in/tok`);
    expect(organiserSignIn({ name: null, signInUrl: `${BASE}/s`, minutes: 15 }).text).toMatch(/^Hello,\n/);
  });

  it('member invitation: names the role and the address to sign in with', () => {
    const mail = memberInvited({ name: null, email: 'danaya@example.org', campaignTitle: 'Free Marat', role: 'VIEWER', signInUrl: `${BASE}/sign-in` });
    expect(mail.subject).toBe('You were added to “Free Marat” on Chorus');
    expect(mail.text).toContain('as a viewer (you can see its dashboard)');
    expect(mail.text).toContain('(danaya@example.org)');
    expect(visibleText(mail.html)).toContain('(danaya@example.org)');
  });

  it('partner verification: verify and manage links; the invited wording skips the review', () => {
    const base = { partnerName: 'Jane Doe', kind: 'INDIVIDUAL' as const, representativeName: null, campaignTitle: 'Free Marat', verifyUrl: `${BASE}/v/1`, manageUrl: `${BASE}/m/1` };
    const invited = partnerVerification({ ...base, invited: true });
    expect(invited.text).toContain('Dear Jane Doe,');
    expect(invited.text).toContain('you were added as a co-signatory');
    expect(invited.text).toContain('You were invited by the organisers');
    expect(invited.text).toContain(`\n${BASE}/m/1\n`);
    expect(partnerVerification({ ...base, invited: false }).text).toContain('the organisers review your co-signature');
  });
});

describe('publicName', () => {
  it('shows first name and initial unless the signer consented', () => {
    expect(publicName('Нұрғали Ақжігітов', false)).toBe('Нұрғали А.');
    expect(publicName('Нұрғали Ақжігітов', true)).toBe('Нұрғали Ақжігітов');
    expect(publicName('Marat', false)).toBe('Marat');
  });
});

describe('header phrases', () => {
  it('stay readable ASCII when they can, and become short encoded-words otherwise', async () => {
    const { phrase } = await import('../../emails/list-mail.ts');
    expect(phrase('Free Marat: updates')).toBe('"Free Marat: updates"');
    const encoded = phrase('Саяси тұтқындарға бостандық беріңіздер: жаңалықтар');
    for (const word of encoded.split(' ')) {
      expect(word).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
      expect(word.length).toBeLessThanOrEqual(75);
    }
    const decoded = encoded.split(' ').map((w) => Buffer.from(w.slice(10, -2), 'base64').toString('utf8')).join('');
    expect(decoded).toBe('Саяси тұтқындарға бостандық беріңіздер: жаңалықтар');
  });
});
