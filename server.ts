import express, { type Request as ExpressRequest, type Response as ExpressResponse } from 'express';
import { createReadableStreamFromReadable, createRequestHandler, writeReadableStreamToWritable, type ServerBuild } from '@remix-run/node';
import type { Server } from 'node:http';
import cluster from 'node:cluster';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { env } from './app/utils/env.server.ts';
import { checkBody, checkHeaders, encodeLocation, MAX_BODY_BYTES, refusalPage, TOO_LARGE, type Refusal } from './app/utils/request-guards.server.ts';
import { createNonce, isPrivateRequest, PRIVATE_CACHE_CONTROL, securityHeaders } from './app/utils/security-headers.server.ts';

const root = path.dirname(fileURLToPath(import.meta.url));

/** The web process: static assets plus the Remix request handler. */
export async function startWebServer(options: { port: number; host?: string }): Promise<Server> {
  const config = env(); // a bad configuration stops start-up here, with the variable named
  const build = (await import(path.join(root, 'build/index.js'))) as ServerBuild;
  const app = express();
  app.disable('x-powered-by');
  if (config.TRUST_PROXY > 0) app.set('trust proxy', config.TRUST_PROXY);

  // Security headers first, so static assets carry them too (docs/decisions/006).
  const https = new URL(config.PUBLIC_URL).protocol === 'https:';
  app.use((_req, res, next) => {
    const nonce = createNonce();
    res.locals.cspNonce = nonce;
    for (const [name, value] of Object.entries(securityHeaders({ nonce, https }))) res.setHeader(name, value);
    next();
  });
  app.use(
    '/build',
    express.static(path.join(root, 'public/build'), { immutable: true, maxAge: '1y' }),
  );
  app.use(express.static(path.join(root, 'public'), { maxAge: '1h' }));
  app.use((req, res, next) => {
    if (isPrivateRequest(req.path, req.headers.cookie)) forceHeaderOnSend(res, 'Cache-Control', PRIVATE_CACHE_CONTROL);
    next();
  });

  // Malformed requests are answered here with a 4xx saying nothing was saved; a form body is read
  // (at most MAX_BODY_BYTES) and checked before Remix sees it.
  app.use((req, res, next) => {
    // A bodiless POST (a button with no fields, sent by a script or a mail client) is an empty form.
    if (req.method === 'POST' && !req.headers['content-type'] && req.headers['content-length'] === '0') {
      req.headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const refused = checkHeaders(req.method, req.headers);
    if (refused) return refuse(req, res, refused);
    if (req.method !== 'POST') return next();
    readBody(req).then(
      async (body) => {
        if (body === 'too-large') return refuse(req, res, TOO_LARGE);
        const damaged = await checkBody(req.headers['content-type'], body);
        if (damaged) return refuse(req, res, damaged);
        res.locals.body = body;
        next();
      },
      () => res.destroy(), // the client went away mid-body
    );
  });

  const handleRemix = createRequestHandler(build, config.NODE_ENV === 'production' ? 'production' : 'development');
  app.all('*', async (req, res, next) => {
    try {
      const request = remixRequest(req, res, res.locals.body as Buffer | undefined);
      const response = await handleRemix(request, { ip: req.ip ?? req.socket.remoteAddress ?? '0.0.0.0', cspNonce: res.locals.cspNonce });
      await sendResponse(res, response);
    } catch (error) {
      next(error);
    }
  });

  return new Promise((resolve) => {
    const server = app.listen(options.port, options.host ?? '0.0.0.0', () => resolve(server));
  });
}

/** The Fetch API request Remix handles (as @remix-run/express builds it). */
function remixRequest(req: ExpressRequest, res: ExpressResponse, body?: Buffer): globalThis.Request {
  // req.hostname honours "trust proxy" but has no port: take it from X-Forwarded-Host or Host.
  const portOf = (host: string | undefined) => Number.parseInt(host?.split(':')[1] ?? '', 10);
  const forwardedPort = portOf(req.get('X-Forwarded-Host'));
  const hostPort = portOf(req.get('host'));
  const port = Number.isSafeInteger(forwardedPort) ? forwardedPort : Number.isSafeInteger(hostPort) ? hostPort : '';
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ''}${req.originalUrl}`);
  const headers = new Headers();
  for (const [name, values] of Object.entries(req.headers)) {
    if (Array.isArray(values)) for (const value of values) headers.append(name, value);
    else if (values) headers.set(name, values);
  }
  // Abort loaders and actions when the client goes away before the answer is written.
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers, signal: controller.signal };
  if (body) init.body = new Uint8Array(body);
  else if (req.method !== 'GET' && req.method !== 'HEAD') {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = 'half';
  }
  return new Request(url.href, init);
}

/** The whole body, or 'too-large' as soon as it passes MAX_BODY_BYTES (the rest is not read). */
function readBody(req: ExpressRequest): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off('data', onData);
        req.pause();
        resolve('too-large');
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('aborted', () => reject(new Error('aborted')));
  });
}

/** Answers a refused request: a small page (plain text for the app's own data requests). */
function refuse(req: ExpressRequest, res: ExpressResponse, refusal: Refusal) {
  const page = refusalPage(req.path, refusal);
  res.status(refusal.status);
  res.setHeader('Cache-Control', 'no-store');
  if (refusal.status === 405) res.setHeader('Allow', 'GET, HEAD, POST');
  // A body that was not read is not read later either: the connection is closed after the answer.
  if (req.method !== 'GET' && req.method !== 'HEAD' && !req.readableEnded) res.setHeader('Connection', 'close');
  if (req.path.endsWith('.data')) res.type('text/plain; charset=utf-8').send(page.text);
  else res.type('text/html; charset=utf-8').send(page.html);
}

/**
 * Writes Remix's answer. A header the route sets replaces the default of the same name (a page
 * may ask for `Referrer-Policy: no-referrer`); Set-Cookie headers are kept apart.
 */
async function sendResponse(res: ExpressResponse, response: globalThis.Response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [name, value] of response.headers) {
    if (name === 'set-cookie') continue;
    // A redirect built from an odd slug must still be a valid header, not a 500.
    res.setHeader(name, name === 'location' ? encodeLocation(value) : value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader('Set-Cookie', cookies);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/** Sets a header just before the response's headers are written, whatever was set meanwhile. */
function forceHeaderOnSend(res: ExpressResponse, name: string, value: string) {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ExpressResponse, ...args: Parameters<typeof writeHead>) {
    this.setHeader(name, value);
    return writeHead.apply(this, args);
  } as typeof writeHead;
}

const runDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runDirectly) {
  const { PORT: port, WEB_CONCURRENCY: copies } = env();
  // One process uses one core: WEB_CONCURRENCY > 1 forks that many, sharing the port.
  if (copies > 1 && cluster.isPrimary) {
    for (let i = 0; i < copies; i++) cluster.fork();
    cluster.on('exit', (worker, code, signal) => {
      if (!stopping) console.error(`[web] process ${worker.process.pid} exited (${signal ?? code})`);
    });
    let stopping = false;
    const stop = () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
      setTimeout(() => process.exit(0), 10_000).unref();
      cluster.on('exit', () => {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      });
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    console.log(`[web] listening on http://localhost:${port} with ${copies} processes`);
  } else {
    startWebServer({ port }).then((server) => {
      if (copies === 1) console.log(`[web] listening on http://localhost:${port}`);
      const stop = () => {
        server.close(() => process.exit(0));
        server.closeIdleConnections();
        setTimeout(() => process.exit(0), 10_000).unref();
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
  }
}
