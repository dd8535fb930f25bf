// The default theme's layout where elderly readers go: phones from 320px,
// enlarged text (大), 关怀模式 and both, and the browser's own font size
// raised to 20px. No page may scroll sideways; anything that does scroll
// sideways is a labelled, focusable box with a visible cue. In care mode an
// article's first screen shows its title and text, and tap targets are
// 44×44px. Screenshots of each page kind at 375px in care mode go to
// tests/browser/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { servedSample, launch } from './harness.mjs';

const shots = join(import.meta.dirname, 'artifacts');

// The sample article with a table and a footnote.
const ARTICLE = 'articles/2025/06/2025-06-wanghu-neighbour-fair/';
const PAGES = {
  home: '',
  category: 'volunteer/',
  article: ARTICLE,
  person: 'people/zhang-shufen/',
  people: 'people/',
  activities: 'activities/',
  activitiesYear: 'activities/2024/',
  stats: 'stats/',
  search: `search/?q=${encodeURIComponent('志愿服务')}`,
  notFound: 'no-such-page/',
};
const WIDTHS = [320, 360, 375, 1280];
const MODES = {
  normal: {},
  large: { font: 'large' },
  care: { care: true },
  'care+large': { care: true, font: 'large' },
};
const BASES = [16, 20]; // the browser's default font size, px

let site, browser;
before(async () => {
  site = await servedSample();
  browser = await launch();
  mkdirSync(shots, { recursive: true });
});
after(async () => { await browser?.close(); site?.close(); });

/** A page in a fresh context with the reader's settings saved as site.js saves them. */
async function reader({ width, height = 812, mode = {}, base = 16 }) {
  const phone = width < 768;
  const context = await browser.newContext({ viewport: { width, height }, isMobile: phone, hasTouch: phone, deviceScaleFactor: phone ? 2 : 1 });
  await context.addInitScript(({ font, care }) => {
    try {
      if (font) localStorage.setItem('sp-font', font);
      if (care) localStorage.setItem('sp-care', '1');
    } catch (e) { /* the page decides */ }
  }, mode);
  const page = await context.newPage();
  if (base !== 16) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Page.setFontSizes', { fontSizes: { standard: base } });
  }
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { page, context, problems };
}

async function visit(page, path) {
  await page.goto(site.url + path, { waitUntil: 'load' });
  if (path.startsWith('search/')) await page.waitForSelector('.search-result h2 a');
}

/** Sideways overflow of the page, and every box that scrolls sideways with what it offers. */
const measureSideways = (width) => {
  const root = document.scrollingElement;
  // The innermost elements that reach past the window's edge, to say what to fix.
  const scrolled = (el) => { for (let a = el.parentElement; a; a = a.parentElement) if (/auto|scroll/.test(getComputedStyle(a).overflowX)) return true; return false; };
  const past = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > width + 0.5 && !scrolled(el)
    && ![...el.children].some((c) => c.getBoundingClientRect().right > width + 0.5))
    .slice(0, 3).map((el) => `${el.tagName.toLowerCase()}.${el.className || ''} "${el.textContent.trim().slice(0, 12)}" right ${Math.round(el.getBoundingClientRect().right)}`);
  const styles = [getComputedStyle(document.documentElement).overflowX, getComputedStyle(document.body).overflowX];
  const boxes = [...document.querySelectorAll('body *')].filter((el) => {
    const s = getComputedStyle(el);
    return (s.overflowX === 'auto' || s.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1 && el.offsetParent;
  }).map((el) => {
    const hint = el.previousElementSibling;
    return {
      what: el.className || el.tagName,
      focusable: el.tabIndex >= 0,
      role: el.getAttribute('role') || (el.tagName === 'SECTION' ? 'region' : ''),
      label: el.getAttribute('aria-label') || '',
      cue: !!(hint && hint.classList.contains('scroll-hint') && hint.getBoundingClientRect().height > 0),
    };
  });
  return { scroll: root.scrollWidth, inner: window.innerWidth, styles, boxes, past, care: document.documentElement.classList.contains('care') };
};

