import type { FastifyInstance } from 'fastify';
import { authRoutes } from './auth.js';
import { batchRoutes } from './batch.js';
import { calendarRoutes } from './calendar.js';
import { catalogueAdminRoutes } from './catalogue-admin.js';
import { citizenAuthRoutes } from './citizen-auth.js';
import { citizenRoutes } from './citizens.js';
import { documentRoutes } from './documents.js';
import { dossierRoutes } from './dossiers.js';
import { fileRoutes } from './files.js';
import { healthRoutes } from './health.js';
import { lookupRoutes } from './lookup.js';
import { meRoutes } from './me.js';
import { meFileRoutes } from './me-files.js';
import { notificationRoutes } from './notifications.js';
import { officerRoutes } from './officers.js';
import { paymentRoutes } from './payments.js';
import { procedureTemplateRoutes } from './procedure-templates.js';
import { procedureRoutes } from './procedures.js';
import { queueRoutes } from './queues.js';
import { ratingRoutes } from './ratings.js';
import { settingsRoutes } from './settings.js';
import { unitRoutes } from './units.js';

/** Every API route, one file per module. */
export async function registerRoutes(app: FastifyInstance): Promise<void> {
  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(citizenAuthRoutes);
  await app.register(procedureRoutes);
  await app.register(procedureTemplateRoutes);
  await app.register(catalogueAdminRoutes);
  await app.register(calendarRoutes);
  await app.register(unitRoutes);
  await app.register(dossierRoutes);
  await app.register(batchRoutes);
  await app.register(queueRoutes);
  await app.register(documentRoutes);
  await app.register(lookupRoutes);
  await app.register(fileRoutes);
  await app.register(meFileRoutes);
  await app.register(paymentRoutes);
  await app.register(meRoutes);
  await app.register(ratingRoutes);
  await app.register(notificationRoutes);
  await app.register(officerRoutes);
  await app.register(citizenRoutes);
  await app.register(settingsRoutes);
}
