// One structured source per email, rendered twice: to HTML (render-html.tsx) and to plain text
// (render-text.ts). A template builds an EmailDocument; it never writes HTML or text by hand, so the
// two parts cannot drift apart.

/** A run of text inside a paragraph or list item. */
export type Inline = string | { strong: string } | { href: string; label?: string };

export type Block =
  | { type: 'paragraph'; content: Inline[] }
  | { type: 'heading'; text: string }
  | { type: 'list'; ordered: boolean; items: Inline[][] }
  /** A call to action: a button in HTML, spelled out as a URL in both parts. */
  | { type: 'button'; label: string; href: string }
  /** Organisers' Markdown, through the campaign page's sanitiser; the text part is made from the same sanitised HTML. */
  | { type: 'markdown'; markdown: string };

export type EmailDocument = {
  subject: string;
  body: Block[];
  /** The part below the signature separator (`-- ` in the text part): why you get this, how to stop it. */
  signature?: Inline[][];
  headers?: Record<string, string>;
  replyTo?: string;
};

export const strong = (text: string): Inline => ({ strong: text });
export const link = (href: string, label?: string): Inline => ({ href, label });
export const paragraph = (...content: Inline[]): Block => ({ type: 'paragraph', content });
export const heading = (text: string): Block => ({ type: 'heading', text });
export const list = (items: Inline[][], ordered = false): Block => ({ type: 'list', ordered, items });
export const button = (label: string, href: string): Block => ({ type: 'button', label, href });
export const markdown = (source: string): Block => ({ type: 'markdown', markdown: source });

/** In the text part: a bare URL stays as it is; a labelled link keeps its label and shows the URL after it. */
export function linkText(label: string | undefined, href: string): string {
  return !label || label === href ? href : `${label} <${href}>`;
}
