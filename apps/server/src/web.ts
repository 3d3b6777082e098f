import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const WEB_ROOT = fileURLToPath(new URL('../../web/public/', import.meta.url));

/** Serves the web app (apps/web/public): the portal shell, officer login and public lookup. */
export async function registerWeb(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, { root: WEB_ROOT, prefix: '/', index: ['index.html'], maxAge: '1h' });
  // The QR code on a result opens /verify/{token}: the verification page reads the token from its address.
  app.get('/verify/:token', { schema: { hide: true } }, (_req, reply) => reply.sendFile('verify.html'));
}
