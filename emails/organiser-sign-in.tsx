import { withoutLinks } from '../app/validation/links.ts';
import { button, paragraph } from './blocks.ts';
import { renderEmail, type RenderedEmail } from './render.ts';

/** Goes to whatever address was typed in: the account's name is stripped of links (no relay for spam). */
export function organiserSignIn(data: { name: string | null; signInUrl: string; minutes: number }): RenderedEmail {
  return renderEmail({
    subject: 'Your Chorus sign-in link',
    body: [
      paragraph(data.name ? `Hello ${withoutLinks(data.name)},` : 'Hello,'),
      paragraph(`Open this link to sign in to Chorus. It works once, for ${data.minutes} minutes.`),
      button('Sign in to Chorus', data.signInUrl),
    ],
    signature: [['If you did not ask to sign in, ignore this email; nobody can sign in without the link.']],
  });
}
