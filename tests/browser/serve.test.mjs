// `streetpress serve` in a real browser: a save reloads the open tab, a
// mistake shows over the last good page with its file, line and column, and
// fixing it clears the message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, launch } from './harness.mjs';

let server, browser, root, url;

before(async () => {
  execFileSync('cargo', ['build', '--quiet'], { cwd: repoRoot, stdio: 'inherit' });
  const binary = join(process.env.CARGO_TARGET_DIR || join(repoRoot, 'target'), 'debug', 'streetpress');
  root = mkdtempSync(join(tmpdir(), 'streetpress-serve-'));
  for (const part of ['site.toml', 'content', 'themes']) cpSync(join(repoRoot, part), join(root, part), { recursive: true });
  server = spawn(binary, ['serve', '--port', '0', '--root', root], { stdio: ['ignore', 'pipe', 'inherit'] });
  url = await new Promise((ok, fail) => {
    let seen = '';
    server.stdout.on('data', (chunk) => {
      seen += chunk;
      const found = seen.match(/正在预览：(\S+)/);
      if (found) ok(found[1]);
    });
    server.on('exit', () => fail(new Error(`serve exited: ${seen}`)));
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

test('a save reloads the tab; a mistake shows over the page until fixed', async () => {
  const file = join(root, 'content/articles/2024-04-anti-fraud-campaign.md');
  const original = readFileSync(file, 'utf8');
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${url}articles/2024/04/2024-04-anti-fraud-campaign/`);
  assert.match(await page.textContent('h1'), /反诈宣传进广场/);

  writeFileSync(file, original.replace('反诈宣传进广场', '反诈宣传走进广场'));
  await page.waitForFunction(() => document.querySelector('h1')?.textContent.includes('反诈宣传走进广场'), null, { timeout: 30000 });

  writeFileSync(file, original.replace('category: volunteer', 'category: 志愿服'));
  const overlay = await page.waitForSelector('#streetpress-problems', { timeout: 30000 });
  const message = await overlay.textContent();
  assert.match(message, /content\/articles\/2024-04-anti-fraud-campaign\.md:4:11/);
  assert.match(message, /没有名为“志愿服”的栏目/);
  assert.match(await page.textContent('h1'), /反诈宣传走进广场/, 'the last good page stays');

  writeFileSync(file, original);
  await page.waitForFunction(() => !document.getElementById('streetpress-problems')
    && document.querySelector('h1')?.textContent.includes('反诈宣传进广场'), null, { timeout: 30000 });
  assert.deepEqual(errors, []);
  await context.close();
});
