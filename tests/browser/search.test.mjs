// Search in a real browser against the built site: the sample site and a
// generated one. For many substrings picked at random from article bodies
// (most of them cutting across words), the search finds exactly the items
// whose text has them; title hits come first; snippets mark the query; the
// query lives in the URL; without JavaScript the page says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { servedSample, launch, openPage, repoRoot } from './harness.mjs';

let sample, generated, generatedRoot, chunked, chunkedRoot, browser;

/** A small deterministic generator, so that a failure can be replayed. */
function random(seed) {
  let state = seed >>> 0;
  return (n) => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state % n;
  };
}

const WORDS = ['社区', '志愿', '服务', '志愿服务', '老年人', '智能手机', '反诈', '宣传', '网格员', '居民', '党群',
  '服务中心', '垃圾分类', '文明', '实践', '理论', '宣讲', '活动', '街道', '洸河', '锦绣', '楼道', '义诊', '课堂',
  '防骗', '养老金', '快递', '验证码', '电梯', '加装', '改造', '雷锋', '民法典', '汛期', '演练', '暴雨', '好人',
  '食堂', '助老', '走访', '網格員', '誌願服務', '５Ｇ', '5G', '2024年', 'Wi-Fi', 'Guanghe', '的', '了', '和', '在'];
const MARKS = ['，', '。', '、', '“', '”', '！', '：'];

/** A site of 150 generated articles, plus a draft and a future one that must never be found. */
function generatedSite() {
  const root = mkdtempSync(join(tmpdir(), 'streetpress-search-'));
  const pick = random(20240315);
  const words = (n) => {
    let text = '';
    for (let i = 0; i < n; i++) {
      text += WORDS[pick(WORDS.length)];
      if (pick(6) === 0) text += MARKS[pick(MARKS.length)];
    }
    return text;
  };
  writeFileSync(join(root, 'site.toml'), [
    'title = "洸河街道"', 'base_url = "https://example.gov.cn/guanghe/"', 'timezone = "Asia/Shanghai"',
    '[[categories]]', 'key = "volunteer"', 'name = "志愿服务"', '[[categories]]', 'key = "news"', 'name = "工作动态"', '',
  ].join('\n'));
  mkdirSync(join(root, 'content', 'articles'), { recursive: true });
  for (let i = 0; i < 150; i++) {
    const paragraphs = Array.from({ length: 1 + pick(4) }, () => words(10 + pick(80)));
    const date = `2024-${String(1 + pick(12)).padStart(2, '0')}-${String(1 + pick(28)).padStart(2, '0')}`;
    writeFileSync(join(root, 'content', 'articles', `a${i}.md`),
      `---\ntitle: "${words(2 + pick(5)).replace(/"/g, '')}"\ndate: ${date}\ncategory: ${pick(2) ? 'volunteer' : 'news'}\n---\n\n${paragraphs.join('\n\n')}\n`);
  }
  writeFileSync(join(root, 'content', 'articles', 'draft.md'), '---\ntitle: 草稿\ndate: 2024-01-01\ndraft: true\n---\n\n草稿专用词语\n');
  writeFileSync(join(root, 'content', 'articles', 'future.md'), '---\ntitle: 未来\ndate: 2999-01-01\n---\n\n未来专用词语\n');
  return root;
}

/**
 * A site of 400 articles where 志愿服务 is in every one, many times, so that
 * its trigrams' lists are split into chunks (more than 8 KB each), and
 * 洸河社区 in about a third; both in the titles of a few, old ones too.
 */
