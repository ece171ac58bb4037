import express from 'express';
import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import type { Server } from 'node:http';
import cluster from 'node:cluster';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { env } from './app/utils/env.server.ts';

const root = path.dirname(fileURLToPath(import.meta.url));

/** The web process: static assets plus the Remix request handler. */
export async function startWebServer(options: { port: number; host?: string }): Promise<Server> {
  const config = env(); // a bad configuration stops start-up here, with the variable named
  const build = (await import(path.join(root, 'build/index.js'))) as ServerBuild;
  const app = express();
  app.disable('x-powered-by');
  if (config.TRUST_PROXY > 0) app.set('trust proxy', config.TRUST_PROXY);

  app.use(
    '/build',
    express.static(path.join(root, 'public/build'), { immutable: true, maxAge: '1y' }),
  );
  app.use(express.static(path.join(root, 'public'), { maxAge: '1h' }));
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
    res.setHeader('X-Frame-Options', 'DENY');
    next();
  });
  app.all(
    '*',
    createRequestHandler({
      build,
      mode: config.NODE_ENV === 'production' ? 'production' : 'development',
      getLoadContext: (req) => ({ ip: req.ip ?? req.socket.remoteAddress ?? '0.0.0.0' }),
    }),
  );

  return new Promise((resolve) => {
    const server = app.listen(options.port, options.host ?? '0.0.0.0', () => resolve(server));
  });
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
