// The default theme as a reader meets it, in headless Chromium: pages load
// cleanly with no request leaving the site, pass an axe-core audit in normal
// and care mode, keep the reader's font size across pages, fit a 375px phone,
// print the article alone, and carry a QR code that decodes to the article.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { servedSample, launch, openPage, artefacts } from './harness.mjs';
import { axeViolations } from './axe.mjs';

const ARTICLE = 'articles/2024/03/2024-03-learn-from-lei-feng/';
const PAGES = {
  home: '',
  category: 'volunteer/',
  article: ARTICLE,
  person: 'people/zhang-shufen/',
  community: 'communities/柳岸社区/',
  activities: 'activities/',
  stats: 'stats/',
  notFound: 'no-such-page/',
};

let site, browser;
before(async () => {
  site = await servedSample();
  browser = await launch();
  mkdirSync(artefacts, { recursive: true });
});
after(async () => { await browser?.close(); site?.close(); });

async function open(path, options = {}) {
  return openPage(browser, site.url + path, { allow404: path === PAGES.notFound, ...options });
}

test('pages load with no console errors, no failed requests, and nothing from outside the site', async () => {
  for (const [name, path] of Object.entries(PAGES)) {
    const outside = [];
    const { page, problems, context } = await open(path);
    page.on('request', (r) => { if (!r.url().startsWith(site.url)) outside.push(r.url()); });
    await page.reload({ waitUntil: 'load' });
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForTimeout(100);
    assert.deepEqual(problems, [], `${name}: ${problems.join('\n')}`);
    assert.deepEqual(outside, [], `${name} asked another host`);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    for (const alt of await page.$$eval('img', (imgs) => imgs.map((i) => i.getAttribute('alt')))) {
      assert.notEqual(alt, null, `${name}: every image has an alt attribute`);
    }
    await context.close();
  }
});

for (const mode of ['normal', 'care']) {
  test(`axe-core finds no serious or critical violation in ${mode} mode`, async () => {
    for (const [name, path] of Object.entries(PAGES)) {
      const { page, context } = await open(path);
      if (mode === 'care') {
        await page.click('[data-care]');
        assert.ok(await page.evaluate(() => document.documentElement.classList.contains('care')));
      }
      assert.deepEqual(await axeViolations(page), [], `${name} in ${mode} mode`);
      await context.close();
    }
  });
}

const bodyTextSize = (page) => page.$eval('.article-body p', (p) => parseFloat(getComputedStyle(p).fontSize));

test('the font switch changes the text size and survives a navigation', async () => {
  const { page, context } = await open(ARTICLE);
  const medium = await bodyTextSize(page);
  await page.click('[data-font="large"]');
  const large = await bodyTextSize(page);
  assert.ok(large > medium, `large ${large} > medium ${medium}`);
  assert.equal(await page.getAttribute('[data-font="large"]', 'aria-pressed'), 'true');
  await page.goto(site.url + PAGES.category);
  await page.goto(site.url + ARTICLE);
  assert.equal(await bodyTextSize(page), large, 'kept after navigating');
  await page.click('[data-font="small"]');
  assert.ok((await bodyTextSize(page)) < medium);
  await context.close();
});

test('care mode: body text at least 18px, wider lines, links underlined, kept across pages', async () => {
  const { page, context } = await open(ARTICLE);
  await page.click('[data-care]');
  await page.goto(site.url + PAGES.category);
  await page.goto(site.url + ARTICLE);
  const style = await page.$eval('.article-body p', (p) => {
    const s = getComputedStyle(p);
    return { size: parseFloat(s.fontSize), lineHeight: parseFloat(s.lineHeight) };
  });
  assert.ok(style.size >= 18, `care mode body text ${style.size}px`);
  assert.ok(style.lineHeight / style.size >= 1.9, `line height ratio ${style.lineHeight / style.size}`);
  const decorations = await page.$$eval('main a', (as) => as.map((a) => getComputedStyle(a).textDecorationLine));
  assert.ok(decorations.every((d) => d.includes('underline')), 'links are told apart by more than colour');
  await page.click('[data-font="small"]');
  assert.ok((await bodyTextSize(page)) >= 18, 'even small text stays at 18px or more in care mode');
  const smallest = await page.$$eval('body *', (els) => Math.min(...els.filter((e) => e.offsetParent && e.childNodes.length && [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())).map((e) => parseFloat(getComputedStyle(e).fontSize))));
  assert.ok(smallest >= 18, `no visible text below 18px in care mode (smallest ${smallest}px)`);
  await context.close();
});

