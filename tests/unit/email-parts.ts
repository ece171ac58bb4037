import { parseDocument } from 'htmlparser2';

// Reads an email's HTML the way a person sees it, to compare it with the text part.

type Node = ReturnType<typeof parseDocument>['children'][number];

/** Every link target in the HTML, entities decoded. */
export function hrefsOf(html: string): string[] {
  const out: string[] = [];
  const walk = (nodes: Node[]) => {
    for (const node of nodes) {
      if ('attribs' in node && node.name === 'a' && node.attribs.href) out.push(node.attribs.href);
      if ('children' in node) walk(node.children as Node[]);
    }
  };
  walk(parseDocument(html).children);
  return out;
}

/** The text a reader sees in the HTML body (not the <title>), whitespace collapsed. */
export function visibleText(html: string): string {
  const parts: string[] = [];
  const walk = (nodes: Node[]) => {
    for (const node of nodes) {
      if (node.type === 'text') parts.push((node as { data: string }).data);
      else if ('name' in node && (node.name === 'head' || node.name === 'title')) continue;
      else if ('children' in node) {
        if ('name' in node && ['p', 'li', 'h1', 'h2', 'div', 'br'].includes(node.name)) parts.push(' ');
        walk(node.children as Node[]);
      }
    }
  };
  walk(parseDocument(html).children);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

export function urlsInText(text: string): string[] {
  return text.match(/https?:\/\/[^\s<>]+/g) ?? [];
}

/** The distinct words (letters and digits of any script), sorted. */
export function wordsOf(text: string): string[] {
  return [...new Set(text.match(/[\p{L}\p{N}]+/gu) ?? [])].sort();
}
