import { describe, expect, it } from 'vitest';
import { markdownToText, renderMarkdown } from '../../app/utils/markdown.server.ts';

describe('renderMarkdown', () => {
  it('renders emphasis, lists and links', () => {
    const html = renderMarkdown('**Stop** the case.\n\n- one\n- two\n\n[source](https://example.org/a)');
    expect(html).toContain('<strong>Stop</strong>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('href="https://example.org/a"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
  });

  it('removes scripts, event handlers and javascript: links', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script><img src=x onerror="alert(2)"> [x](javascript:alert(3)) <a href="javascript:alert(4)">y</a> <iframe src="https://evil.example"></iframe>',
    );
    expect(html).not.toMatch(/<script|onerror|href="javascript:|<iframe|<img/i);
    expect(html).toContain(">y</a>");
  });

  it('keeps Cyrillic and Kazakh text intact', () => {
    expect(renderMarkdown('Нұрғали Ақжігітов, Өскемен')).toContain('Нұрғали Ақжігітов, Өскемен');
  });

  it('turns top-level headings into second-level ones (the page has its own h1)', () => {
    expect(renderMarkdown('# Title').trim()).toBe('<h2>Title</h2>');
  });
});

describe('markdownToText', () => {
  it('strips markup', () => {
    expect(markdownToText('**Drop** the _charges_ & <b>now</b>')).toBe('Drop the charges & now');
  });
});
