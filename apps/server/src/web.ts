import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const WEB_ROOT = fileURLToPath(new URL('../../web/public/', import.meta.url));

/** Serves the web app (apps/web/public): the portal shell, officer login and public lookup. */
export async function registerWeb(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, { root: WEB_ROOT, prefix: '/', index: ['index.html'], maxAge: '1h' });
}
