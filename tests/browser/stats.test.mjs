// The /stats/ page as a reader sees it: on a phone the page does not scroll
// sideways; every chart is drawn, with a table of the same figures beside
// it. A chart's labels are drawn at the size of the text around it (at least
// the body text's size in care mode), so a wide chart scrolls inside a
// labelled, focusable box rather than shrinking its labels to 6px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { servedSample, launch, openPage } from './harness.mjs';
import { axeViolations } from './axe.mjs';

let site, browser;
before(async () => { site = await servedSample(); browser = await launch(); });
after(async () => { await browser?.close(); site?.close(); });

const PHONE = { viewport: { width: 375, height: 800 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** The stats page with care mode saved as site.js saves it. */
async function openStats(options, care) {
  const context = await browser.newContext(options);
  if (care) await context.addInitScript(() => localStorage.setItem('sp-care', '1'));
  const page = await context.newPage();
  await page.goto(`${site.url}stats/`, { waitUntil: 'load' });
  return { page, context };
}

/** Every chart label's size as drawn on the screen, against the body text's. */
const labelSizes = () => {
  const body = parseFloat(getComputedStyle(document.body).fontSize);
  const labels = [...document.querySelectorAll('svg.chart text')].map((t) => ({
    text: t.textContent, drawn: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
  }));
  return { body, labels, care: document.documentElement.classList.contains('care') };
};

test('stats page fits a phone and draws every chart', async () => {
  const { page, problems, context } = await openPage(browser, `${site.url}stats/`, { viewport: { width: 375, height: 800 } });
  const charts = await page.$$eval('svg.chart', (svgs) => svgs.map((svg) => {
    const box = svg.getBoundingClientRect();
    const section = svg.closest('.stats-section');
    return { width: box.width, height: box.height, boxWidth: svg.closest('.chart-wrap').getBoundingClientRect().width,
      bars: svg.querySelectorAll('[data-value]').length, tableRows: section.querySelectorAll('tbody tr').length };
  }));
  assert.ok(charts.length >= 6, `${charts.length} charts`);
  for (const chart of charts) {
    assert.ok(chart.width > 100 && chart.height > 20, JSON.stringify(chart));
    assert.ok(chart.boxWidth <= 375, `the chart's box is ${chart.boxWidth}px wide`);
    assert.ok(chart.bars > 0 && chart.tableRows > 0, JSON.stringify(chart));
  }
  const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(sideways <= 0, `the page scrolls sideways by ${sideways}px`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('chart labels: at least the body text size in care mode on a phone, 13px or more otherwise', async () => {
  for (const [care, options] of [[true, PHONE], [false, PHONE], [false, { viewport: { width: 1280, height: 900 } }]]) {
    const { page, context } = await openStats(options, care);
    const m = await page.evaluate(labelSizes);
    assert.equal(m.care, care);
    assert.ok(m.labels.length > 50, `${m.labels.length} labels`);
    const least = care ? m.body : 13;
    const small = m.labels.filter((l) => l.drawn < least - 0.01);
    const where = `${care ? 'care' : 'normal'} at ${options.viewport.width}px`;
    assert.deepEqual(small.slice(0, 5), [], `${where}: ${small.length} labels below ${least}px`);
    console.log(`${where}: ${m.labels.length} labels, smallest ${Math.min(...m.labels.map((l) => l.drawn)).toFixed(1)}px, body ${m.body}px`);
    await context.close();
  }
});

test('wide charts and tables scroll in focusable, labelled regions with a visible cue, and axe passes', async () => {
  for (const care of [true, false]) {
    const { page, context } = await openStats(PHONE, care);
    const boxes = await page.$$eval('.chart-wrap, .table-wrap', (els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => {
      const hint = el.previousElementSibling;
      return { what: el.className, focusable: el.tabIndex >= 0, role: el.getAttribute('role') || (el.tagName === 'SECTION' ? 'region' : ''),
        label: el.getAttribute('aria-label') || '', cue: !!(hint?.classList.contains('scroll-hint') && hint.getBoundingClientRect().height > 0) };
    }));
    assert.ok(boxes.some((b) => b.what === 'chart-wrap'), `some chart scrolls sideways on a phone: ${JSON.stringify(boxes)}`);
    for (const box of boxes) assert.ok(box.focusable && box.role === 'region' && box.label && box.cue, JSON.stringify(box));
    assert.deepEqual(await axeViolations(page), [], `/stats/ at 375px${care ? ' in care mode' : ''}`);
    await context.close();
  }
});
