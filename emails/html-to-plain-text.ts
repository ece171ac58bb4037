import { parseDocument } from 'htmlparser2';
import { linkText } from './blocks.ts';

// The text part of organisers' Markdown, made from the same sanitised HTML as the HTML part, so both carry
// the same words and links. Only the tags the sanitiser allows (app/utils/markdown.server.ts) need handling.

type Node = ReturnType<typeof parseDocument>['children'][number];
type Element = Extract<Node, { name: string; children: unknown }>;

const BLOCK_TAGS = new Set(['p', 'ul', 'ol', 'li', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'hr', 'pre', 'div']);

export function htmlToPlainText(html: string): string {
  return blocksOf(parseDocument(html).children).join('\n\n');
}

function isElement(node: Node): node is Element {
  return 'name' in node && 'children' in node;
}

/** Block-level text pieces, in order; inline runs between blocks become paragraphs of their own. */
function blocksOf(nodes: Node[]): string[] {
  const out: string[] = [];
  let run: Node[] = [];
  const flush = () => {
    const text = inlineOf(run).trim();
    if (text) out.push(text);
    run = [];
  };
  for (const node of nodes) {
    if (isElement(node) && BLOCK_TAGS.has(node.name)) {
      flush();
      const text = blockOf(node);
      if (text) out.push(text);
    } else {
      run.push(node);
    }
  }
  flush();
  return out;
}

function blockOf(el: Element): string {
  switch (el.name) {
    case 'ul':
    case 'ol': {
      const items = el.children.filter((c): c is Element => isElement(c) && c.name === 'li');
      return items
        .map((li, i) => {
          const marker = el.name === 'ol' ? `${Number(el.attribs.start ?? 1) + i}.` : '-';
          const [first = '', ...rest] = blocksOf(li.children).join('\n').split('\n');
          return [`${marker} ${first}`, ...rest.map((line) => `   ${line}`)].join('\n');
        })
        .join('\n');
    }
    case 'blockquote':
      return blocksOf(el.children)
        .join('\n\n')
        .split('\n')
        .map((line) => (line ? `> ${line}` : '>'))
        .join('\n');
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4': {
      const text = inlineOf(el.children).trim();
      return `${text}\n${'-'.repeat(Math.min(60, Array.from(text).length))}`;
    }
    case 'hr':
      return '* * *';
    case 'pre':
      return rawText(el.children).replace(/\n+$/, '');
    default:
      return blocksOf(el.children).join('\n\n');
  }
}

function inlineOf(nodes: Node[]): string {
  return nodes
    .map((node) => {
      if (node.type === 'text') return (node as { data: string }).data.replace(/\s+/g, ' ');
      if (!isElement(node)) return '';
      if (node.name === 'br') return '\n';
      if (node.name === 'a') {
        const label = inlineOf(node.children).trim();
        return node.attribs.href ? linkText(label, node.attribs.href) : label;
      }
      return inlineOf(node.children);
    })
    .join('')
    .replace(/ *\n */g, '\n');
}

function rawText(nodes: Node[]): string {
  return nodes.map((n) => (n.type === 'text' ? (n as { data: string }).data : isElement(n) ? rawText(n.children) : '')).join('');
}
