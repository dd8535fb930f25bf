// What a reader finds on the sample site's index pages, activity records,
// footnotes and shared links: the index of honoured residents lists every
// one of them; activity records are grouped by month with an anchor each, and
// a search result for a record lands on its row; footnotes sit under 注释
// with a way back, their markers big enough for a finger in care mode; every
// page kind carries a share image at an absolute URL that loads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { servedSample, launch, openPage } from './harness.mjs';

const ARTICLE = 'articles/2025/06/2025-06-wanghu-neighbour-fair/';

let site, browser;
before(async () => {
  site = await servedSample();
  browser = await launch();
});
after(async () => { await browser?.close(); site?.close(); });

/** The residents' pages, as the sitemap lists them (site paths). */
function residentPaths() {
  const sitemap = readFileSync(join(site.dir, 'sitemap.xml'), 'utf8');
  return [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)]
    .map((m) => new URL(m[1]).pathname.slice(1))
    .filter((p) => /^people\/[^/]+\/$/.test(p));
}

test('/people/ lists every honoured resident with a photo or initial, name and titles; residents link back to it', async () => {
  const residents = residentPaths();
  assert.ok(residents.length >= 6, `residents in the sitemap: ${residents}`);
  assert.match(readFileSync(join(site.dir, 'sitemap.xml'), 'utf8'), /<loc>[^<]*\/people\/<\/loc>/, 'the index is in the sitemap');
  const { page, context, problems } = await openPage(browser, site.url + 'people/', { viewport: { width: 375, height: 812 } });
  assert.equal(await page.textContent('h1'), '好人名录');
  const cards = await page.$$eval('.person-card', (cards) => cards.map((card) => ({
    href: new URL(card.querySelector('h3 a').href).pathname,
    name: card.querySelector('h3').textContent.trim(),
    picture: !!card.querySelector('img[alt$="的照片"], .avatar'),
    honors: [...card.querySelectorAll('.honor-list li')].map((li) => li.textContent.trim()),
  })));
  assert.deepEqual(cards.map((c) => c.href.slice(1)).sort(), residents.sort(), 'one card per resident');
  for (const card of cards) {
    assert.ok(card.name && card.picture, `${card.href}: name and picture`);
    assert.ok(card.honors.length > 0 && card.honors.every((h) => /^\d{4}年 \S/.test(h)), `${card.href}: titles ${card.honors}`);
  }
  assert.ok(await page.$('img[alt="张淑芬的照片"]'), 'a resident with a photo shows it');
  // Her page's trail leads back to the index; the home page and the models page link to it.
  await page.goto(site.url + 'people/zhang-shufen/');
  const trail = await page.$$eval('.breadcrumb a', (as) => as.map((a) => [a.textContent, new URL(a.href).pathname]));
  assert.ok(trail.some(([name, path]) => name === '好人名录' && path === '/people/'), JSON.stringify(trail));
  for (const path of ['', 'models/']) {
    await page.goto(site.url + path);
    assert.ok(await page.$('main a[href="/people/"]'), `${path || 'home'} links to /people/`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('/activities/ groups records by month, newest first, each month and record with an anchor', async () => {
  const { page, context, problems } = await openPage(browser, site.url + 'activities/', { viewport: { width: 375, height: 812 } });
  const months = await page.$$eval('section.activity-month', (sections) => sections.map((s) => ({
    id: s.id, heading: s.querySelector('h2').textContent, rows: [...s.querySelectorAll('tbody tr')].map((tr) => tr.id),
    dates: [...s.querySelectorAll('tbody time')].map((t) => t.getAttribute('datetime').slice(0, 7)),
  })));
  assert.ok(months.length >= 2, JSON.stringify(months));
  assert.equal(months[0].id, '2025-10', 'the newest month first');
  const ids = months.map((m) => m.id);
  assert.deepEqual(ids, [...ids].sort().reverse(), 'newest first');
  for (const m of months) {
    assert.match(m.id, /^\d{4}-\d{2}$/);
    const [y, mo] = m.id.split('-').map(Number);
    assert.ok(m.heading.startsWith(`${y}年${mo}月`), m.heading);
    assert.ok(m.rows.length > 0 && m.rows.every((id) => id.startsWith(`r-${m.id}-`)), `${m.id}: ${m.rows}`);
    assert.ok(m.dates.every((d) => d === m.id), `${m.id}: records of that month only`);
  }
  // Older records are on their year's page, reached from here, with every month of the year.
  const yearLink = await page.$('.year-nav a[href="/activities/2024/"]');
  assert.ok(yearLink, 'a link to 2024');
  await Promise.all([page.waitForURL('**/activities/2024/'), yearLink.click()]);
  const yearMonths = await page.$$eval('section.activity-month', (ss) => ss.map((s) => s.id));
  assert.deepEqual(yearMonths, Array.from({ length: 12 }, (_, i) => `2024-${String(12 - i).padStart(2, '0')}`));
  const jump = await page.$$eval('.month-nav a', (as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(jump, yearMonths.map((id) => `#${id}`), 'a jump link per month');
  // Every record of the site is on its year's page, once.
  let records = 0;
  for (const year of ['2023', '2024', '2025']) {
    await page.goto(site.url + `activities/${year}/`);
    const rows = await page.$$eval('tbody tr', (trs) => trs.map((tr) => tr.id));
    assert.equal(new Set(rows).size, rows.length, `${year}: anchors are unique`);
    records += rows.length;
  }
  assert.equal(records, 65);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a search result for an activity record lands on its row', async () => {
  const { page, context, problems } = await openPage(browser, site.url + `search/?q=${encodeURIComponent('高温送清凉')}`,
    { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  await page.waitForSelector('.search-result h2 a');
  const results = await page.$$eval('.search-result h2 a', (as) => as.map((a) => ({ text: a.textContent, href: a.getAttribute('href') })));
  const record = results.find((r) => /\/activities\/\d{4}\/#r-/.test(r.href));
  assert.ok(record, `an activity result: ${JSON.stringify(results)}`);
  await Promise.all([page.waitForURL(/#r-/), page.click(`.search-result h2 a[href="${record.href}"]`)]);
  await page.waitForFunction(() => document.querySelector(':target'));
  const landed = await page.evaluate(() => {
    const row = document.querySelector(':target');
    const box = row.getBoundingClientRect();
    return { tag: row.tagName, id: row.id, text: row.textContent, top: box.top, bottom: box.bottom, height: innerHeight };
  });
  assert.equal(landed.tag, 'TR');
  assert.equal(`#${landed.id}`, new URL(record.href, site.url).hash);
  assert.ok(landed.text.includes('高温送清凉'), landed.text);
  assert.ok(landed.top >= 0 && landed.top < landed.height / 2, `the row is at the top of the screen: ${JSON.stringify(landed)}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('footnotes: under 注释 at the end, a link back from each, markers 44×44px in care mode', async () => {
  const { page, context, problems } = await openPage(browser, site.url + ARTICLE, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  const notes = await page.evaluate(() => {
    const section = document.querySelector('.article-body .footnotes');
    const heading = section?.querySelector('h2');
    const paragraphs = [...document.querySelectorAll('.article-body > p')];
    return {
      heading: heading?.textContent,
      afterText: !!section && paragraphs.every((p) => p.compareDocumentPosition(section) & Node.DOCUMENT_POSITION_FOLLOWING),
      notes: [...section.querySelectorAll('li')].map((li) => ({ id: li.id, back: li.querySelector('a.footnote-back')?.getAttribute('href'), text: li.textContent })),
      markers: [...document.querySelectorAll('.article-body sup.footnote-ref')].map((s) => ({ id: s.id, href: s.querySelector('a').getAttribute('href'), text: s.textContent })),
    };
  });
  assert.equal(notes.heading, '注释');
  assert.ok(notes.afterText, 'the notes come after the text');
  assert.equal(notes.notes.length, 1);
  assert.equal(notes.markers.length, 1);
  assert.equal(notes.markers[0].href, `#${notes.notes[0].id}`);
  assert.equal(notes.notes[0].back, `#${notes.markers[0].id}`);
  assert.ok(notes.notes[0].text.includes('↩ 返回正文'));
  // Tap the marker: the note is in view; tap 返回正文: the marker is.
  await page.tap('sup.footnote-ref a');
  await page.waitForFunction(() => document.querySelector(':target')?.tagName === 'LI');
  const inView = (selector) => page.evaluate((s) => {
    const box = document.querySelector(s).getBoundingClientRect();
    return box.top >= 0 && box.bottom <= innerHeight;
  }, selector);
  assert.ok(await inView('.footnotes li'), 'the note is on screen');
  await page.tap('a.footnote-back');
  await page.waitForFunction(() => document.querySelector(':target')?.tagName === 'SUP');
  assert.ok(await inView('sup.footnote-ref'), 'back at the marker');
  assert.deepEqual(problems, []);
  await context.close();
  // In care mode the marker and the way back are big enough to tap, and the line keeps its height.
  for (const font of [null, 'large']) {
    const care = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    await care.addInitScript((f) => { localStorage.setItem('sp-care', '1'); if (f) localStorage.setItem('sp-font', f); }, font);
    const p = await care.newPage();
    await p.goto(site.url + ARTICLE);
    const sizes = await p.evaluate(() => {
      const box = (s) => document.querySelector(s).getBoundingClientRect();
      const para = document.querySelector('sup.footnote-ref').closest('p');
      const line = parseFloat(getComputedStyle(para).lineHeight);
      const lines = para.getClientRects()[0].height / line;
      return { marker: box('sup.footnote-ref a'), back: box('a.footnote-back'), lines, care: document.documentElement.classList.contains('care') };
    });
    assert.ok(sizes.care);
    for (const [name, b] of [['marker', sizes.marker], ['back link', sizes.back]]) {
      assert.ok(b.width >= 43.5 && b.height >= 43.5, `${font || 'care'}: ${name} ${b.width}×${b.height}`);
    }
    assert.ok(Math.abs(sizes.lines - Math.round(sizes.lines)) < 0.2, `the marker does not open up its line (${sizes.lines} lines)`);
    await care.close();
  }
});

test('every page kind has og:image and twitter:image at an absolute URL that loads', async () => {
  const pages = {
    home: ['', /\/images\/share-\d+\.png$/],
    category: ['volunteer/', /\/images\/share-\d+\.png$/],
    'article with a cover': ['articles/2024/07/2024-07-garbage-sorting-new-rules/', /\/images\/garbage-sorting-\d+\.jpg$/],
    'article without one': [ARTICLE, /\/images\/share-\d+\.png$/],
    'resident with a photo': ['people/zhang-shufen/', /\/people\/zhang-shufen-\d+\.jpg$/],
    'resident without one': ['people/liu-jianguo/', /\/images\/share-\d+\.png$/],
    people: ['people/', /share/], activities: ['activities/', /share/], 'activities of a year': ['activities/2024/', /share/],
    stats: ['stats/', /share/], search: ['search/', /share/], tags: ['tags/', /share/], archive: ['archive/', /share/],
    community: ['communities/', /share/], page: ['contact/', /share/], '404': ['404.html', /share/],
  };
  const { page, context } = await openPage(browser, site.url, { allow404: true });
  for (const [name, [path, expected]] of Object.entries(pages)) {
    await page.goto(site.url + path);
    const meta = await page.evaluate(() => ({
      og: [...document.querySelectorAll('meta[property="og:image"]')].map((m) => m.content),
      twitter: [...document.querySelectorAll('meta[name="twitter:image"]')].map((m) => m.content),
    }));
    assert.equal(meta.og.length, 1, `${name}: one og:image`);
    assert.deepEqual(meta.twitter, meta.og, `${name}: twitter:image the same`);
    const image = new URL(meta.og[0]);
    assert.match(meta.og[0], /^https?:\/\//, `${name}: absolute`);
    assert.equal(image.origin + '/', site.url, `${name}: on the site (base_url)`);
    assert.match(image.pathname, expected, name);
    const response = await page.request.get(meta.og[0]);
    assert.equal(response.status(), 200, `${name}: ${meta.og[0]}`);
    assert.match(response.headers()['content-type'], /^image\/(png|jpeg|webp)$/, `${name}: a picture WeChat can show`);
  }
  await context.close();
});
