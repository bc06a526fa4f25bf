import type { FastifyPluginAsync } from 'fastify';
import { adminRoutes } from './admin';
import { applicationRoutes } from './applications';
import { noticeRoutes } from './notices';

// Everything under /v1 (API.md).
export const v1Routes: FastifyPluginAsync = async (app) => {
  await app.register(applicationRoutes);
  await app.register(noticeRoutes);
  await app.register(adminRoutes);
};
