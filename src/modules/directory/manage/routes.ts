import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../services.js';
import { registerRecordRoutes } from './records-routes.js';
import { registerServiceRoutes } from './service-routes.js';

/** Directory management for editors (permission `directory.manage`). */
export function registerManagementRoutes(app: FastifyInstance, services: Services): void {
  registerServiceRoutes(app, services);
  registerRecordRoutes(app, services);
}
