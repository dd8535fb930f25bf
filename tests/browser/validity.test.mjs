// Every page of the built sample site is valid HTML5 (html-validate's
// standard rules: the HTML specification's content models, attributes and
// nesting), and links inside the site lead to pages that exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { HtmlValidate } from 'html-validate';
import { buildSite } from './harness.mjs';

const BASE = 'https://example.gov.cn/qinghewan/';

function htmlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.html'))
    .map((e) => join(e.parentPath, e.name));
}

test('every page is valid HTML5 and every internal link resolves', async () => {
  const dir = buildSite(BASE);
  const validator = new HtmlValidate({
    extends: ['html-validate:standard', 'html-validate:a11y', 'html-validate:document'],
    rules: { 'no-trailing-whitespace': 'off', 'no-inline-style': 'off', 'require-sri': 'off' },
  });
  const files = htmlFiles(dir);
  assert.ok(files.length > 50, `${files.length} pages`);
  const problems = [];
  const broken = new Set();
  for (const file of files) {
    const html = readFileSync(file, 'utf8');
    const report = await validator.validateString(html, relative(dir, file));
    for (const result of report.results) {
      for (const m of result.messages) problems.push(`${result.filePath}:${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
    }
    for (const [, href] of html.matchAll(/(?:href|src)="(\/qinghewan\/[^"#?]*)/g)) {
      const path = decodeURIComponent(href.slice('/qinghewan/'.length));
      const target = join(dir, path, path === '' || path.endsWith('/') ? 'index.html' : '');
      if (!existsSync(target)) broken.add(`${relative(dir, file)} → ${href}`);
    }
  }
  assert.deepEqual(problems.slice(0, 60), [], `${problems.length} problems`);
  assert.deepEqual([...broken], []);
});