test('no page scrolls sideways at any width, text size or care mode; wide boxes scroll inside, labelled, with a cue', async () => {
  let checks = 0;
  const failures = [];
  for (const base of BASES) {
    for (const width of WIDTHS) {
      for (const [modeName, mode] of Object.entries(MODES)) {
        const { page, context, problems } = await reader({ width, mode, base });
        for (const [name, path] of Object.entries(PAGES)) {
          await visit(page, path);
          const m = await page.evaluate(measureSideways, width);
          const where = `${name} at ${width}px, ${modeName}, base ${base}px`;
          checks += 1;
          if (!!mode.care !== m.care) failures.push(`${where}: care mode not applied`);
          // On a phone Chromium widens the layout viewport to the content, so the window's own width is the measure.
          if (m.scroll > width || m.inner > width) failures.push(`${where}: page is ${m.scroll}px wide in a ${width}px window: ${m.past.join('; ')}`);
          if (m.styles.some((s) => s === 'hidden' || s === 'clip')) failures.push(`${where}: overflow hidden on the page hides the problem`);
          for (const box of m.boxes) {
            if (!box.focusable || box.role !== 'region' || !box.label || !box.cue) failures.push(`${where}: ${box.what} scrolls sideways: ${JSON.stringify(box)}`);
          }
        }
        assert.deepEqual(problems, []);
        await context.close();
      }
    }
  }
  assert.equal(checks, BASES.length * WIDTHS.length * Object.keys(MODES).length * Object.keys(PAGES).length);
  console.log(`${checks} page views measured`);
  if (failures.length) console.log(failures.join('\n'));
  assert.equal(failures.length, 0, `${failures.length} problems in ${checks} page views (listed above)`);
});

test('care mode on a 375×812 phone: a compact header, and the article title and first lines on the first screen', async () => {
  for (const [modeName, mode] of [['care', MODES.care], ['care+large', MODES['care+large']]]) {
    const { page, context } = await reader({ width: 375, height: 812, mode });
    await visit(page, ARTICLE);
    const m = await page.evaluate(() => {
      const header = document.querySelector('.site-header').getBoundingClientRect();
      const title = document.querySelector('.article-header h1').getBoundingClientRect();
      const first = document.querySelector('.article-body p');
      const line = parseFloat(getComputedStyle(first).lineHeight);
      return { header: header.height, titleBottom: title.bottom, textTop: first.getBoundingClientRect().top, line, screen: innerHeight };
    });
    const where = `${modeName}: ${JSON.stringify(m)}`;
    console.log(where);
    assert.ok(m.header <= m.screen / 3, `the header takes ${m.header}px of ${m.screen}px (${where})`);
    assert.ok(m.titleBottom <= m.screen, `the title ends below the first screen (${where})`);
    assert.ok(m.textTop + 2 * m.line <= m.screen, `fewer than two lines of text on the first screen (${where})`);
    await context.close();
  }
});

/** Visible links, buttons and inputs smaller than 44×44px, except links inside running text. */
const smallTargets = () => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, summary')]
  .filter((el) => {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') return false;
    if (box.right < 0 || box.bottom < 0 || box.left >= innerWidth) return false; // the skip link, until focused
    // WCAG 2.5.5's inline exception: a link in a sentence of body text.
    if (el.closest('.article-body p, .article-body li, .article-body td, .footnote-definition, .stats-as-of, .totals, .search-tip, .search-nojs')) return false;
    return box.width < 43.5 || box.height < 43.5;
  })
  .map((el) => `${el.closest('[class]')?.className}: ${el.tagName.toLowerCase()} "${(el.textContent || el.value || el.placeholder || '').trim().slice(0, 16)}" ${Math.round(el.getBoundingClientRect().width)}×${Math.round(el.getBoundingClientRect().height)}`);

test('care mode: every tap target outside running text is at least 44×44px', async () => {
  const failures = [];
  let targets = 0;
  for (const width of [320, 375, 1280]) {
    for (const mode of [MODES.care, MODES['care+large']]) {
      const { page, context } = await reader({ width, mode });
      for (const [name, path] of Object.entries({ ...PAGES, page2: 'news/page/2/', tags: 'tags/', contact: 'contact/' })) {
        await visit(page, path);
        targets += await page.$$eval('a[href], button, input', (l) => l.length);
        for (const small of await page.evaluate(smallTargets)) failures.push(`${name} at ${width}px${mode.font ? ' (大)' : ''}: ${small}`);
      }
      await context.close();
    }
  }
  console.log(`${targets} targets looked at`);
  assert.ok(targets > 500, `${targets} targets looked at`);
  if (failures.length) console.log(failures.join('\n'));
  assert.equal(failures.length, 0, `${failures.length} small targets (listed above)`);
});

