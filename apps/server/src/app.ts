import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Database } from '@tinhso/db';
import { DomainError } from '@tinhso/domain';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import helmet from 'helmet';
import { resolvePrincipal } from './auth/sessions.js';
import type { Config } from './config.js';
import { KeyStore } from './documents/keys.js';
import { handleError } from './http/errors.js';
import { registerNotifications } from './notifications/listener.js';
import { createOutboxWorker, type OutboxWorker } from './outbox/worker.js';
import { PaymentService } from './payments/service.js';
import { registerRoutes } from './routes/index.js';
import { CalendarService } from './services/calendar.js';
import { Catalogue } from './services/catalogue.js';
import { DossierService } from './services/dossiers/index.js';
import { IndicatorService } from './services/indicators.js';
import { UnitDirectory } from './services/units.js';
import { registerWeb } from './web.js';

/** Everything a route needs; built once per process. */
export interface AppContext {
  config: Config;
  database: Database;
  units: UnitDirectory;
  calendar: CalendarService;
  catalogue: Catalogue;
  dossiers: DossierService;
  keys: KeyStore;
  /** Delivers the durable outbox (notifications…); started by main.ts, drained by tests. */
  outbox: OutboxWorker;
  /** Fees due and online payment (payments/service.ts). */
  payments: PaymentService;
  /** Service indicators and the Decision 766 index (services/indicators.ts). */
  indicators: IndicatorService;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}

export type App = FastifyInstance;

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Writes allowed without a CSRF token (they create the session, or are server-to-server). */
const CSRF_EXEMPT = new Set(['/api/auth/login']);

/** Whether the request's Origin header (when a browser sent one) is neither this server's nor PUBLIC_URL's. */
function foreignOrigin(req: FastifyRequest, publicUrl: string): boolean {
  const origin = req.headers.origin?.toLowerCase();
  if (origin === undefined) return false;
  return origin !== `${req.protocol}://${req.host}`.toLowerCase() && origin !== new URL(publicUrl).origin;
}

export async function buildContext(config: Config, database: Database): Promise<AppContext> {
  const units = new UnitDirectory(database);
  const calendar = new CalendarService(database);
  await Promise.all([units.reload(), calendar.reload()]);
  const catalogue = new Catalogue(database);
  const dossiers = new DossierService(database, units, calendar, catalogue);
  const keys = new KeyStore(database, units, config);
  const outbox = createOutboxWorker(config, database);
  registerNotifications({ config, dossiers, outbox });
  const payments = new PaymentService(database, dossiers, config);
  const indicators = new IndicatorService(
    database,
    units,
    config.INDICATOR_CACHE_MS,
    Math.max(1, Math.floor(config.DATABASE_POOL_MAX / 3)),
  );
  dossiers.onChange(async () => indicators.invalidate());
  return { config, database, units, calendar, catalogue, dossiers, keys, outbox, payments, indicators };
}

/** Builds the HTTP application (not listening). Tests call this and use `app.inject()`. */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const { config } = ctx;
  // Security headers (helmet), built once: @fastify/helmet rebuilt the whole middleware, CSP included, at every request
  // (a tenth of the public lookup's time in the server, ADR 0008).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        // Only when served over HTTPS: on plain http (a laptop, a LAN demo) it would break form posts.
        upgradeInsecureRequests: config.cookieSecure ? [] : null,
      },
    },
    strictTransportSecurity: false, // below: only on answers to HTTPS requests
  });
  // HSTS on answers to requests that came over HTTPS: TLS here, or X-Forwarded-Proto: https from a trusted proxy
  // (TRUST_PROXY). Never on plain http (a laptop, a LAN demo). With an https PUBLIC_URL and an untrusted proxy the
  // scheme is unknown: the public site is https-only, so it is sent on every answer.
  const hstsAlways = config.cookieSecure && !config.TRUST_PROXY;
  /** Sets the security headers of every answer: by the first hook, and on errors raised before routing. */
  const secure = (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    if (hstsAlways || req.protocol === 'https') {
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    }
    securityHeaders(req.raw, reply.raw, (err) => done(err instanceof Error ? err : undefined));
  };
  const app = Fastify({
    logger: config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL },
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    ajv: { customOptions: { coerceTypes: 'array' } },
    // Errors raised before routing (a URL with bad percent-encoding…) get the same error body as the rest.
    frameworkErrors: (error, req, reply) => {
      secure(req, reply, () => {});
      return handleError(error, req, reply);
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.decorate('ctx', ctx);
  app.decorateRequest('principal', null);

  app.addHook('onRequest', (req, reply, done) => {
    secure(req, reply, done);
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tỉnh Số API',
        version: '0.1.0',
        description:
          'API của nền tảng Tỉnh Số: danh mục thủ tục, lịch làm việc, hồ sơ một cửa, tra cứu công khai. ' +
          'Lỗi trả về `{"error":{"code","message","messageEn"}}` với mã ổn định.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'tinhso_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    req.principal = await resolvePrincipal(ctx.database, req);
    const p = req.principal;
    const path = req.url.split('?')[0] ?? '';
    if (!WRITE_METHODS.has(req.method)) return;
    const exempt = CSRF_EXEMPT.has(path);
    // A browser names the page that sent a write: another site's page never writes with our cookie (nor logs in).
    if ((p?.via === 'session' || exempt) && foreignOrigin(req, config.publicUrl)) {
      throw new DomainError(
        'CSRF_FAILED',
        'Yêu cầu đến từ một trang web khác; đã từ chối. Hãy mở lại Tỉnh Số và thử lại.',
        'The request came from another web site and was refused. Open Tỉnh Số again and retry.',
        { reason: 'origin' },
      );
    }
    if (p && p.via === 'session' && !exempt) {
      if (req.headers['x-csrf-token'] !== p.csrfToken) {
        throw new DomainError(
          'CSRF_FAILED',
          'Phiên làm việc không hợp lệ (thiếu mã chống giả mạo). Hãy tải lại trang.',
          'Missing or wrong CSRF token. Reload the page.',
          { reason: 'token' },
        );
      }
    }
  });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(registerRoutes);
  await registerWeb(app);
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({
      error: {
        code: 'NOT_FOUND',
        message: 'Không tìm thấy địa chỉ này.',
        messageEn: `No route ${req.method} ${req.url}`,
      },
    });
  });
  return app;
}
