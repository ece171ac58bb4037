import { renderMarkdown } from '../app/utils/markdown.server.ts';
import { linkText, type Block, type EmailDocument, type Inline } from './blocks.ts';
import { htmlToPlainText } from './html-to-plain-text.ts';

/**
 * The plain-text part: paragraphs separated by blank lines, lists as `-` or `1.` items, every link's URL
 * spelled out, and what belongs under the signature after the standard `-- ` separator (RFC 3676 §4.3).
 */
export function renderText(doc: EmailDocument): string {
  const body = doc.body.map(blockText).join('\n\n');
  if (!doc.signature?.length) return body + '\n';
  return `${body}\n\n-- \n${doc.signature.map(inlineText).join('\n')}\n`;
}

function blockText(block: Block): string {
  switch (block.type) {
    case 'paragraph':
      return inlineText(block.content);
    case 'heading':
      return `${block.text}\n${'='.repeat(Math.min(60, Array.from(block.text).length))}`;
    case 'list':
      return block.items.map((item, i) => `${block.ordered ? `${i + 1}.` : '-'} ${inlineText(item)}`).join('\n');
    case 'button':
      return `${block.label}:\n${block.href}`;
    case 'markdown':
      return htmlToPlainText(renderMarkdown(block.markdown));
  }
}

export function inlineText(content: Inline[]): string {
  return content
    .map((part) => {
      if (typeof part === 'string') return part;
      if ('strong' in part) return part.strong;
      return linkText(part.label, part.href);
    })
    .join('');
}
