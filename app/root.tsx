import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useRouteError, Link, useRouteLoaderData } from '@remix-run/react';
import { useNonce } from './components/nonce.tsx';
import { getUser } from './guards/auth.server.ts';
import styles from './styles/app.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: styles }];

export async function loader({ request }: LoaderFunctionArgs) {
  // Only a request carrying a session cookie costs a lookup; public page views do not.
  const user = request.headers.get('Cookie')?.includes('chorus_session') ? await getUser(request).catch(() => null) : null;
  return { user: user ? { name: user.name, email: user.email, isAdmin: user.isAdmin } : null };
}

function AccountLinks() {
  const data = useRouteLoaderData<typeof loader>('root');
  if (!data?.user) {
    return (
      <nav className="account">
        <Link to="/sign-in">Organiser sign-in</Link>
      </nav>
    );
  }
  return (
    <nav className="account">
      <Link to="/dashboard">Dashboard</Link>
      {data.user.isAdmin ? <Link to="/admin/review">Review queue</Link> : null}
      <Form method="post" action="/sign-out">
        <button type="submit" className="link-button">
          Sign out
        </button>
      </Form>
    </nav>
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  // The Content-Security-Policy allows only inline scripts carrying this response's nonce.
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <header className="site-header">
          <div className="wrap">
            <Link to="/" className="brand">
              Chorus
            </Link>
            <span className="tagline">Campaigns and petitions for civil society</span>
            <AccountLinks />
          </div>
        </header>
        <main className="wrap">{children}</main>
        <footer className="site-footer">
          <div className="wrap">
            Chorus is open-source software for human-rights campaigns. <Link to="/privacy">Privacy and your signature</Link>
          </div>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const message =
      typeof error.data === 'string'
        ? error.data
        : (error.data as { message?: string; unavailable?: string })?.message ??
          (error.data as { unavailable?: string })?.unavailable;
    return (
      <section className="notice" role="alert">
        <h1>{error.status === 404 ? 'Not found' : error.status === 503 ? 'Temporarily unavailable' : 'Something went wrong'}</h1>
        <p>{message ?? (error.status === 404 ? 'We could not find that page.' : 'Please try again in a moment.')}</p>
        <p>
          <Link to="/">Back to all campaigns</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="notice" role="alert">
      <h1>Something went wrong</h1>
      <p>Please try again in a moment. If it keeps happening, tell the campaign organisers.</p>
      <p>
        <Link to="/">Back to all campaigns</Link>
      </p>
    </section>
  );
}
