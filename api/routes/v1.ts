import type { FastifyPluginAsync } from 'fastify';
import { adminRoutes } from './admin';
import { calendarRoutes } from './admin-calendar';
import { applicationRoutes } from './applications';
import { caseDemandRoutes } from './case-demands';
import { caseRoutes } from './cases';
import { complaintRoutes } from './complaints';
import { integrationRoutes } from './integrations';
import { noticeRoutes } from './notices';
import { oversightRoutes } from './oversight';
import { paymentResultRoutes } from './payment-results';
import { payrollRoutes } from './payroll';
import { publicityRoutes } from './publicity';
import { receiptRoutes } from './receipt';
import { reportRoutes } from './reports';
import { supervisionRoutes } from './supervision';
import { supervisionSummaryRoutes } from './supervision-summary';
import { visitReportRoutes } from './visit-reports';

// Everything under /v1 (API.md).
export const v1Routes: FastifyPluginAsync = async (app) => {
  await app.register(receiptRoutes);
  await app.register(applicationRoutes);
  await app.register(noticeRoutes);
  await app.register(adminRoutes);
  await app.register(calendarRoutes);
  await app.register(caseRoutes);
  await app.register(caseDemandRoutes);
  await app.register(integrationRoutes);
  await app.register(visitReportRoutes);
  await app.register(reportRoutes);
  await app.register(payrollRoutes);
  await app.register(paymentResultRoutes);
  await app.register(supervisionRoutes);
  await app.register(supervisionSummaryRoutes);
  await app.register(publicityRoutes);
  await app.register(complaintRoutes);
  await app.register(oversightRoutes);
};
