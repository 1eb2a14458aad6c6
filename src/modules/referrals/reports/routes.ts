import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UserFacingError } from '../../../platform/http/errors.js';
import { originOfRequest } from '../../../platform/http/forms.js';
import { formErrorsFrom } from '../../../platform/views/form-errors.js';
import type { Services } from '../../../services.js';
import { reportCsv } from './csv.js';
import { addMonths, monthLabel, monthOf, monthsBetween } from './periods.js';
import { MAX_MONTHS, reportFilters, type ReportFilters } from './schemas.js';
import { publishedText } from './suppression.js';

const REPORTS = '/app/reports/referrals';
const VIEW = { config: { access: 'reports.view' as const } };

function actorOf(request: FastifyRequest) {
  if (!request.actor) throw new UserFacingError(401, 'Sign in to continue.', 'You need to sign in');
  return request.actor;
}

function queryOf(request: FastifyRequest): Record<string, unknown> {
  return typeof request.query === 'object' && request.query !== null ? (request.query as Record<string, unknown>) : {};
}

function queryString(filters: ReportFilters): string {
  return new URLSearchParams({ from: filters.from, to: filters.to, by: filters.by }).toString();
}

export function registerReportRoutes(app: FastifyInstance, services: Services): void {
  app.get(REPORTS, VIEW, async (request, reply) => {
    const currentMonth = monthOf(services.clock());
    const monthItems = (selected: unknown) =>
      monthsBetween(addMonths(currentMonth, -(MAX_MONTHS * 2 - 1)), currentMonth)
        .reverse()
        .map((month) => ({ value: month, text: monthLabel(month), selected: month === selected }));
    const parsed = reportFilters(currentMonth).safeParse(queryOf(request));
    if (!parsed.success) {
      const values = queryOf(request);
      return reply.code(400).render('referrals-reports/report.njk', { errors: formErrorsFrom(parsed.error), values, fromItems: monthItems(values['from']), toItems: monthItems(values['to']) });
    }
    const filters = parsed.data;
    const report = await services.referralReports.report(actorOf(request), filters, originOfRequest(request));
    return reply.render('referrals-reports/report.njk', {
      values: filters,
      fromItems: monthItems(filters.from),
      toItems: monthItems(filters.to),
      report,
      text: publishedText,
      csvHref: `${REPORTS}/export.csv?${queryString(filters)}`,
    });
  });

  app.get(`${REPORTS}/export.csv`, VIEW, async (request, reply) => {
    const parsed = reportFilters(monthOf(services.clock())).safeParse(queryOf(request));
    if (!parsed.success) throw new UserFacingError(400, 'Choose the report’s period again on the reports page, then download it.', 'The report period is not valid');
    const report = await services.referralReports.export(actorOf(request), parsed.data, originOfRequest(request));
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="referrals-${parsed.data.from}-to-${parsed.data.to}-by-${parsed.data.by}.csv"`)
      .header('Cache-Control', 'no-store')
      .send(reportCsv(report));
  });
}
