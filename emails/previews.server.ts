// Every email kind with sample data: shown in the development mailbox (/dev/mailbox/previews) and used by
// the unit tests that check each template's two parts carry the same facts and links.
import { addresseeDigest } from './addressee-digest.tsx';
import { addresseeLetter } from './addressee-letter.tsx';
import { memberInvited } from './member-invited.tsx';
import { organiserAddresseePaused } from './organiser-addressee-paused.tsx';
import { organiserSignIn } from './organiser-sign-in.tsx';
import { partnerVerification } from './partner-verification.tsx';
import { partnerNewLink } from './partner-new-link.tsx';
import type { RenderedEmail } from './render.ts';
import { signerConfirmation } from './signer-confirmation.tsx';
import { signerUpdate } from './signer-update.tsx';

export type EmailPreview = {
  /** The template's file name without extension, e.g. `signer-confirmation`. */
  kind: string;
  description: string;
  render: (baseUrl: string) => RenderedEmail & { csv?: string; csvFilename?: string };
};

const campaign = {
  campaignTitle: 'Stop prosecuting activists for Facebook posts',
  slug: 'stop-prosecuting-activists-for-facebook-posts',
  summary: 'Activists in Kazakhstan face prison for posts on social media. We ask for the charges to be dropped.',
  demands: ['Drop the charges against Marat Turymbetov.', 'Repeal Article 274 of the Criminal Code.'],
};

export const EMAIL_PREVIEWS: EmailPreview[] = [
  {
    kind: 'signer-confirmation',
    description: 'To a new signer: confirm the signature (address not yet verified).',
    render: (base) =>
      signerConfirmation({
        fullName: 'Айгерім Сейітқызы',
        campaignTitle: campaign.campaignTitle,
        confirmUrl: `${base}/confirm/sample-token`,
        campaignUrl: `${base}/c/${campaign.slug}`,
        removeUrl: `${base}/remove/sample-signature/sample-token`,
      }),
  },
  {
    kind: 'signer-update',
    description: 'To confirmed signers who asked for updates, with one-click unsubscribe.',
    render: (base) =>
      signerUpdate({
        fullName: 'Нұрғали Ақжігітов',
        campaignTitle: campaign.campaignTitle,
        campaignSlug: campaign.slug,
        campaignUrl: `${base}/c/${campaign.slug}`,
        updateId: 'sample-update',
        updateTitle: 'The hearing is on 12 December',
        body: [
          'The court in Almaty hears the case on **12 December** at 10:00.',
          '',
          '- Come to the court from 9:00.',
          '- Share [the statement](https://example.org/statement) with your friends.',
          '',
          'Thank you for standing with Marat.',
        ].join('\n'),
        unsubscribeUrl: `${base}/u/sample-signature/sample-token`,
        removeUrl: `${base}/remove/sample-signature/sample-token`,
      }),
  },
  {
    kind: 'addressee-letter',
    description: 'To an addressee: one letter per confirmed signature.',
    render: (base) =>
      addresseeLetter({
        addresseeName: 'Kassym-Jomart Tokayev',
        addresseeRole: 'President of Kazakhstan',
        campaignTitle: campaign.campaignTitle,
        campaignSummary: campaign.summary,
        campaignUrl: `${base}/c/${campaign.slug}`,
        demands: campaign.demands,
        signer: { fullName: 'Нұрғали Ақжігітов', city: 'Өскемен', countryName: 'Kazakhstan', showName: true },
        replyTo: 'team@campaign.example.org',
      }),
  },
  {
    kind: 'addressee-digest',
    description: 'To an addressee: the new signatures of an interval, with a CSV attachment.',
    render: (base) =>
      addresseeDigest({
        addresseeName: 'Ministry of Internal Affairs',
        addresseeRole: 'Press office',
        campaignTitle: campaign.campaignTitle,
        campaignUrl: `${base}/c/${campaign.slug}`,
        demands: campaign.demands,
        signers: [
          { fullName: 'Нұрғали Ақжігітов', city: 'Өскемен', countryName: 'Kazakhstan', showName: true, confirmedAt: new Date('2026-11-20T09:30:00Z') },
          { fullName: 'Hidden Signer', city: 'Hidden City', countryName: 'Germany', showName: false, confirmedAt: new Date('2026-11-20T10:00:00Z') },
        ],
        replyTo: 'team@campaign.example.org',
      }),
  },
  {
    kind: 'organiser-sign-in',
    description: 'To an organiser: a sign-in link (works once, for minutes).',
    render: (base) => organiserSignIn({ name: 'Aigerim', signInUrl: `${base}/sign-in/sample-token`, minutes: 15 }),
  },
  {
    kind: 'organiser-addressee-paused',
    description: "To a campaign's owners and editors, once, when Chorus paused an addressee whose address kept failing.",
    render: (base) =>
      organiserAddresseePaused({
        name: 'Aigerim',
        campaignTitle: campaign.campaignTitle,
        addresseeName: 'Office of the President',
        addresseeRole: 'President of Kazakhstan',
        addresseeEmail: 'letters@akorda.example.kz',
        hardBounces: 3,
        reason: '5.1.1 550 5.1.1 <letters@akorda.example.kz>: Recipient address rejected: User unknown',
        pausedAt: new Date('2026-12-04T15:30:00Z'),
        deliveriesUrl: `${base}/dashboard/c/sample-campaign/deliveries`,
        addresseesUrl: `${base}/dashboard/c/sample-campaign/addressees`,
      }),
  },
  {
    kind: 'member-invited',
    description: "To someone added to a campaign's team.",
    render: (base) =>
      memberInvited({ name: 'Danaya', email: 'danaya@example.org', campaignTitle: campaign.campaignTitle, role: 'EDITOR', signInUrl: `${base}/sign-in` }),
  },
  {
    kind: 'partner-new-link',
    description: "To a partner's contact after an organiser revoked its private link: the new manage link.",
    render: (base) =>
      partnerNewLink({
        partnerName: 'Kazakhstan International Bureau for Human Rights',
        representativeName: 'Yevgeniy Zhovtis',
        campaignTitle: campaign.campaignTitle,
        manageUrl: `${base}/partners/manage/sample-co-signature/sample-token`,
      }),
  },
  {
    kind: 'partner-verification',
    description: "To a co-signing organisation's contact: confirm the co-signature; the private manage link.",
    render: (base) =>
      partnerVerification({
        partnerName: 'Kazakhstan Bureau for Human Rights',
        kind: 'ORGANISATION',
        representativeName: 'Евгений Жовтис',
        campaignTitle: campaign.campaignTitle,
        verifyUrl: `${base}/partners/verify/sample/sample-token`,
        manageUrl: `${base}/partners/manage/sample/sample-token`,
        invited: false,
      }),
  },
];

export function findPreview(kind: string): EmailPreview | undefined {
  return EMAIL_PREVIEWS.find((p) => p.kind === kind);
}
