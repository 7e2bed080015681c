// Builds the express app without listening: serve listens, tests drive it with supertest.
import express from 'express';
import type { Db } from '../../core/db/open';
import type { Config } from '../../core/config/schema';
import { LiveFeed } from './live';
import { authenticate, requireRole } from './auth';
import { Sessions } from './sessions';
import { LoginThrottle } from './login-throttle';
import { errorMiddleware, notFound } from './errors';
import { aggregatesRouter } from './routes/aggregates';
import { operatorRouter } from './routes/operator';
import { metricsRouter } from './routes/metrics';
import { pagesRouter } from './routes/pages';
import { probesRouter } from './routes/probes';
import { costRouter } from './routes/cost';
import { reportsRouter } from './routes/reports';
import { sessionsRouter } from './routes/sessions';
import { geoSignalsRouter } from './routes/geo-signals';
import { slaRouter } from './routes/sla';

export interface AppDeps {
  db: Db;
  config: Config;
  live?: LiveFeed;
  now?: () => number;
  /** where unexpected errors are logged (default: stderr) */
  log?: (message: string) => void;
}

export type App = express.Express & { locals: { live: LiveFeed; sessions: Sessions } };

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function createApp(deps: AppDeps): App {
  const now = deps.now ?? Date.now;
  const full = { db: deps.db, config: deps.config, now };
  const live = deps.live ?? new LiveFeed(deps.db, deps.config, now);
  const sessions = new Sessions(deps.db, deps.config.access, now);
  const app = express() as App;
  app.locals.live = live;
  app.locals.sessions = sessions;
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (deps.config.server.trusted_proxies.length > 0) app.set('trust proxy', deps.config.server.trusted_proxies);
  app.use((req, res, next) => {
    res.setHeader('Content-Security-Policy', CSP);
    // HTTPS (req.secure believes X-Forwarded-Proto only from a trusted proxy): browsers keep to it.
    if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // The wall's kiosk URL carries its token: never send it anywhere.
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    next();
  });
  app.use(express.json({ limit: '16kb' }));
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));
  app.use(authenticate(deps.config, sessions));
  app.use((req, res, next) => {
    if (req.path.startsWith('/api/')) res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.get('/api/live', requireRole('wall'), live.handle);
  app.use(aggregatesRouter(full));
  app.use(operatorRouter(full));
  app.use(metricsRouter(full));
  app.use(probesRouter(full));
  app.use(costRouter(full));
  app.use(reportsRouter(full));
  app.use(sessionsRouter(full, sessions));
  app.use(geoSignalsRouter(full));
  app.use(slaRouter(full));
  app.use(pagesRouter(full, sessions, new LoginThrottle(now)));
  app.use(notFound);
  app.use(errorMiddleware(deps.log));
  return app;
}
