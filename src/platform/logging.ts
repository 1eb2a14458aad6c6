import pino, { type Logger, type LoggerOptions } from 'pino';

/**
 * Paths pino blanks out wherever they appear in a log line. Request bodies and query strings are never logged;
 * these catch anything passed to a log call by mistake.
 */
const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.confirmPassword',
  '*.email',
  '*.name',
  '*.firstName',
  '*.lastName',
  '*.phone',
  '*.address',
  '*.postcode',
  '*.dateOfBirth',
  '*.token',
  '*.notes',
  '*.body',
];

/** Link tokens travel in a few professional paths; the log keeps the path shape and drops the secret. */
export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  return path.replace(/^(\/app\/(?:invitation|password-reset))\/(?!choose\/?$)[^/]+\/?$/, '$1/[token]');
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (request: { method: string; url: string; id: string }) => ({ method: request.method, url: redactUrl(request.url), id: request.id }),
      res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
