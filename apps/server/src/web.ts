import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const WEB_ROOT = fileURLToPath(new URL('../../web/public/', import.meta.url));

/**
 * Browser libraries served from their npm package, as published (no build step): /vendor/{name}/{file}. Only
 * the files named here are reachable.
 */
const require = createRequire(import.meta.url);
const VENDOR: Record<string, { dir: string; files: string[] }> = {
  uplot: {
    dir: dirname(require.resolve('uplot/dist/uPlot.esm.js')),
    files: ['uPlot.esm.js', 'uPlot.min.css'],
  },
};

/**
 * Portal pages routed in the browser (history API): the server answers each with the same shell, index.html,
 * and apps/web/public/js/router.js renders the page from the address.
 */
export const PORTAL_ROUTES = [
  '/thu-tuc/:code',
  '/nop/:code',
  '/ho-so',
  '/ho-so/:code',
  '/tra-cuu',
  '/can-bo',
  '/can-bo/tiep-nhan',
  '/can-bo/hang-doi/:key',
  '/can-bo/ho-so/:code',
  '/can-bo/lanh-dao',
  '/can-bo/dieu-hanh',
  '/minh-bach',
  '/minh-bach/:code',
  '/can-bo/quan-tri',
  '/can-bo/quan-tri/*',
] as const;

// The shell is tiny and names the current modules: revalidated on every load, so a deployment is picked up at once.
const shell = (reply: FastifyReply, status = 200) =>
  reply.status(status).header('cache-control', 'no-cache').sendFile('index.html', { maxAge: 0 });

/** A file under the web root for this address, or null (no file, a directory, or an escape attempt). */
async function fileFor(url: string): Promise<string | null> {
  let path: string;
  try {
    path = decodeURIComponent(url.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  const full = resolve(WEB_ROOT, `.${path}`);
  if (!full.startsWith(WEB_ROOT.endsWith(sep) ? WEB_ROOT : WEB_ROOT + sep)) return null;
  const s = await stat(full).catch(() => null);
  return s?.isFile() ? full.slice(WEB_ROOT.length).split(sep).join('/') : null;
}

const wantsHtml = (req: FastifyRequest) => (req.headers.accept ?? '').includes('text/html');

/**
 * Serves the web app (apps/web/public): the citizen portal, officer login, public lookup and verification page.
 * Files are served as they are; any other page address gets the shell (404), whose router shows "page not found";
 * unknown /api addresses keep their JSON 404.
 */
export async function registerWeb(app: FastifyInstance): Promise<void> {
  // maxAge 0: browsers revalidate (ETag → 304), so modules of one deployment are never mixed with another's.
  await app.register(fastifyStatic, { root: WEB_ROOT, serve: false, index: false, maxAge: 0 });
  app.get('/', { schema: { hide: true } }, (_req, reply) => shell(reply));
  for (const path of PORTAL_ROUTES) app.get(path, { schema: { hide: true } }, (_req, reply) => shell(reply));
  for (const [name, v] of Object.entries(VENDOR)) {
    for (const file of v.files) {
      app.get(`/vendor/${name}/${file}`, { schema: { hide: true } }, (_req, reply) =>
        reply.header('cache-control', 'public, max-age=86400').sendFile(file, v.dir),
      );
    }
  }
  // The QR code on a result opens /verify/{token}: the verification page reads the token from its address.
  app.get('/verify/:token', { schema: { hide: true } }, (_req, reply) => reply.sendFile('verify.html'));
  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    if (req.url.startsWith('/api/') || req.url === '/api') return reply.callNotFound();
    const file = await fileFor(req.url);
    if (file === 'index.html') return shell(reply);
    if (file) return reply.sendFile(file);
    return wantsHtml(req) ? shell(reply, 404) : reply.callNotFound();
  });
}
