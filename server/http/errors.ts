// One error type for the HTTP layer and one middleware that turns errors into responses.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';

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
    } else {
      log(`postino: ${req.method} ${req.originalUrl}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
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
