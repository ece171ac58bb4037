// The demo campaign, written from the facts of a 2020 public statement by Kazakhstani civil-society
// leaders. Addressees use example.org addresses: the demo never writes to a real office.
export const demoCampaign = {
  slug: 'stop-prosecuting-activists-for-facebook-posts',
  title: 'Stop prosecuting Kazakhstani activists for their Facebook posts',
  summary:
    'Civil activists Marat Turymbetov and Danaya Kaliyeva face criminal charges for reposting criticism of a state bank. We ask the authorities to end this politically motivated prosecution and to protect free speech.',
  goal: 5000,
  statement: `On **20 July 2020**, the Almaty police took civil activists **Marat Turymbetov** and **Danaya Kaliyeva** into custody and questioned them as witnesses "with the right to defence" in a criminal case of *spreading knowingly false information during a state of emergency* (Article 274, part 4, of the Criminal Code of the Republic of Kazakhstan).

The case concerns posts on Facebook that questioned large procurement spending by the Housing Construction Savings Bank (Zhilstroysberbank), a state-owned bank led by a senior member of the ruling party. Many of those posts were written by others: the two activists shared them and linked to their sources.

## What happened

- **20 April 2020** — the police opened a criminal case at the bank's request.
- **5 May 2020** — barely two weeks later, the police already held a psychological and linguistic expert opinion saying the posts could discredit the bank.
- **20 July 2020** — the activists were questioned, and only then shown that expert opinion. Office equipment and the phones of every member of both families were seized in house searches.

Their lawyer, Nurlan Rakhmanov, says the case was opened unlawfully: under Kazakhstani law the bank should first have brought a civil claim to defend its reputation, and the accuracy of the posts should have been checked before any prosecution. No court or inspection has found the information false; it came from open sources.

## Why it matters

During the state of emergency, Article 274 became the authorities' most frequent tool against civil activists: more than ten criminal cases were opened under it, and dozens of activists, bloggers and ordinary citizens across the country faced administrative charges and threats. We fear this is the start of a new wave of repression, carried out as if the emergency licensed impunity.

Marat Turymbetov and Danaya Kaliyeva campaign peacefully for human rights and for the authorities' strict respect of the law and the Constitution. Mr Turymbetov lives with a severe disability and depends on haemodialysis; during his questioning he was held for six hours without access to life-sustaining medication.

We call on the President, the Ministry of Justice and the Prosecutor General's Office, who can stop unlawful acts by law-enforcement bodies, and on the Ministry of Internal Affairs, which leads this investigation, to act on our demands.`,
  demands: [
    'Stop the politically motivated criminal prosecution of Marat Turymbetov and Danaya Kaliyeva.',
    'Let independent media, journalists, bloggers, civil activists and human-rights defenders work freely, without intimidation or harassment.',
    'Protect freedom of speech: drop all charges brought for speech, and have every such charge independently examined for whether it violates freedom of expression.',
    'Implement the recommendations of the UN Human Rights Council’s Universal Periodic Review (A/HRC/43/10) to revise and abolish Article 274 of the Criminal Code, which is inconsistent with Article 19 of the International Covenant on Civil and Political Rights and with legal certainty.',
  ],
  addressees: [
    { name: 'President of the Republic of Kazakhstan', role: 'Head of State', email: 'president@example.org', deliveryMode: 'PER_SIGNATURE', digestIntervalMinutes: 1440 },
    { name: 'Ministry of Justice', role: 'Minister of Justice', email: 'minister@justice.example.org', deliveryMode: 'DIGEST', digestIntervalMinutes: 1440 },
    { name: "Prosecutor General's Office", role: 'Prosecutor General', email: 'reception@prosecutor.example.org', deliveryMode: 'PER_SIGNATURE', digestIntervalMinutes: 1440 },
    { name: 'Ministry of Internal Affairs', role: 'Minister of Internal Affairs', email: 'minister@interior.example.org', deliveryMode: 'DIGEST', digestIntervalMinutes: 1440 },
  ],
} as const;
