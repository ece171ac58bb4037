// The demo campaign's record: the two activists it is about, what happened and when, and two
// co-signatories. Written from the facts of a July 2020 profile by the Kazakhstan International
// Bureau for Human Rights and the Rule of Law and of the public statement behind the demo campaign.
// Contact addresses and websites are example.org placeholders, never real ones.
import { db, isUniqueViolation } from '../app/utils/db.server.ts';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

const ARTICLE_274 =
  'Article 274, part 4, of the Criminal Code of the Republic of Kazakhstan: dissemination of knowingly false information during a state of emergency.';

export const demoPeople = {
  marat: {
    slug: 'marat-turymbetov',
    name: 'Marat Turymbetov',
    role: 'Civil activist and blogger',
    residence: 'Almaty',
    dateOfBirth: day('1969-03-03'),
    charges: ARTICLE_274,
    status: 'WITNESS' as const,
    // Public on purpose: the documenting organisation published these facts, the campaign statement
    // relies on them, and they are the heart of the complaint about how he was treated in custody.
    healthNotesPublic: true,
    healthNotes:
      'Registered with a category I disability. He has end-stage (stage 5) chronic kidney disease caused by chronic glomerulonephritis and depends on regular haemodialysis; he also has high blood pressure. He must take life-sustaining medication at fixed times.',
    story: `Marat Turymbetov is a human-rights defender from Almaty who believes in **peaceful means only**. He organises campaigns for citizens' rights and for the authorities' strict respect of the law and the Constitution, has helped to organise peaceful rallies in support of political prisoners, and speaks at human-rights conferences at home and abroad. He was one of the founders of the Kazakhstan Coalition for Civil Initiatives, and on Facebook and in his videos he argues for democratic change.

He is also one of the organisers of the **OUR RIGHT** political party. When the party's founding was obstructed, he and fellow activists took the ruling Nur Otan party to court — and were then sued themselves and ordered to retract their words and pay heavy damages.

## The current case

In spring 2020 he shared critical posts about the procurement spending of Zhilstroysberbank, a state housing savings bank. Many of those posts were written by others; he reposted them and linked to their sources. The bank complained, and the Almaty police opened a criminal case for spreading *knowingly false information during the state of emergency*.

On 20 July 2020 he was taken to the police and questioned for six hours as a witness "with the right to defence" — without access to the medication his life depends on. Only that day was he shown the expert opinion the case rests on. His flat was searched, and the phones of every member of his family, his children included, were taken.`,
    sourceOrg: 'Kazakhstan International Bureau for Human Rights and the Rule of Law',
    sourceDate: day('2020-07-27'),
    events: [
      {
        date: day('2017-01-01'),
        title: 'Convicted of fraud, with a suspended sentence',
        description:
          'Accused of stealing his own car, he was found guilty of fraud (Article 190, part 4, point 2, read with Article 24, part 3, of the Criminal Code) and given a suspended sentence of two years and six months. Because of his disability the court replaced actual imprisonment with restriction of freedom. The source gives only the year.',
      },
      {
        date: day('2019-03-01'),
        title: 'Probation review: sentence replaced with 1 year 4 months in prison',
        description:
          'Ruling on an alleged breach of his probation, the Turksib District Court of Almaty replaced the earlier sentence with one year and four months of imprisonment. The source gives only the month.',
      },
      {
        date: day('2019-05-01'),
        title: 'Lawsuit against the ruling party',
        description:
          'With other activists, he sued Nur Otan for obstructing the founding of the OUR RIGHT party, which he helped to organise. The source gives only the month.',
      },
      {
        date: day('2019-09-30'),
        title: 'Counter-suit by Nur Otan',
        description:
          'Before the activists’ claim was decided, the party sued them for spreading false information. The court ordered retractions on their Facebook pages and about six million tenge (some 16,000 US dollars) in damages to four party members; the Almaty City Court rejected their appeal. The source says only “towards the end of September”.',
      },
      {
        date: day('2020-04-20'),
        title: 'Criminal case opened at the bank’s request',
        description: 'The Almaty city police opened a case under Article 274, part 4, over Facebook posts criticising Zhilstroysberbank’s procurement.',
      },
      {
        date: day('2020-05-05'),
        title: 'Expert opinion delivered to the police',
        description:
          'A psychologist and a linguist concluded that the posts could discredit the bank and harm its business reputation — barely two weeks after the case was opened.',
      },
      {
        date: day('2020-07-20'),
        title: 'Questioned as a witness with the right to defence; flat searched',
        description:
          'Held for six hours without access to his life-sustaining medication, and shown the expert opinion for the first time. Electronics and the phones of all his family members, his children’s included, were seized.',
      },
      {
        date: day('2020-07-27'),
        title: 'Reported released from prison on health grounds, under probation',
        description:
          'As of this date, a court order in force had released him from prison because of his grave illness; he is under probation supervision by the Ministry of Internal Affairs for three years. The source does not date the order.',
      },
    ],
  },
  danaya: {
    slug: 'danaya-kaliyeva',
    name: 'Danaya Kaliyeva',
    role: 'Civil activist',
    charges: ARTICLE_274,
    status: 'WITNESS' as const,
    story: `Danaya Kaliyeva is a civil activist who campaigns for human rights and for the authorities' respect of the law. She shared the same critical posts about Zhilstroysberbank's spending and was taken to the police and questioned on the same day as Marat Turymbetov, as a witness "with the right to defence". Her home was searched too, and her family's phones and office equipment were seized.`,
    sourceOrg: 'Public statement by Kazakhstani civil-society leaders',
    sourceDate: day('2020-07-27'),
    events: [
      {
        date: day('2020-07-20'),
        title: 'Questioned as a witness with the right to defence; home searched',
        description: 'Taken to the Almaty police with Marat Turymbetov and questioned in the same case under Article 274, part 4.',
      },
    ],
  },
};

