// Measures search on a built site as a phone on mobile data would see it:
// bytes downloaded for each query after the page itself, and the time from
// the start of the search to the first results on screen, with the CPU
// slowed down four times. A count ending in + is what the page knows after
// its first results (it shows 找到至少 N 条). Not part of `npm test`; run by hand:
//   node measure-search.mjs SITE_OUTPUT_DIR [BASE_PATH] [query ...]
// THROTTLE=1 measures without slowing the CPU down.
import { createServer } from 'node:http';
import { readFileSync, statSync, existsSync } from 'node:fs';
import { join, extname, normalize } from 'node:path';
import { launch } from './harness.mjs';

const [dir, basePath = '/', ...given] = process.argv.slice(2);
const queries = given.length ? given : ['志愿服务 洸河社区', '反诈 老年人', '垃圾分类 楼道', '智能手机 课堂', '反诈', '老年人智能手机'];
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.svg': 'image/svg+xml' };

const server = createServer((req, res) => {
  let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  if (!path.startsWith(basePath)) { res.writeHead(404).end(); return; }
  let file = normalize(join(dir, path.slice(basePath.length)));
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file)) { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream' }).end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await launch();
const phone = {
  viewport: { width: 393, height: 851 }, deviceScaleFactor: 2.75, isMobile: true, hasTouch: true,
  userAgent: 'Mozilla/5.0 (Linux; Android 11; Pixel 5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36',
};
const rows = [];
for (const query of queries) {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(process.env.THROTTLE || 4) });
  let pageBytes = 0, indexBytes = 0, indexFiles = 0;
  page.on('requestfinished', async (request) => {
    const length = (await request.sizes().catch(() => ({ responseBodySize: 0 }))).responseBodySize;
    const path = new URL(request.url()).pathname;
    if (path.startsWith(basePath + 'search/') && path !== basePath + 'search/') { indexBytes += length; indexFiles += 1; } else pageBytes += length;
  });
  // The page first, with no query; then a query typed in, as a resident would.
  await page.goto(`${origin}${basePath}search/`, { waitUntil: 'load' });
  await page.waitForTimeout(300);
  const before = indexBytes;
  const done = page.evaluate(() => new Promise((ok) => document.addEventListener('streetpress:search', (e) => ok(e.detail), { once: true })));
  await page.fill('#search-query', query);
  await page.press('#search-query', 'Enter');
  const detail = await done;
  await page.waitForLoadState('networkidle');
  // The page's own count of what it downloaded for search (meta.json, index files, records).
  const bytes = await page.evaluate(() => window.streetpressSearch.bytes());
  await page.waitForTimeout(100);
  rows.push({ query, results: detail.count + (detail.complete === false ? '+' : ''), 'first results ms': Math.round(detail.ms), 'index ready ms': detail.timing.index,
    'found ms': detail.timing.found, 'bytes after page': bytes, 'of which meta.json': before, 'search files': indexFiles,
    'page bytes': pageBytes });
  await context.close();
}
console.table(rows);
await browser.close();
server.close();
