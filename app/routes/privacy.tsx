import type { MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { retentionPeriods } from '../models/privacy.server.ts';

// What Chorus stores about signers, who sees what, how long it is kept and how to be removed.
// The periods come from the same configuration the retention job applies.

export const meta: MetaFunction = () => [{ title: 'Privacy and your signature — Chorus' }];

export function loader() {
  return retentionPeriods();
}

const days = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? 'day' : 'days'}`;

export default function Privacy() {
  const p = useLoaderData<typeof loader>();
  return (
    <article className="prose">
      <h1>Privacy and your signature</h1>
      <p>
        Signing a campaign about people in danger can be a risk in itself. This page says plainly what Chorus keeps about you, who sees
        it, for how long, and how to take your signature back.
      </p>

      <h2>What we store when you sign</h2>
      <ul>
        <li>Your full name, email address, city and country, and your comment if you write one.</li>
        <li>Your choices: whether you are listed publicly, whether your full name may be shown, whether you want updates, and whether you share your details with the partner whose link brought you.</li>
        <li>When you signed and confirmed, and which wording of the consent you agreed to.</li>
        <li>
          A keyed hash of your IP address (not the address itself), used only to stop floods of signatures from one network. It is erased
          after {days(p.ipHashDays)}.
        </li>
      </ul>

      <h2>What is shown publicly</h2>
      <ul>
        <li>The number of signatures, always, without names.</li>
        <li>
          Your first name, initial and city in the list of signers <strong>only if you tick “List me publicly”</strong>, or your full name and city only if you tick “Show my full name publicly”. If you tick neither, nothing about you is shown.
        </li>
        <li>Your email address is never shown to anyone outside the campaign’s owners.</li>
      </ul>

      <h2>What addressees receive</h2>
      <p>
        The people a campaign is addressed to receive letters, one per signature or as a periodic digest with a CSV file. A letter names
        you with your city only if you ticked “Show my full name publicly”; otherwise it says “a signer from” your country. Addressees never
        receive your email address. The campaign page keeps a public record of how many letters and signatures were delivered.
      </p>

      <h2>What organisers and partners see</h2>
      <ul>
        <li>The campaign’s viewers see what the public sees; its editors also see full names, countries and comments; its owners also see email addresses, to answer removal requests and send updates you asked for.</li>
        <li>
          A coalition partner whose link brought you sees only a count, unless you ticked “Share my name and email with” that partner: then it
          can download your name, email address, city and country.
        </li>
      </ul>

      <h2>How long things are kept</h2>
      <table className="data">
        <tbody>
          <tr>
            <th>A confirmation link</th>
            <td>works for {days(p.confirmationLinkDays)}; after that its page offers to email you a new one</td>
          </tr>
          <tr>
            <th>A signature never confirmed</th>
            <td>deleted {days(p.unconfirmedSignatureDays)} after the last confirmation email was asked for</td>
          </tr>
          <tr>
            <th>A confirmed signature</th>
            <td>kept while the campaign exists, until you remove it</td>
          </tr>
          <tr>
            <th>The hash of your IP address</th>
            <td>erased after {days(p.ipHashDays)}</td>
          </tr>
          <tr>
            <th>The log of organisers’ and partners’ exports (who downloaded how many rows)</th>
            <td>kept for {days(p.exportLogDays)}</td>
          </tr>
          <tr>
            <th>Organisers’ sign-in links and sessions</th>
            <td>deleted once expired (sign-in links expire after {p.signInLinkMinutes} minutes)</td>
          </tr>
        </tbody>
      </table>

      <h2 id="removal">How to remove your signature</h2>
      <p>
        Every email we send you (the confirmation and any update) and the thank-you page after confirming carry your personal removal
        link. It opens a page with a <strong>Remove my signature</strong> button; only pressing it removes anything, so a mail scanner that
        opens links cannot remove you by mistake. Removing deletes your name, email address, city, comment and choices from Chorus: your
        signature stops counting, leaves the organisers’ exports and partners’ files, and goes in no future letter or digest. Letters already
        delivered cannot be called back; the public record keeps them only as numbers.
      </p>
      <p>
        If you cannot find an email from us, write to the campaign’s organisers: its owners can remove a signature too. They must give a
        reason, and the removal is logged with who did it and when, but nothing about you.
      </p>
      <p>
        <Link to="/">Back to all campaigns</Link>
      </p>
    </article>
  );
}
