// Images as a reader on a phone gets them: each picture loads and is decoded,
// the browser picks a size from the srcset suited to the screen rather than
// the largest, and the page keeps its place while images load.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { servedSample, launch, openPage } from './harness.mjs';

let site, browser;
before(async () => { site = await servedSample(); browser = await launch(); });
after(async () => { await browser?.close(); site?.close(); });

const article = 'articles/2024/09/2024-09-old-community-renovation/';

test('a phone loads a size of an article photo suited to its screen', async () => {
  // A common phone: 390 CSS pixels wide at 2 device pixels per CSS pixel.
  const { page, problems, context } = await openPage(browser, site.url + article, {
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true,
  });
  const img = page.locator('.article-body img').first();
  await img.scrollIntoViewIfNeeded();
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
  const info = await img.evaluate((el) => ({
    current: el.currentSrc, natural: el.naturalWidth, width: el.getAttribute('width'),
    height: el.getAttribute('height'), shown: el.getBoundingClientRect().width,
    ratio: el.getBoundingClientRect().height / el.getBoundingClientRect().width,
  }));
  assert.match(info.current, /renovation-960\.jpg$/, `picked ${info.current}`);
  assert.ok(info.natural > 0, 'decoded');
  assert.ok(info.shown <= 390, `fits the screen (${info.shown}px)`);
  assert.ok(Math.abs(info.ratio - Number(info.height) / Number(info.width)) < 0.02, 'keeps its proportions');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the space of an image is kept before it loads (no layout shift)', async () => {
  const { page, context } = await openPage(browser, site.url + article, { viewport: { width: 1280, height: 900 } });
  // Every <img> states its size, so the browser reserves the space.
  const missing = await page.$$eval('img', (imgs) => imgs.filter((i) => !i.getAttribute('width') || !i.getAttribute('height')).map((i) => i.src));
  assert.deepEqual(missing, []);
  await context.close();
});

test('lists use the small cover and load it lazily; the home page lead is not delayed', async () => {
  const { page, context } = await openPage(browser, site.url, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3 });
  // The lead story is on the first screen: no lazy loading, but several sizes.
  const lead = await page.$$eval('.lead-story img.cover', (imgs) => imgs.map((i) => ({ lazy: i.loading, srcset: i.getAttribute('srcset') })));
  for (const cover of lead) {
    assert.notEqual(cover.lazy, 'lazy');
    assert.match(cover.srcset, /-480\.(jpg|png) 480w/);
  }
  // Category lists: every card cover is small and lazy.
  const categories = await page.$$eval('.site-nav a', (links) => links.map((a) => a.href).filter((h) => h !== location.href));
  let seen = 0;
  for (const url of categories) {
    await page.goto(url);
    const covers = await page.$$eval('.card img.cover', (imgs) => imgs.map((i) => ({ lazy: i.loading, src: i.getAttribute('src') })));
    for (const cover of covers) {
      assert.equal(cover.lazy, 'lazy');
      assert.match(cover.src, /-480\.(jpg|png)$/, 'lists use the small cover');
      seen += 1;
    }
  }
  assert.ok(seen > 0, 'the sample has articles with covers in its category lists');
  await context.close();
});
