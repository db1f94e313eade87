// Runtime matrix (issue 15), browsers without a bundler: Chromium (playwright-core) and Firefox ESR
// (puppeteer-core, WebDriver BiDi), one browser each for the file. Pages load the installed package from a
// 127.0.0.1 static server the way a site without a build step does: a `<script type=module>` with an import
// map to the entry the exports map gives browsers, the `./web` entry by its path, `./client`, the classic
// `<script src=…/iife/connect-chat-events.js>`, a module worker and a classic worker (`importScripts`).
// Every cell validates, signs the get-vanilla vector, sends through a stub fetch and sends to the local
// endpoint (CORS allowed for the page's origin only).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, installApp, resolveExport, startEndpoint, tarball, writeArtifact } from '../matrix/web/support/pkg.mjs';
import { CELL_SOURCE, cellOptions, checkCell } from '../matrix/web/support/cell.mjs';
import { launch, runPage } from '../matrix/web/support/browsers.mjs';
import { startStaticServer } from './support/static-server.mjs';

const CLIENT_ONLY = { only: ['exports', 'stub', 'local'], exports: ['ConnectChatClient'] };
const BASE = '/node_modules/connect-chat-events';
const report = 'window.__result = r; }, (e) => { window.__result = { fatal: String(e && e.stack || e) }; }';
const publish = (opts) => `<script>window.__opts = ${JSON.stringify(opts)};</script>`;
const page = (title, body) => `<!doctype html><meta charset="utf-8"><title>${title}</title>${body}`;

/** Each cell: the page (and worker script) for its options; the entry file it loads, for the record. */
const CELLS = {
  'module page, import map → the browser entry': (pj, opts) => {
    const entry = resolveExport(pj, '.', ['browser', 'import']);
    return { entry, html: page('module', `${publish(opts)}
<script type="importmap">${JSON.stringify({ imports: { 'connect-chat-events': `${BASE}/${entry}` } })}</script>
<script type="module">
import * as m from 'connect-chat-events';
${CELL_SOURCE}
runCell(m, window.__opts).then((r) => { ${report});
</script>`) };
  },
  'module page, ./web entry by path (fetches its .wasm)': (pj, opts) => {
    const entry = resolveExport(pj, './web', ['browser', 'import']);
    return { entry, html: page('web', `${publish(opts)}
<script type="module">
import * as m from '${BASE}/${entry}';
${CELL_SOURCE}
runCell(m, window.__opts).then((r) => { ${report});
</script>`) };
  },
  'module page, import map → ./client': (pj, opts) => {
    const entry = resolveExport(pj, './client', ['browser', 'import']);
    return { entry, html: page('client', `${publish(opts)}
<script type="importmap">${JSON.stringify({ imports: { 'connect-chat-events/client': `${BASE}/${entry}` } })}</script>
<script type="module">
import * as m from 'connect-chat-events/client';
${CELL_SOURCE}
runCell(m, window.__opts).then((r) => { ${report});
</script>`) };
  },
  'classic <script src> of ./iife (global ConnectChatEvents)': (pj, opts) => {
    const entry = resolveExport(pj, './iife', ['browser']);
    return { entry, html: page('iife', `${publish(opts)}
<script src="${BASE}/${entry}"></script>
<script>
${CELL_SOURCE}
runCell(window.ConnectChatEvents, window.__opts).then(function (r) { ${report});
</script>`) };
  },
  'module worker importing the worker entry': (pj, opts) => {
    const entry = resolveExport(pj, '.', ['worker', 'browser', 'import']);
    return { entry, worker: { type: 'module', source: `import * as m from '${BASE}/${entry}';
${CELL_SOURCE}
self.onmessage = (e) => { runCell(m, e.data).then((r) => self.postMessage(r), (e) => self.postMessage({ fatal: String(e && e.stack || e) })); };
` }, html: (workerUrl) => page('module worker', `${publish(opts)}
<script>
const w = new Worker(${JSON.stringify(workerUrl)}, { type: 'module' });
w.onmessage = (e) => { window.__result = e.data; };
w.onerror = (e) => { window.__result = { fatal: 'worker error: ' + (e.message || 'failed to load') }; };
w.postMessage(window.__opts);
</script>`) };
  },
  'classic worker, importScripts of ./iife': (pj, opts) => {
    const entry = resolveExport(pj, './iife', ['worker', 'browser']);
    return { entry, worker: { type: 'classic', source: `importScripts('${BASE}/${entry}');
${CELL_SOURCE}
self.onmessage = function (e) { runCell(self.ConnectChatEvents, e.data).then(function (r) { self.postMessage(r); }, function (e) { self.postMessage({ fatal: String(e && e.stack || e) }); }); };
` }, html: (workerUrl) => page('classic worker', `${publish(opts)}
<script>
const w = new Worker(${JSON.stringify(workerUrl)});
w.onmessage = (e) => { window.__result = e.data; };
w.onerror = (e) => { window.__result = { fatal: 'worker error: ' + (e.message || 'failed to load') }; };
w.postMessage(window.__opts);
</script>`) };
  },
};

let app;
let site;
let endpoint;
const routes = {};
const results = [];
before(async () => {
  app = await installApp('browsers');
  site = await startStaticServer(app.dir, routes);
  endpoint = await startEndpoint(app, { corsOrigins: [site.url] });
});
after(async () => {
  await endpoint?.close();
  await site?.close();
  const { source, sha256 } = await tarball();
  writeArtifact('matrix-web-browsers.json', { tarball: source, sha256, cells: results });
  cleanup();
});

let routeCount = 0;
for (const name of ['chromium', 'firefox']) {
  describe(`runtime matrix: ${name}`, () => {
    let b;
    before(async () => { b = await launch(name); });
    after(async () => { await b?.close(); });
    for (const [cellName, make] of Object.entries(CELLS)) {
      test(`${name} · ${cellName}`, { timeout: 60_000 }, async () => {
        const record = { browser: name, cell: cellName, ok: false };
        results.push(record);
        record.version = b.version;
        // The client-only entry has no validate/sign: its cell sends only.
        const checks = cellName.includes('./client') ? CLIENT_ONLY : {};
        const opts = cellOptions(`${name} ${cellName}`, { endpoint: endpoint.url, only: checks.only });
        routeCount += 1;
        const made = make(app.pj, opts);
        record.entry = made.entry;
        let html = made.html;
        if (made.worker) {
          const workerUrl = `/matrix-worker-${routeCount}.js`;
          routes[workerUrl] = made.worker.source;
          html = made.html(workerUrl);
        }
        const path = `/matrix-${routeCount}.html`;
        routes[path] = html;
        const before = site.served.length;
        const { result, problems } = await runPage(b, `${site.url}${path}`);
        record.problems = problems;
        assert.equal(result.fatal, undefined, `the cell crashed: ${result.fatal}`);
        await checkCell(result, { endpoint: endpoint.url, ...checks });
        assert.deepEqual(problems, [], 'no console errors, page errors or failed requests');
        // The entry came from the installed package, as the exports map says.
        const served = site.served.slice(before);
        assert.ok(served.includes(`${BASE}/${made.entry}`), `${BASE}/${made.entry} was loaded`);
        // Only ./web fetches a .wasm (beside it); the inline and IIFE entries carry their bytes.
        const wasm = made.entry.startsWith('web/') ? [`${BASE}/${made.entry.replace(/[^/]+$/, 'connect_chat_events_bg.wasm')}`] : [];
        assert.deepEqual(served.filter((p) => p.endsWith('.wasm')), wasm, 'the .wasm fetched');
        record.ok = true;
      });
    }
  });
}

