import { EmailLayout, ButtonWithLink } from './layout.tsx';
import { renderEmail, type RenderedEmail } from './render.ts';

const ROLE_TEXT: Record<string, string> = {
  OWNER: 'an owner (you can edit it, publish it and manage its members)',
  EDITOR: 'an editor (you can edit and publish it)',
  VIEWER: 'a viewer (you can see its dashboard)',
};

/** Tells someone they were added to a campaign's team. No token: they sign in with their address. */
export function memberInvited(data: { name: string | null; email: string; campaignTitle: string; role: string; signInUrl: string }): RenderedEmail {
  const subject = `You were added to “${data.campaignTitle}” on Chorus`;
  const greeting = data.name ? `Hello ${data.name},` : 'Hello,';
  const role = ROLE_TEXT[data.role] ?? 'a member';
  const text = [
    greeting,
    '',
    `You were added to the campaign “${data.campaignTitle}” on Chorus as ${role}.`,
    '',
    `To open it, sign in with this email address (${data.email}); we will email you a sign-in link:`,
    '',
    data.signInUrl,
    '',
    'If you did not expect this, you can ignore this email: nothing happens unless you sign in.',
  ].join('\n');
  const html = (
    <EmailLayout title={subject} footer={<>If you did not expect this, you can ignore this email: nothing happens unless you sign in.</>}>
      <p>{greeting}</p>
      <p>
        You were added to the campaign <strong>{data.campaignTitle}</strong> on Chorus as {role}.
      </p>
      <p>To open it, sign in with this email address ({data.email}); we will email you a sign-in link.</p>
      <ButtonWithLink href={data.signInUrl}>Sign in to Chorus</ButtonWithLink>
    </EmailLayout>
  );
  return renderEmail(subject, html, text);
}
