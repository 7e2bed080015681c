// Debian's chromium driven by playwright-core, and the app on a free loopback port: what every
// page test starts before it looks at a page.
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Listens on 127.0.0.1 at a free port; answers the server and its base URL. */
export async function listenLoopback(app: { listen(port: number, host: string, cb: () => void): Server }): Promise<{ server: Server; base: string }> {
  const server = await new Promise<Server>((ok) => {
    const s = app.listen(0, '127.0.0.1', () => ok(s));
  });
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Closes the server and the keep-alive connections a browser leaves open. */
export async function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
}

/**
 * Records, from before the page's first script, the tallest and widest the document has been
 * at any mutation or animation frame: a wall that fits only once its last chart has resized
 * still shows a scroll bar, or a cut-off panel, for a moment on every load and update.
 */
export async function trackPageExtent(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __extent: { h: number; w: number } };
    w.__extent = { h: 0, w: 0 };
    const check = (): void => {
      const d = document.documentElement;
      if (!d) return;
      w.__extent.h = Math.max(w.__extent.h, d.scrollHeight);
      w.__extent.w = Math.max(w.__extent.w, d.scrollWidth);
    };
    const frame = (): void => {
      check();
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

/** The largest extent trackPageExtent saw, against the viewport. */
export function pageExtent(page: Page): Promise<{ h: number; w: number; ih: number; iw: number }> {
  return page.evaluate(() => {
    const e = (window as unknown as { __extent: { h: number; w: number } }).__extent;
    // one last look: the layout after the latest change, which no frame may have seen yet
    const d = document.documentElement;
    return { h: Math.max(e.h, d.scrollHeight), w: Math.max(e.w, d.scrollWidth), ih: innerHeight, iw: innerWidth };
  });
}
