import { EmailLayout, ButtonWithLink } from './layout.tsx';
import { renderEmail, type RenderedEmail } from './render.ts';

export function organiserSignIn(data: { name: string | null; signInUrl: string; minutes: number }): RenderedEmail {
  const subject = 'Your Chorus sign-in link';
  const greeting = data.name ? `Hello ${data.name},` : 'Hello,';
  const text = [
    greeting,
    '',
    `Open this link to sign in to Chorus. It works once, for ${data.minutes} minutes:`,
    '',
    data.signInUrl,
    '',
    'If you did not ask to sign in, ignore this email; nobody can sign in without the link.',
  ].join('\n');
  const html = (
    <EmailLayout title={subject} footer={<>If you did not ask to sign in, ignore this email; nobody can sign in without the link.</>}>
      <p>{greeting}</p>
      <p>
        Open this link to sign in to Chorus. It works once, for {data.minutes} minutes.
      </p>
      <ButtonWithLink href={data.signInUrl}>Sign in to Chorus</ButtonWithLink>
    </EmailLayout>
  );
  return renderEmail(subject, html, text);
}
