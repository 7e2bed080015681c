// For every browser test: collects what must never happen on a page (a console error, an
// uncaught exception, a Content-Security-Policy violation) so that the test can fail on it.
// Usage:
//   const guard = guardPage(page);
//   ... drive the page ...
//   await guard.assertClean();   // throws, listing every problem, when there was any
import type { Page } from 'playwright-core';

export interface PageGuard {
  problems: string[];
  /** the CSP violations the page itself reported (directive and what was blocked) */
  cspViolations(): Promise<string[]>;
  assertClean(): Promise<void>;
}

declare global {
  interface Window {
    __cspViolations?: string[];
  }
}

export function guardPage(page: Page, options: { ignore?: RegExp[] } = {}): PageGuard {
  const problems: string[] = [];
  const ignored = (text: string): boolean => (options.ignore ?? []).some((r) => r.test(text));
  page.on('console', (m) => {
    if (m.type() === 'error' && !ignored(m.text())) problems.push(`console error on ${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => {
    if (!ignored(e.message)) problems.push(`uncaught exception on ${page.url()}: ${e.message}`);
  });
  // Injected by the browser's debugging protocol, so the page's CSP does not apply to it.
  void page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations!.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  const guard: PageGuard = {
    problems,
    async cspViolations() {
      if (page.isClosed()) return [];
      return page.evaluate(() => window.__cspViolations ?? []).catch(() => []);
    },
    async assertClean() {
      const csp = (await guard.cspViolations()).map((v) => `CSP violation on ${page.url()}: ${v}`);
      const all = [...problems, ...csp];
      if (all.length > 0) throw new Error(`the page was not clean:\n  ${all.join('\n  ')}`);
    },
  };
  return guard;
}
