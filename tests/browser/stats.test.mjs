// The /stats/ page as a reader sees it: on a phone the charts shrink to fit
// and the page does not scroll sideways; every chart is drawn, with a table
// of the same figures beside it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { servedSample, launch, openPage } from './harness.mjs';

let site, browser;
before(async () => { site = await servedSample(); browser = await launch(); });
after(async () => { await browser?.close(); site?.close(); });

test('stats page fits a phone and draws every chart', async () => {
  const { page, problems, context } = await openPage(browser, `${site.url}stats/`, { viewport: { width: 375, height: 800 } });
  const charts = await page.$$eval('svg.chart', (svgs) => svgs.map((svg) => {
    const box = svg.getBoundingClientRect();
    const section = svg.closest('section');
    return { width: box.width, height: box.height, bars: svg.querySelectorAll('[data-value]').length,
      tableRows: section.querySelectorAll('tbody tr').length };
  }));
  assert.ok(charts.length >= 6, `${charts.length} charts`);
  for (const chart of charts) {
    assert.ok(chart.width > 100 && chart.width <= 375, `chart width ${chart.width}`);
    assert.ok(chart.height > 20, `chart height ${chart.height}`);
    assert.ok(chart.bars > 0 && chart.tableRows > 0, JSON.stringify(chart));
  }
  const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(sideways <= 0, `the page scrolls sideways by ${sideways}px`);
  assert.deepEqual(problems, []);
  await context.close();
});
