import type { ReactNode } from 'react';

// Inline styles only: most mail clients drop <style> blocks.
export function EmailLayout({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width" />
        <title>{title}</title>
      </head>
      <body style={{ margin: 0, padding: '24px', background: '#f5f3ef', fontFamily: 'Georgia, serif', color: '#1d1d1b' }}>
        <div style={{ maxWidth: '600px', margin: '0 auto', background: '#ffffff', padding: '32px', borderRadius: '6px' }}>
          {children}
        </div>
        {footer ? (
          <div style={{ maxWidth: '600px', margin: '16px auto 0', fontSize: '12px', color: '#6b6b66', fontFamily: 'Arial, sans-serif' }}>
            {footer}
          </div>
        ) : null}
      </body>
    </html>
  );
}

export const buttonStyle = {
  display: 'inline-block',
  background: '#b3261e',
  color: '#ffffff',
  padding: '12px 20px',
  borderRadius: '4px',
  textDecoration: 'none',
  fontFamily: 'Arial, sans-serif',
  fontWeight: 'bold',
} as const;

/** The call-to-action button, and the same link spelled out for mail clients that hide buttons. */
export function ButtonWithLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <>
      <p>
        <a href={href} style={buttonStyle}>
          {children}
        </a>
      </p>
      <p style={{ fontSize: '13px', color: '#6b6b66' }}>
        Or copy this link into your browser: <br />
        {href}
      </p>
    </>
  );
}
