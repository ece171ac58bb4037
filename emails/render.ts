import type { EmailDocument } from './blocks.ts';
import { renderHtml } from './render-html.tsx';
import { renderText } from './render-text.ts';

export type RenderedEmail = {
  subject: string;
  html: string;
  text: string;
  /** Extra headers that belong to the email kind (List-Unsubscribe, List-Id, Feedback-ID…). */
  headers?: Record<string, string>;
  replyTo?: string;
};

/** Both parts from one document, so they carry the same facts and links. */
export function renderEmail(doc: EmailDocument): RenderedEmail {
  const subject = oneLine(doc.subject);
  const rendered: RenderedEmail = { subject, html: renderHtml({ ...doc, subject }), text: renderText(doc) };
  if (doc.headers) rendered.headers = doc.headers;
  if (doc.replyTo) rendered.replyTo = doc.replyTo;
  return rendered;
}

/** Subjects must not carry line breaks (header injection) and should stay readable. */
function oneLine(value: string): string {
  const flat = value.replace(/[\r\n\t]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > 180 ? flat.slice(0, 177) + '…' : flat;
}
