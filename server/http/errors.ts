// One error type for the HTTP layer and one middleware that turns errors into responses.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { STATUS_CODES } from 'node:http';
import { redactUrl } from './redact';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, details?: unknown): HttpError => new HttpError(400, message, details);

/** Human-readable summary of a zod error: `from: expected a date YYYY-MM-DD; page: ...`. */
export function describeZod(e: ZodError): string {
  const messages = e.issues.map((i) =>
    i.code === 'unrecognized_keys' ? `unknown parameter${i.keys.length > 1 ? 's' : ''} ${i.keys.join(', ')}` : `${i.path.length ? i.path.join('.') : 'parameters'}: ${i.message}`,
  );
  // One complaint per problem, even when a value fails two checks.
  return [...new Set(messages)].join('; ');
}

/** Unknown routes: JSON 404 under /api, a plain page elsewhere. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, `not found: ${req.method} ${req.path}`));
};

/**
 * The 4xx status of an http-errors error (as serve-static and body-parser throw), else null.
 * Their `expose` flag is not asked: serve-static clears it on a missing file, whose message
 * names the file system path, and only the status is used here.
 */
function clientError(err: unknown): number | null {
  if (err === null || typeof err !== 'object') return null;
  const { status } = err as { status?: unknown };
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status < 500 ? status : null;
}

export function errorMiddleware(log: (msg: string) => void = (m) => process.stderr.write(m + '\n')): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let status = 500;
    let message = 'internal server error';
    if (err instanceof HttpError) {
      status = err.status;
      message = err.message;
    } else if (err instanceof ZodError) {
      status = 400;
      message = describeZod(err);
    } else if (err && typeof err === 'object' && 'type' in err && (err as { type: unknown }).type === 'entity.parse.failed') {
      status = 400;
      message = 'request body is not valid JSON';
    } else if (clientError(err) !== null) {
      // express's own modules (serve-static: a missing asset, a path out of its directory) say
      // what the client got wrong; their message may quote the path, so it is not repeated.
      status = clientError(err)!;
      message = status === 404 ? `not found: ${req.method} ${req.path}` : (STATUS_CODES[status] ?? 'client error').toLowerCase();
    } else {
      log(`postino: ${req.method} ${redactUrl(req.originalUrl)}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    const wantsHtml = !req.path.startsWith('/api/') && req.path !== '/metrics' && (req.headers.accept ?? '').includes('text/html');
    if (wantsHtml) {
      res.status(status).type('text/plain; charset=utf-8').send(`${status} ${message}\n`);
      return;
    }
    res.status(status).json({ error: message, status });
  };
}
