// A district portal as a reader meets it: three member offices built from
// the sample's content, each with a different share of its articles, added
// up by a portal. The league table fits a 375px phone in care mode, passes
// axe-core, reads as a table on a desktop and sorts there when a header is
// pressed; the home page carries the district's totals.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { servedSample, launch, repoRoot } from './harness.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const shots = join(import.meta.dirname, 'artifacts');

const OFFICES = [['甲街道', 'jia', 0], ['乙街道', 'yi', 9], ['丙街道', 'bing', 20]];

/** An office built from the sample with its first `drop` articles left out. */
function office(root, slug, title, drop) {
  const dir = join(root, slug);
  cpSync(join(repoRoot, 'content'), join(dir, 'content'), { recursive: true });
  const toml = readFileSync(join(repoRoot, 'site.toml'), 'utf8')
    .replace(/^title = .*$/m, `title = "${title}"`)
    .replace(/^base_url = .*$/m, `base_url = "https://example.gov.cn/${slug}/"`);
  writeFileSync(join(dir, 'site.toml'), toml);
  const articles = join(dir, 'content', 'articles');
  for (const name of readdirSync(articles).sort().slice(0, drop)) rmSync(join(articles, name), { recursive: true });
  execFileSync('cargo', ['run', '--quiet', '--', 'build', '--root', dir], { cwd: repoRoot, stdio: 'pipe' });
}

let site, browser;
before(async () => {
  const root = mkdtempSync(join(tmpdir(), 'streetpress-district-'));
  for (const [name, slug, drop] of OFFICES) office(root, slug, name, drop);
  const portal = join(root, 'portal');
  mkdirSync(join(portal, 'content'), { recursive: true });
  writeFileSync(join(portal, 'site.toml'), [
    'title = "青屿区新时代文明实践"', 'base_url = "https://example.gov.cn/qingyu/"', 'timezone = "Asia/Shanghai"', '',
    '[[categories]]', 'key = "news"', 'name = "工作动态"', '',
    ...OFFICES.flatMap(([name, slug]) => ['[[members]]', `name = "${name}"`, `source = "../${slug}/public"`, '']),
  ].join('\n'));
  site = await servedSample(portal);
  browser = await launch();
  mkdirSync(shots, { recursive: true });
});
after(async () => { await browser?.close(); site?.close(); });

async function reader({ width, care = false }) {
  const phone = width < 768;
  const context = await browser.newContext({ viewport: { width, height: 812 }, isMobile: phone, hasTouch: phone, deviceScaleFactor: phone ? 2 : 1 });
  await context.addInitScript((care) => { if (care) localStorage.setItem('sp-care', '1'); }, care);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  return { page, context, problems };
}

async function seriousViolations(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }));
  assert.ok(result.passes.length > 10, 'axe ran its checks');
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

const yearRows = (page) => page.$$eval('#year tbody tr', (rows) => rows.map((r) => ({
  office: r.querySelector('.office a').textContent,
  rank: r.querySelector('.rank').textContent.trim(),
  publications: Number(r.children[3].dataset.value),
  reads: Number(r.children[[...r.parentElement.parentElement.tHead.rows[0].cells].findIndex((c) => c.textContent.trim().startsWith('阅读'))].dataset.value),
})));

test('the league table on a 375px phone in care mode: no sideways scroll, cards, no serious axe violation', async () => {
  for (const path of ['league/', 'offices/', 'offices/bing-jie-dao/', '']) {
    const { page, context, problems } = await reader({ width: 375, care: true });
    await page.goto(site.url + path, { waitUntil: 'load' });
    assert.ok(await page.evaluate(() => document.documentElement.classList.contains('care')), `${path}: care mode applied`);
    const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(width <= 375, `${path || 'home'} is ${width}px wide on a 375px phone`);
    assert.deepEqual(await seriousViolations(page), [], `${path || 'home'} in care mode`);
    assert.deepEqual(problems, []);
    if (path === 'league/') {
      // Each office is a card: its row is a block, the figures labelled.
      const display = await page.$eval('#year tbody tr', (tr) => getComputedStyle(tr).display);
      assert.equal(display, 'block');
      const label = await page.$eval('#year tbody td.num', (td) => getComputedStyle(td, '::before').content);
      assert.match(label, /发稿/);
      await page.screenshot({ path: join(shots, 'care-375-league.png') });
      await page.screenshot({ path: join(shots, 'care-375-league-full.png'), fullPage: true });
    }
    await context.close();
  }
});

test('on a desktop the league is a table, ranked by publications, and sorts by a pressed header', async () => {
  const { page, context, problems } = await reader({ width: 1280 });
  await page.goto(site.url + 'league/', { waitUntil: 'load' });
  assert.equal(await page.$eval('#year tbody tr', (tr) => getComputedStyle(tr).display), 'table-row');
  const ranked = await yearRows(page);
  assert.equal(ranked.length, OFFICES.length);
  // The office that kept all its articles published the most.
  assert.equal(ranked[0].office, '甲街道');
  for (let i = 1; i < ranked.length; i++) assert.ok(ranked[i - 1].publications >= ranked[i].publications, 'ranked by publications');
  await page.click('#year th:has-text("阅读") button');
  let rows = await yearRows(page);
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].reads >= rows[i].reads, 'most read first');
  assert.equal(await page.$eval('#year th[aria-sort]', (th) => th.textContent.trim()), '阅读');
  await page.click('#year th:has-text("阅读") button');
  rows = await yearRows(page);
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].reads <= rows[i].reads, 'pressed again: least read first');
  assert.deepEqual(problems, []);
  await context.close();
});

test('without JavaScript the league table is whole, in rank order', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(site.url + 'league/', { waitUntil: 'load' });
  const rows = await yearRows(page);
  assert.equal(rows.length, OFFICES.length);
  assert.equal(rows[0].rank, '第1名');
  assert.equal(await page.$$eval('#year th button', (b) => b.length), 0, 'no sort buttons without the script');
  await context.close();
});