test('pages work without JavaScript', async () => {
  const { page, context } = await open(ARTICLE, { javaScriptEnabled: false });
  assert.equal(await page.isVisible('.reader-tools'), false, 'the toolbar needs JavaScript and stays hidden');
  assert.ok((await page.textContent('.article-body')).length > 200);
  assert.ok(await page.isVisible('.site-nav'));
  await context.close();
});

test('at 375px no page scrolls sideways; screenshots for review', async () => {
  for (const [name, path] of Object.entries(PAGES)) {
    for (const care of [false, true]) {
      const { page, context } = await open(path, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
      if (care) await page.click('[data-care]');
      const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(scroll <= client, `${name}${care ? ' (care)' : ''}: ${scroll} > ${client}`);
      await context.close();
    }
  }
  for (const [name, path] of [['home', PAGES.home], ['article', ARTICLE]]) {
    for (const width of [375, 1280]) {
      const { page, context } = await open(path, { viewport: { width, height: 900 } });
      await page.screenshot({ path: join(artefacts, `${name}-${width}.png`), fullPage: true });
      await context.close();
    }
  }
});

test('printing shows the article alone with its title, date, source and address', async () => {
  const { page, context } = await open(ARTICLE);
  await page.emulateMedia({ media: 'print' });
  for (const hidden of ['.site-nav', '.site-header', '.site-footer', '.breadcrumb', '.prev-next', '.share']) {
    assert.equal(await page.isVisible(hidden), false, `${hidden} is not printed`);
  }
  assert.ok(await page.isVisible('.article-header h1'));
  assert.match(await page.textContent('.article-meta'), /发布时间：2024年03月05日.*来源：/s);
  assert.equal((await page.textContent('.print-url')).trim(), `本文网址：${site.url}${ARTICLE}`);
  await context.close();
});

test('the QR code decodes to the article address', async () => {
  const { page, context } = await open(ARTICLE, { deviceScaleFactor: 2 });
  const shot = await page.locator('.share svg.qr').screenshot();
  const png = PNG.sync.read(shot);
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  assert.ok(code, 'a QR code was found');
  assert.equal(code.data, site.url + ARTICLE);
  await context.close();
});

test('article pages carry the metadata government portals collect', async () => {
  const { page, context } = await open(ARTICLE);
  const meta = await page.$$eval('meta[name]', (ms) => Object.fromEntries(ms.map((m) => [m.name, m.content])));
  assert.equal(meta.SiteName, '清河湾街道新时代文明实践');
  assert.equal(meta.SiteDomain, '127.0.0.1');
  assert.equal(meta.ColumnName, '志愿服务');
  assert.equal(meta.ArticleTitle, await page.textContent('h1'));
  assert.equal(meta.PubDate, '2024-03-05 11:20');
  assert.ok(meta.ContentSource && meta.Keywords && meta.Author && meta.Description, JSON.stringify(meta));
  const og = await page.$$eval('meta[property^="og:"]', (ms) => Object.fromEntries(ms.map((m) => [m.getAttribute('property'), m.content])));
  assert.equal(og['og:title'], meta.ArticleTitle);
  assert.equal(og['og:url'], site.url + ARTICLE);
  await context.close();
});
