// The sample site opens in a real browser: the home page and every page it
// links to load with no console errors and no failed requests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { servedSample, launch, openPage } from './harness.mjs';

let site, browser;
before(async () => { site = await servedSample(); browser = await launch(); });
after(async () => { await browser?.close(); site?.close(); });

test('home and every page it links to load cleanly', async () => {
  const { page, problems, context } = await openPage(browser, site.url);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  const links = await page.$$eval('a[href]', (as) => [...new Set(as.map((a) => a.href.split('#')[0]))]);
  const internal = links.filter((href) => href.startsWith(site.url));
  assert.ok(internal.length > 20, `home links to many pages (${internal.length})`);
  for (const href of internal) {
    const response = await page.goto(href);
    assert.equal(response.status(), 200, href);
  }
  assert.deepEqual(problems, []);
  await context.close();
});
