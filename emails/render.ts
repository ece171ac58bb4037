import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

export type RenderedEmail = { subject: string; html: string; text: string };

/** React escapes every piece of user text in the HTML part; the text part is plain by nature. */
export function renderEmail(subject: string, element: ReactElement, text: string): RenderedEmail {
  return { subject: oneLine(subject), html: '<!doctype html>' + renderToStaticMarkup(element), text };
}

/** Subjects must not carry line breaks (header injection) and should stay readable. */
function oneLine(value: string): string {
  const flat = value.replace(/[\r\n\t]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > 180 ? flat.slice(0, 177) + '…' : flat;
}