test('phone numbers are tel: links that keep together, e-mail addresses are mailto: links', async () => {
  const { page, context } = await reader({ width: 320, mode: MODES['care+large'], base: 20 });
  for (const path of ['', 'contact/']) {
    await visit(page, path);
    const links = await page.$$eval('a[href^="tel:"], a[href^="mailto:"]', (as) => as.map((a) => ({
      href: a.getAttribute('href'), text: a.textContent.trim(), lines: a.getClientRects().length, inFooter: !!a.closest('.site-footer'),
    })));
    const tel = links.filter((l) => l.href.startsWith('tel:'));
    const mail = links.filter((l) => l.href.startsWith('mailto:'));
    assert.ok(tel.some((l) => l.inFooter) && mail.some((l) => l.inFooter), `${path}: footer links ${JSON.stringify(links)}`);
    for (const l of tel) {
      assert.match(l.href, /^tel:\+?[0-9-]+$/, l.href);
      assert.equal(l.href.replace(/\D/g, ''), l.text.replace(/\D/g, ''), `${l.href} dials what it shows`);
      assert.equal(l.lines, 1, `${l.text} breaks across lines`);
    }
    for (const l of mail) assert.equal(l.href, `mailto:${l.text}`);
    if (path === 'contact/') assert.ok(tel.some((l) => !l.inFooter) && mail.some((l) => !l.inFooter), 'the contact page links them too');
  }
  await context.close();
});

test('care mode on a desktop keeps the header in line', async () => {
  for (const mode of [MODES.normal, MODES.care, MODES['care+large']]) {
    const { page, context } = await reader({ width: 1280, height: 900, mode });
    await visit(page, ARTICLE);
    const m = await page.evaluate(() => {
      const box = (s) => document.querySelector(s).getBoundingClientRect();
      return {
        title: box('.site-title'), search: box('.search-box'), tools: box('.reader-tools'), inner: box('.header-inner'),
        underline: getComputedStyle(document.querySelector('.site-name')).textDecorationLine
          + getComputedStyle(document.querySelector('.site-title')).textDecorationLine,
      };
    });
    const where = `${mode.care ? 'care' : 'normal'}${mode.font ? '+大' : ''}`;
    assert.ok(!m.underline.includes('underline'), `${where}: the site title is underlined`);
    // The title on the left, search and tools together on its right, not dropped below it.
    assert.ok(m.search.left > m.title.right && m.tools.left > m.title.right, `${where}: tools beside the title ${JSON.stringify(m)}`);
    assert.ok(Math.abs(m.search.right - m.tools.right) <= 1, `${where}: search box and tools share a right edge ${m.search.right} ${m.tools.right}`);
    assert.ok(m.search.top >= m.inner.top && m.tools.bottom <= m.inner.bottom, `${where}: inside the header`);
    await context.close();
  }
});

test('screenshots: each page kind at 375px in care mode', async () => {
  const { page, context } = await reader({ width: 375, height: 812, mode: MODES.care });
  // The first screen of every page kind, the whole page where it is not dozens of screens long,
  // and close-ups of what reflows or scrolls: activity cards, the article's table and footnote, a stats table.
  const closeUps = { home: 'table.activities tbody tr:first-child', article: '.article-body .table-wrap', activities: 'table.activities', stats: '.stats-section .table-wrap' };
  for (const [name, path] of Object.entries(PAGES)) {
    await visit(page, path);
    await page.screenshot({ path: join(shots, `care-375-${name}.png`) });
    if (['article', 'person', 'search', 'notFound'].includes(name)) await page.screenshot({ path: join(shots, `care-375-${name}-full.png`), fullPage: true });
    if (closeUps[name]) {
      const box = await page.locator(closeUps[name]).first().boundingBox();
      await page.screenshot({ path: join(shots, `care-375-${name}-detail.png`), fullPage: true,
        clip: { x: 0, y: Math.max(0, box.y - 80), width: 375, height: Math.min(box.height + 160, 1600) } });
    }
  }
  await context.close();
});
