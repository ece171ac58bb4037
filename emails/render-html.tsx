import { Fragment, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { renderMarkdown } from '../app/utils/markdown.server.ts';
import type { Block, EmailDocument, Inline } from './blocks.ts';
import { ButtonWithLink, EmailLayout } from './layout.tsx';

/** React escapes every piece of text; only the sanitised Markdown is inserted as HTML. */
export function renderHtml(doc: EmailDocument): string {
  const footer = doc.signature?.length ? (
    <>
      {doc.signature.map((line, i) => (
        <p key={i} style={{ margin: '0 0 8px' }}>
          {inlines(line, { color: '#6b6b66' })}
        </p>
      ))}
    </>
  ) : undefined;
  const element = (
    <EmailLayout title={doc.subject} footer={footer}>
      {doc.body.map((block, i) => (
        <Fragment key={i}>{blockHtml(block)}</Fragment>
      ))}
    </EmailLayout>
  );
  return '<!doctype html>' + renderToStaticMarkup(element);
}

function blockHtml(block: Block): ReactNode {
  switch (block.type) {
    case 'paragraph':
      return <p>{inlines(block.content)}</p>;
    case 'heading':
      return <h1 style={{ fontSize: '22px', margin: '0 0 16px' }}>{block.text}</h1>;
    case 'list': {
      const items = block.items.map((item, i) => <li key={i}>{inlines(item)}</li>);
      return block.ordered ? <ol>{items}</ol> : <ul>{items}</ul>;
    }
    case 'button':
      return <ButtonWithLink href={block.href}>{block.label}</ButtonWithLink>;
    case 'markdown':
      // Sanitised by renderMarkdown (app/utils/markdown.server.ts), like the campaign page.
      return <div dangerouslySetInnerHTML={{ __html: renderMarkdown(block.markdown) }} />;
  }
}

function inlines(content: Inline[], linkStyle?: { color: string }): ReactNode {
  return content.map((part, i) => {
    if (typeof part === 'string') return <Fragment key={i}>{part}</Fragment>;
    if ('strong' in part) return <strong key={i}>{part.strong}</strong>;
    return (
      <a key={i} href={part.href} style={linkStyle}>
        {part.label ?? part.href}
      </a>
    );
  });
}