export const demoTimeline = [
  { date: day('2020-04-20'), title: 'Criminal case opened at the bank’s request', description: 'The Almaty city police opened the case on a complaint from Zhilstroysberbank, without a prior civil claim.' },
  { date: day('2020-05-05'), title: 'Psychological and linguistic expert opinion', description: 'The police already held an expert opinion saying the posts could discredit the bank.' },
  { date: day('2020-07-20'), title: 'Activists questioned; homes searched', description: 'Marat Turymbetov and Danaya Kaliyeva were questioned as witnesses with the right to defence; phones and office equipment of both families were seized.' },
  { date: day('2020-07-20'), title: 'Activists shown the expert opinion', description: 'Only now, months after it was written, were the two activists allowed to read the expert opinion.' },
];

export const demoCoSignatories = {
  organisation: {
    slug: 'kazakhstan-international-bureau-for-human-rights',
    kind: 'ORGANISATION' as const,
    name: 'Kazakhstan International Bureau for Human Rights and the Rule of Law',
    country: 'KZ',
    website: 'https://example.org/kibhr',
    contactEmail: 'partners@kibhr.example.org',
    supportLine: 'We documented these cases and stand behind this appeal.',
  },
  individual: {
    slug: 'nurul-rakhimbek',
    kind: 'INDIVIDUAL' as const,
    name: 'Nurul Rakhimbek',
    title: 'Civil activist',
    affiliation: 'Head of the Foundation for Support of Civil Initiatives',
    country: 'KZ',
    contactEmail: 'nurul@example.org',
  },
};

/**
 * Adds the people, the campaign timeline and the co-signatories to the demo campaign, once: all in
 * one transaction, skipped when Marat Turymbetov's profile already exists (or appears concurrently).
 */
export async function seedDemoRecord(campaignId: string): Promise<boolean> {
  const { marat, danaya } = demoPeople;
  if (await db.person.findUnique({ where: { slug: marat.slug }, select: { id: true } })) return false;
  try {
    await db.$transaction(async (tx) => {
      for (const [position, { events, ...person }] of [marat, danaya].entries()) {
        await tx.person.create({
          data: { ...person, events: { create: events }, campaigns: { create: { campaignId, position } } },
          select: { id: true },
        });
      }
      await tx.timelineEvent.createMany({ data: demoTimeline.map((e) => ({ ...e, campaignId })) });
      const now = new Date();
      for (const { supportLine, ...partner } of [demoCoSignatories.organisation, { ...demoCoSignatories.individual, supportLine: undefined }]) {
        const { id: partnerId } = await tx.partner.upsert({ where: { slug: partner.slug }, create: partner, update: {}, select: { id: true } });
        await tx.coSignature.upsert({
          where: { campaignId_partnerId: { campaignId, partnerId } },
          create: { campaignId, partnerId, status: 'APPROVED', supportLine, verifiedAt: now, decidedAt: now },
          update: {},
        });
      }
    });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false; // another seed run got there first
    throw error;
  }
}