function chunkedSite() {
  const root = mkdtempSync(join(tmpdir(), 'streetpress-chunks-'));
  const pick = random(777);
  // Words that make neither term by chance, so that the titles with them are the chosen ones.
  const own = WORDS.filter((w) => !/志|誌|服|洸/.test(w));
  const words = (n) => Array.from({ length: n }, () => own[pick(own.length)] + (pick(5) ? '' : '，')).join('');
  writeFileSync(join(root, 'site.toml'), [
    'title = "洸河街道"', 'base_url = "https://example.gov.cn/guanghe/"', 'timezone = "Asia/Shanghai"',
    '[[categories]]', 'key = "news"', 'name = "工作动态"', '',
  ].join('\n'));
  mkdirSync(join(root, 'content', 'articles'), { recursive: true });
  for (let i = 0; i < 400; i++) {
    const paragraphs = Array.from({ length: 60 }, () => `志愿服务${words(2 + pick(6))}。`);
    if (pick(3) === 0) paragraphs.push(`洸河社区${words(3)}。`);
    let title = words(2 + pick(3)).replace(/[，"]/g, '');
    if (i % 37 === 5) title = `志愿服务${title}`;
    if (i % 41 === 7) title = `洸河社区${title}`;
    // One article a day, going back from 2024-12-31: article i is item i.
    const date = new Date(Date.UTC(2024, 11, 31) - i * 86400000).toISOString().slice(0, 10);
    writeFileSync(join(root, 'content', 'articles', `c${i}.md`),
      `---\ntitle: "${title}"\ndate: ${date}\n---\n\n${paragraphs.join('\n\n')}\n`);
  }
  return root;
}

before(async () => {
  browser = await launch();
  sample = await servedSample();
  generatedRoot = generatedSite();
  generated = await servedSample(generatedRoot);
  chunkedRoot = chunkedSite();
  chunked = await servedSample(chunkedRoot);
});
after(async () => { await browser?.close(); sample?.close(); generated?.close(); chunked?.close(); });

/** Waits for the page's search of `query` to show its first results. */
async function searched(page, query) {
  await page.waitForFunction((q) => window.streetpressSearch?.last?.query === q, query);
  return page.evaluate(() => window.streetpressSearch.last);
}

/** Every record of the site, read by the page itself, with the units of each field. */
async function allRecords(page) {
  return page.evaluate(async () => {
    const s = window.streetpressSearch;
    const meta = await (await fetch(document.querySelector('script[data-index]').dataset.index + 'meta.json')).json();
    const records = [];
    for (let doc = 0; doc < meta.docs; doc++) {
      const r = await s.record(doc);
      const fields = [r.t, ...(r.m || []), r.c, r.x];
      records.push({ doc, title: r.t, date: r.d, fields: await Promise.all(fields.map((f) => s.units(f || ''))) });
    }
    return records;
  });
}

/** The answer worked out from the text alone. */
function expected(records, terms) {
  const has = (units, term) => {
    outer: for (let i = 0; i + term.length <= units.length; i++) {
      for (let j = 0; j < term.length; j++) if (units[i + j] !== term[j]) continue outer;
      return true;
    }
    return false;
  };
  return records
    .filter((r) => terms.every((t) => r.fields.some((f) => has(f, t))))
    .map((r) => ({ doc: r.doc, titleTerms: terms.filter((t) => has(r.fields[0], t)).length }))
    .sort((a, b) => b.titleTerms - a.titleTerms || a.doc - b.doc);
}

/** Runs each query through the page's search and compares it with the text itself. */
async function checkRecall(page, records, queries) {
  for (const query of queries) {
    const [terms, got] = await page.evaluate(async (q) => [await window.streetpressSearch.terms(q), await window.streetpressSearch.search(q)], query);
    assert.deepEqual(got, expected(records, terms), `query ${JSON.stringify(query)}`);
  }
}

/** Substrings of 2 to 6 characters picked at random from Markdown bodies, outside markup. */
function substrings(bodies, count, seed) {
  const pick = random(seed);
  const picked = [];
  while (picked.length < count) {
    const { body, title } = bodies[pick(bodies.length)];
    const length = 2 + pick(5);
    const start = pick(Math.max(1, body.length - length));
    const text = body.slice(start, start + length);
    // Chinese characters and Chinese punctuation only, with at least two characters to find.
    if (!/^[\p{Script=Han}，。、“”！：；？（）]+$/u.test(text) || text.replace(/\P{Script=Han}/gu, '').length < 2) continue;
    picked.push({ text, title });
  }
  return picked;
}

function markdownBodies(root) {
  const files = [];
  const walk = (dir) => readdirSync(dir).forEach((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path); else if (name.endsWith('.md')) files.push(path);
  });
  walk(join(root, 'content', 'articles'));
  return files.map((path) => {
    const text = readFileSync(path, 'utf8');
    const [, front, body] = text.split(/^---\s*$/m);
    const title = /^title:\s*(.*)$/m.exec(front)[1].trim().replace(/^["']|["']$/g, '');
    return { body, title, draft: /^draft:\s*true/m.test(front), future: /^date:\s*2999/m.test(front) };
  }).filter((b) => !b.draft && !b.future);
}

for (const which of ['sample', 'generated']) {
  test(`${which} site: random substrings of article bodies find exactly the items that have them`, async () => {
    const site = which === 'sample' ? sample : generated;
    const { page, context, problems } = await openPage(browser, `${site.url}search/`);
    await page.waitForFunction(() => window.streetpressSearch);
    const records = await allRecords(page);
    const bodies = markdownBodies(which === 'sample' ? repoRoot : generatedRoot);
    assert.ok(bodies.length >= 30, `${bodies.length} articles`);
    const picked = substrings(bodies, 150, which === 'sample' ? 7 : 11);
    await checkRecall(page, records, picked.map((p) => p.text));
    // The article each substring was cut from is among the results.
    for (const { text, title } of picked) {
      const hits = await page.evaluate((q) => window.streetpressSearch.search(q), text);
      assert.ok(hits.some((h) => records[h.doc].title === title), `"${text}" finds “${title}”`);
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('generated site: several terms, traditional and full-width forms, Latin words and numbers', async () => {
  const { page, context } = await openPage(browser, `${generated.url}search/`);
  await page.waitForFunction(() => window.streetpressSearch);
  const records = await allRecords(page);
  const queries = ['志愿服务 洸河', '网格员', '網格員', '反詐 宣傳', '5G', '５ｇ', 'wi-fi', 'WI FI', 'guanghe', '2024年',
    '社', '务中', '服务中心 垃圾分类 老年人', '草稿专用词语', '未来专用词语'];
  await checkRecall(page, records, queries);
  const count = (q) => page.evaluate((query) => window.streetpressSearch.search(query).then((h) => h.length), q);
  assert.ok(await count('志愿服务 洸河') > 0);
  assert.equal(await count('網格員'), await count('网格员'));
  assert.equal(await count('５ｇ'), await count('5G'));
  assert.equal(await count('草稿专用词语'), 0, 'a draft is never found');
  assert.equal(await count('未来专用词语'), 0, 'a future article is never found');
  await context.close();
});

test('sample site: title hits first, then newest first; snippets mark the query', async () => {
  const { page, context, problems } = await openPage(browser, `${sample.url}search/?q=${encodeURIComponent('反诈')}`);
  const last = await searched(page, '反诈');
  assert.ok(last.count >= 5, `${last.count} results`);
  await page.evaluate(() => { document.getElementById('search-more').click(); });
  // Scroll every result into view so that each one is shown.
  for (let i = 0; i < 5; i++) { await page.mouse.wheel(0, 5000); await page.waitForTimeout(100); }
  await page.waitForFunction(() => !document.querySelector('.search-result[aria-busy]'));
  const results = await page.$$eval('.search-result', (items) => items.map((li) => ({
    title: li.querySelector('h2').textContent,
    date: li.querySelector('time')?.getAttribute('datetime') || '',
    marks: [...li.querySelectorAll('mark')].map((m) => m.textContent),
    snippetMarks: [...li.querySelectorAll('.snippet mark')].map((m) => m.textContent),
  })));
  assert.equal(results.length, last.count);
  const inTitle = results.map((r) => r.title.includes('反诈'));
  const firstPlain = inTitle.indexOf(false);
  assert.ok(firstPlain > 0, 'some results have 反诈 in the title');
  assert.ok(inTitle.slice(firstPlain).every((t) => !t), 'title hits come first');
  for (const group of [results.slice(0, firstPlain), results.slice(firstPlain)]) {
    const dates = group.map((r) => r.date).filter(Boolean);
    assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first within a group');
  }
  for (const r of results) {
    assert.ok(r.marks.length > 0, `“${r.title}” has a marked hit`);
    assert.ok(r.marks.every((m) => m === '反诈'), `marks of “${r.title}”: ${r.marks}`);
  }
  assert.ok(results.some((r) => r.snippetMarks.length > 0), 'snippets mark the query');

  // A term that spans two words, and a query with two terms: every snippet or title marks them.
  for (const query of ['老年人智能手机', '志愿服务 锦绣社区']) {
    await page.fill('#search-query', query);
    await page.click('.search-row button');
    const shown = await searched(page, query);
    assert.ok(shown.count > 0, query);
    await page.waitForSelector('.search-result:not([aria-busy]) mark');
    const marks = await page.$$eval('.search-result:not([aria-busy]) mark', (ms) => ms.map((m) => m.textContent));
    const terms = query.split(' ');
    assert.ok(marks.every((m) => terms.includes(m.replace(/[“”「」\s]/g, ''))), `${query}: ${marks}`);
    assert.equal(new URL(page.url()).searchParams.get('q'), query, 'the query is in the URL');
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('the header box leads to the search page, the URL keeps the query, and back works', async () => {
  const { page, context, problems } = await openPage(browser, sample.url);
  await page.fill('#search-box-q', '反诈');
  await Promise.all([page.waitForURL(/\/search\/\?q=/), page.press('#search-box-q', 'Enter')]);
  const first = await searched(page, '反诈');
  assert.ok(first.count > 0);
  assert.equal(await page.inputValue('#search-query'), '反诈');
  // A shared link opens with the same results.
  const shared = await context.newPage();
  await shared.goto(page.url());
  assert.equal((await searched(shared, '反诈')).count, first.count);
  await page.fill('#search-query', '垃圾分类');
  await page.click('.search-row button');
  await searched(page, '垃圾分类');
  await page.goBack();
  await searched(page, '反诈');
  assert.equal(await page.inputValue('#search-query'), '反诈');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a two-term query downloads little, on a slow phone', async () => {
  const phone = { viewport: { width: 393, height: 851 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2.75 };
  const { page, context, problems } = await openPage(browser, `${sample.url}search/`, phone);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  let bytes = 0;
  page.on('response', async (r) => { if (/\/search\/(meta\.json|[bkd]\/)/.test(r.url())) bytes += (await r.body()).length; });
  await page.fill('#search-query', '志愿服务 社区');
  await page.click('.search-row button');
  const shown = await searched(page, '志愿服务 社区');
  await page.waitForTimeout(300);
  assert.ok(shown.count > 10, `${shown.count} results`);
  assert.ok(bytes < 150_000, `${bytes} bytes downloaded`);
  // Only the results in view were downloaded, not all of them.
  const loaded = await page.$$eval('.search-result:not([aria-busy])', (l) => l.length);
  assert.ok(loaded < 10, `${loaded} results downloaded`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('lists in chunks: the first page needs only the first chunks, paging on finds every item in order', async () => {
  const files = [];
  const walk = (dir) => readdirSync(dir).forEach((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path); else files.push(path);
  });
  walk(join(chunked.dir, 'search', 'k'));
  const chunks = files.filter((f) => /-\d+-\d+\.bin$/.test(f));
  assert.ok(chunks.length >= 4, `${chunks.length} chunk files`);
  const listBytes = files.reduce((sum, f) => sum + statSync(f).size, 0);

  const { page, context, problems } = await openPage(browser, `${chunked.url}search/`);
  await page.waitForFunction(() => window.streetpressSearch);
  const records = await allRecords(page);
  assert.equal(records.length, 400);
  // Every item is found once every chunk is in.
  await checkRecall(page, records, ['志愿服务', '洸河社区', '志愿服务 洸河社区', '洸河社区 志愿服务', '服务 志愿服务', '愿服务洸']);
  await context.close();

  for (const query of ['志愿服务', '志愿服务 洸河社区']) {
    const { page, context, problems } = await openPage(browser, `${chunked.url}search/?q=${encodeURIComponent(query)}`);
    let bytes = 0;
    page.on('response', async (r) => { if (/\/search\/k\//.test(r.url())) bytes += (await r.body()).length; });
    const last = await searched(page, query);
    const terms = await page.evaluate((q) => window.streetpressSearch.terms(q), query);
    const want = expected(records, terms).map((h) => h.doc);
    assert.ok(want.length > 100, `${query}: ${want.length} results`);
    assert.equal(last.complete, false, `${query}: not every chunk is needed for the first page`);
    const status = await page.textContent('#search-status');
    assert.ok(status.includes(`至少 ${last.count} 条`) && last.count < want.length, `${query}: ${status}`);
    const shownDocs = () => page.$$eval('.search-result', (items) => items.map((li) => Number(li.dataset.doc)));
    // The first page: title hits first, old ones too, then the newest others.
    const first = await shownDocs();
    assert.deepEqual(first, want.slice(0, 10), query);
    assert.ok(first.some((doc) => doc > 200), `${query}: an old title hit is on the first page`);
    await page.waitForTimeout(200);
    assert.ok(bytes < listBytes / 2, `${query}: ${bytes} bytes of the ${listBytes} of large lists`);
    // Paging on to the end shows every result, in order, and the count becomes exact.
    for (let pages = 0; !(await page.isHidden('#search-more')); pages++) {
      assert.ok(pages < 60, 'the more button goes away at the end');
      const before = (await shownDocs()).length;
      await page.click('#search-more');
      await page.waitForFunction((n) => document.querySelectorAll('.search-result').length > n ||
        document.getElementById('search-more').hidden, before);
    }
    assert.deepEqual(await shownDocs(), want, query);
    assert.equal(await page.textContent('#search-status'), `找到 ${want.length} 条${terms.length > 1 ? '同时包含这些词' : `包含“${query}”`}的结果`);
    assert.deepEqual(problems, []);
    await context.close();
  }
  assert.deepEqual(problems, []);
});

test('a script cached from before an index of another format fetches itself anew and reloads once', async () => {
  const { page, context, problems } = await openPage(browser, `${sample.url}search/`);
  // The site as it would be after a rebuild with another index format.
  await page.route('**/search/meta.json', async (route) => {
    const meta = await (await route.fetch()).json();
    await route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ...meta, format: meta.format + 1 }) });
  });
  let loads = 0;
  page.on('load', () => { loads += 1; });
  const scriptFetches = [];
  page.on('request', (r) => { if (r.url().endsWith('/search.js')) scriptFetches.push(r.url()); });
  await page.goto(`${sample.url}search/?q=${encodeURIComponent('反诈')}`);
  // The element is missing for a moment while the page reloads itself.
  await page.waitForFunction(() => /无法使用/.test(document.getElementById('search-status')?.textContent));
  assert.equal(loads, 2, 'the page reloaded once, not in a loop');
  // The page's own load, the script fetched anew, the reloaded page's.
  assert.ok(scriptFetches.length >= 2, `search.js fetched ${scriptFetches.length} times`);
  assert.equal(await page.$$eval('.search-result', (l) => l.length), 0);
  // With the script and the index matching again, search works and the mark is cleared.
  await page.unroute('**/search/meta.json');
  await page.reload();
  assert.ok((await searched(page, '反诈')).count > 0);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('streetpress-search-refreshed')), null);
  assert.deepEqual(problems.filter((p) => !p.includes('do not match')), []);
  await context.close();
});

test('search.js normalises text exactly as the index builder does (shared fixture)', async () => {
  const fixture = JSON.parse(readFileSync(join(repoRoot, 'tests', 'search-normalise.json'), 'utf8'));
  const { page, context } = await openPage(browser, `${sample.url}search/`);
  await page.waitForFunction(() => window.streetpressSearch);
  for (const [input, normalised, units] of fixture) {
    assert.equal(await page.evaluate((t) => window.streetpressSearch.normalise(t), input), normalised, `normalise ${input}`);
    assert.deepEqual(await page.evaluate((t) => window.streetpressSearch.units(t), input), units, `units of ${input}`);
  }
  await context.close();
});

test('without JavaScript the search page says it needs it and links the archive', async () => {
  const { page, context } = await openPage(browser, `${sample.url}search/?q=反诈`, { javaScriptEnabled: false });
  const text = await page.textContent('main');
  assert.match(text, /搜索需要浏览器开启 JavaScript/);
  assert.ok(await page.$('noscript a[href$="/archive/"]'), 'links the archive');
  await context.close();
});
