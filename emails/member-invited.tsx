import { withoutLinks } from '../app/validation/links.ts';
import { button, paragraph, strong } from './blocks.ts';
import { renderEmail, type RenderedEmail } from './render.ts';

const ROLE_TEXT: Record<string, string> = {
  OWNER: 'an owner (you can edit it, publish it and manage its members)',
  EDITOR: 'an editor (you can edit and publish it)',
  VIEWER: 'a viewer (you can see its dashboard)',
};

/**
 * Tells someone they were added to a campaign's team. No token: they sign in with their address.
 * The address was typed by an organiser, not verified: names and titles are stripped of links.
 */
export function memberInvited(data: { name: string | null; email: string; campaignTitle: string; role: string; signInUrl: string }): RenderedEmail {
  const title = withoutLinks(data.campaignTitle);
  const role = ROLE_TEXT[data.role] ?? 'a member';
  return renderEmail({
    subject: `You were added to “${title}” on Chorus`,
    body: [
      paragraph(data.name ? `Hello ${withoutLinks(data.name)},` : 'Hello,'),
      paragraph('You were added to the campaign ', strong(title), ` on Chorus as ${role}.`),
      paragraph(`To open it, sign in with this email address (${data.email}); we will email you a sign-in link.`),
      button('Sign in to Chorus', data.signInUrl),
    ],
    signature: [['If you did not expect this, you can ignore this email: nothing happens unless you sign in.']],
  });
}
