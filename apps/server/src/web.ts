import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

const WEB_ROOT = fileURLToPath(new URL('../../web/public/', import.meta.url));

/**
 * Portal pages routed in the browser (history API): the server answers each with the same shell, index.html,
 * and apps/web/public/js/router.js renders the page from the address. Unknown /api paths keep their JSON 404.
 */
export const PORTAL_ROUTES = [
  '/thu-tuc/:code',
  '/nop/:code',
  '/ho-so',
  '/ho-so/:code',
  '/tra-cuu',
  '/can-bo',
] as const;

const shell = (reply: FastifyReply) =>
  // The shell is tiny and names the current modules: never cache it long, so a deployment is picked up at once.
  reply.header('cache-control', 'no-cache').sendFile('index.html', { maxAge: 0 });

/** Serves the web app (apps/web/public): the citizen portal, officer login, public lookup and verification page. */
export async function registerWeb(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, { root: WEB_ROOT, prefix: '/', index: false, maxAge: '1h' });
  app.get('/', { schema: { hide: true } }, (_req, reply) => shell(reply));
  for (const path of PORTAL_ROUTES) app.get(path, { schema: { hide: true } }, (_req, reply) => shell(reply));
  // The QR code on a result opens /verify/{token}: the verification page reads the token from its address.
  app.get('/verify/:token', { schema: { hide: true } }, (_req, reply) => reply.sendFile('verify.html'));
}
