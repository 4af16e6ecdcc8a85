// SPDX-License-Identifier: MPL-2.0
// Browser test of the page: starts `kommute serve` on a free loopback port
// with the bundled road graph and the small demo municipality, drives
// Debian's chromium (headless, via playwright-core), checks the map is drawn,
// clicks a road and reads its popup, plans a round, opens the fleet
// dashboard, and saves screenshots under tests/artifacts/.
// Run: node --test tests/browser/ (from the repository root; `make check`
// runs it when node, chromium and web/node_modules are there).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(root, 'web/package.json'));
const { chromium } = require('playwright-core');

const BIN = process.env.KMT_RELEASE_BIN || join(root, 'build/kommute');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const artifacts = join(root, 'tests/artifacts');
let server, base, browser, work;

function startServer(args) {
  return new Promise((ok, fail) => {
    const p = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    const timer = setTimeout(() => fail(new Error(`server did not start: ${err}`)), 30000);
    p.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) { clearTimeout(timer); ok({ p, base: `http://127.0.0.1:${m[1]}` }); }
    });
    p.stderr.on('data', (d) => { err += d; });
    p.on('exit', (code) => { clearTimeout(timer); fail(new Error(`server exited ${code}: ${err}`)); });
  });
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'kommute-browser-'));
  const graph = join(work, 'oslo.kgraph'), db = join(work, 'demo.db');
  execFileSync(BIN, ['graph', 'build', join(root, 'data/osm/oslo-east-roads.osm.pbf'), '-o', graph], { stdio: 'ignore' });
  execFileSync(BIN, ['demo', 'generate', '--seed', '1', '--scale', 'small', '--db', db], { stdio: 'ignore' });
  ({ p: server, base } = await startServer(['--graph', graph, '--db', db, '--web', join(root, 'web/dist')]));
  // a fresh profile (--user-data-dir) each run: playwright passes it for a persistent context
  browser = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1366, height: 768 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run',
      '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  if (server) {
    const exited = new Promise((ok) => server.once('exit', ok));
    server.removeAllListeners('exit');
    server.kill('SIGTERM');
    await exited;
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the page draws the road network, answers a click on a road and shows the dashboards', async () => {
  const page = await browser.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base + '/');
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
  const roads = Number(await page.getAttribute('body', 'data-roads'));
  assert.ok(roads > 1000, `roads drawn: ${roads}`);
  // the canvas holds drawn pixels (not blank)
  const painted = await page.evaluate(() => {
    const c = document.querySelector('#map canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4 * 7) if (d[i] > 0) n++;
    return n;
  });
  assert.ok(painted > 1000, `painted pixels: ${painted}`);
  assert.match(await page.textContent('#status'), /road segments/);

  // click on a known road: Østre tangent (trunk road), used by the demo's car journeys
  const pt = await page.evaluate(() => {
    const m = window.kommute.map;
    m.setView([59.908769, 10.763324], 16, { animate: false });
    const p = m.latLngToContainerPoint([59.908769, 10.763324]);
    return { x: p.x, y: p.y };
  });
  await page.mouse.click(pt.x + (await page.locator('#map').boundingBox()).x, pt.y + (await page.locator('#map').boundingBox()).y);
  await page.waitForSelector('.road-popup', { timeout: 15000 }).catch(async (e) => {
    await page.screenshot({ path: join(artifacts, 'failed-click.png') });
    throw new Error(`${e.message}; status: ${await page.textContent('#status')}`);
  });
  const popup = await page.textContent('.road-popup');
  assert.match(popup, /Østre tangent/);
  assert.match(popup, /trunk/);
  assert.match(popup, /Class/);
  assert.match(popup, /Speed used/);
  assert.match(popup, /Length/);
  assert.match(popup, /car journeys ran along it/);
  assert.ok(await page.isVisible('.road-popup canvas'), 'use-by-hour chart');
  await page.screenshot({ path: join(artifacts, 'map-road-popup.png') });

  // the trip density layer over the whole network
  await page.evaluate(() => { window.kommute.map.closePopup(); window.kommute.map.setZoom(13, { animate: false }); });
  await page.check('#layer-density');
  await page.waitForFunction(() => window.kommute.layers.density && window.kommute.map.hasLayer(window.kommute.layers.density), null, { timeout: 15000 });
  await page.screenshot({ path: join(artifacts, 'map-density.png') });
  await page.uncheck('#layer-density');

  // shared rides: a morning's commute planned by the carpool engine
  await page.check('#layer-pool');
  await page.waitForFunction(() => window.kommute.ready.pool > 0, null, { timeout: 30000 });
  assert.match(await page.textContent('#pool-note'), /shared rides/);
  await page.screenshot({ path: join(artifacts, 'map-shared-rides.png') });
  await page.uncheck('#layer-pool');

  // plan a round for the busiest site and see the routes drawn
  await page.click('#plan-run');
  await page.waitForFunction(() => window.kommute.ready.plan > 0, null, { timeout: 30000 });
  assert.match(await page.textContent('#plan-result'), /routes/);
  await page.screenshot({ path: join(artifacts, 'map-plan.png') });

  // the fleet dashboard
  await page.click('button[data-view="fleet"]');
  await page.waitForFunction(() => window.kommute.ready.fleet === true, null, { timeout: 30000 });
  assert.ok(await page.isVisible('#chart-util'));
  assert.match(await page.textContent('#fleet-table'), /Utilisation/);
  await page.screenshot({ path: join(artifacts, 'dashboard-fleet.png') });

  await page.click('button[data-view="travel"]');
  await page.waitForFunction(() => window.kommute.ready.travel, null, { timeout: 30000 });
  await page.screenshot({ path: join(artifacts, 'dashboard-travel.png') });

  // nothing but the server was asked for anything
  for (const u of requests) assert.ok(u.startsWith(base) || u.startsWith('data:'), `request off the server: ${u}`);
  assert.deepEqual(errors, []);
  await page.close();
});
