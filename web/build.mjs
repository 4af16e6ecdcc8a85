// SPDX-License-Identifier: MPL-2.0
// Builds the page into dist/: src/main.js bundled with Leaflet and Chart.js
// (esbuild, minified), the CSS (ours + Leaflet's) and index.html. The binary
// serves dist/ (kommute serve --web, default web/dist beside the build folder).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
await build({
  entryPoints: { app: 'src/main.js' },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome100', 'firefox100', 'safari15'],
  outdir: 'dist',
  loader: { '.png': 'dataurl', '.svg': 'dataurl' },
  legalComments: 'linked',
  logLevel: 'warning',
});
copyFileSync('src/index.html', 'dist/index.html');
for (const f of readdirSync('dist')) if (statSync(`dist/${f}`).size === 0) rmSync(`dist/${f}`); // empty legal files
console.log('web: built dist/ (index.html, app.js, app.css)');
