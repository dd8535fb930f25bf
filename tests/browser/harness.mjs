// Shared by the browser tests: build the sample site once, serve it on a free
// loopback port with a small static server, and drive Debian's Chromium.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, resolve, normalize } from 'node:path';
import { chromium } from 'playwright-core';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const artefacts = join(repoRoot, 'target', 'browser-artefacts');

const types = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.xml': 'application/xml', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.csv': 'text/csv; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
};

/** Serves `dir` on 127.0.0.1 at a free port; resolves to { url, close }. */
export function serve(dir) {
  const server = createServer((req, res) => handler(dir, req, res));
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    ok({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() });
  }));
}

/** Builds a site (the sample at the repository root by default) for `baseUrl` into a temporary folder. */
export function buildSite(baseUrl, root = repoRoot) {
  const out = join(mkdtempSync(join(tmpdir(), 'streetpress-browser-')), 'public');
  execFileSync('cargo', ['run', '--quiet', '--', 'build', '--root', root, '--output', out, '--base-url', baseUrl], {
    cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'],
  });
  return out;
}

/**
 * Starts a server first (so the port, and so the base URL, is known), then builds into the folder it serves.
 * Resolves to { url, dir, close }.
 */
export async function servedSample(root = repoRoot) {
  const holder = { dir: null };
  const server = createServer((req, res) => handler(holder.dir, req, res));
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}/`;
  holder.dir = buildSite(url, root);
  return { url, dir: holder.dir, close: () => server.close() };
}

function handler(dir, req, res) {
  let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let file = normalize(join(dir, path));
  if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file)) {
    res.writeHead(404, { 'content-type': types['.html'] }).end(readFileSync(join(dir, '404.html')));
    return;
  }
  res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream' }).end(readFileSync(file));
}

/** Debian's Chromium, headless, with no background traffic to the outside. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Opens a page and records console errors and failed requests, so a test can
 * assert that a page loaded cleanly.
 */
export async function openPage(browser, url, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    // The 404 page is itself served with status 404, which Chromium reports on the console.
    if (m.type() === 'error' && !(options.allow404 && m.text().includes('status of 404'))) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // A lazy image still loading when the test moves on is aborted, not failed.
  page.on('requestfailed', (r) => { if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`); });
  page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/404.html') && !options.allow404) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.goto(url, { waitUntil: 'load' });
  return { page, context, problems };
}
