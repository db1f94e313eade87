// A bounded load test of the hardened local endpoint (issue 16): the CLI with 100,000 chats loaded from a
// state file, while issue 16's attacks run for a few seconds (verification amplification, 30 listing clients
// that never read, 1,000 event-stream subscribers that never read, CSRF and rebinding requests), legitimate
// signed requests keep being answered. Measures the child's RSS (/proc) and the p50/p99 latency of the
// legitimate requests, before and during the attacks; the figures go to docs/hardening.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pkgDir } from './support/app.mjs';
import { spawn } from 'node:child_process';
import { LOCAL, BIN, api, smsChat, message, signedRequest } from './support/serve-helpers.mjs';
import { signedLines } from './support/raw-http.mjs';

const journal = await import(pathToFileURL(join(pkgDir, 'server', 'journal.mjs')).href);
const CHATS = 100_000;
const ATTACK_MS = 6000;
const BASELINE_MS = 2000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};

/** Sends raw bytes, optionally never reading the answer; resolves once written. */
function rawSend(port, bytes, { read = true } = {}) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(bytes, () => resolve(s)));
    s.on('error', () => resolve(s));
    if (read) s.resume();
    else s.pause();
  });
}

/** The CLI from the installed package; loading 100,000 chats may take longer than the shared helper waits. */
async function spawnServe(args) {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
  child.stderr.setEncoding('utf8').on('data', (d) => { out += d; });
  const exited = new Promise((r) => child.once('exit', r));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line within 60 s\n${out}`)), 60_000);
    child.stdout.on('data', () => {
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    exited.then(() => reject(new Error(`serve exited\n${out}`)));
  });
  return { url, child, stop: () => (child.kill('SIGTERM'), exited) };
}

/** Legitimate signed requests in a loop until `until()`; returns latencies (ms) and failures. */
async function legit(url, until) {
  const lat = [];
  let failures = 0;
  while (!until()) {
    const { url: u, init } = signedRequest(url, { ...smsChat(), Event: message('legit') });
    const t = performance.now();
    try {
      const res = await fetch(u, init);
      await res.arrayBuffer();
      if (res.status !== 200) failures += 1;
    } catch {
      failures += 1;
    }
    lat.push(performance.now() - t);
  }
  return { lat, failures };
}

test(`load: ${CHATS} chats, issue 16's attacks for ${ATTACK_MS / 1000} s; legit requests stay fast, RSS stays bounded`, { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cce-load-'));
  const file = join(dir, 'chats.jsonl');
  const lines = [];
  for (let i = 0; i < CHATS; i++) {
    lines.push(journal.frame({
      v: 1, op: 'event', at: '2026-11-25T00:00:00.000Z', requestId: `seed-${i}`, contactId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      key: { sourceId: `+1${String(5550000000 + i)}`, destinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-1', subtype: 'connect:sms' },
      event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: `seeded message ${i}` },
    }));
  }
  writeFileSync(file, lines.join(''));
  const t0 = performance.now();
  const s = await spawnServe(['--state', file, '--quiet', '--max-chats', String(CHATS + 50_000)]);
  const startMs = performance.now() - t0;
  const port = Number(new URL(s.url).port);
  const rss = () => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${s.child.pid}/status`, 'utf8'))[1]) / 1024;
  const sockets = [];
  try {
    const rssLoaded = rss();
    // One listing page of the 100,000 chats: bounded size and time.
    const tl = performance.now();
    const page = await (await fetch(`${s.url}/_emulator/chats?limit=1000`)).text();
    const listMs = performance.now() - tl;
    assert.equal(JSON.parse(page).chats.length, 1000);

    // Baseline: legitimate requests alone.
    let until = performance.now() + BASELINE_MS;
    const base = await Promise.all([legit(s.url, () => performance.now() > until), legit(s.url, () => performance.now() > until)]);
    const baseLat = base.flatMap((b) => b.lat);

    // The attacks.
    let peak = rss();
    const sampler = setInterval(() => { try { peak = Math.max(peak, rss()); } catch { /* exited */ } }, 50);
    until = performance.now() + ATTACK_MS;
    const over = () => performance.now() > until;
    const counts = { amplification: 0, csrf: 0, rebinding: 0, listingsUnread: 0, subscribers: 0 };
    const payload = JSON.stringify({ ...smsChat(), Event: message('amplify') });
    const signed = signedLines(api, { port, body: payload, credentials: LOCAL });
    const auth = signed.lines.find((l) => l.startsWith('authorization:')).replace(/SignedHeaders=[^,]+/, `SignedHeaders=${Array(1000).fill('a').join(';')};host`);
    const amplification = Buffer.from(['POST /chat-integration-event HTTP/1.1', ...signed.lines.filter((l) => !l.startsWith('authorization:')), auth,
      ...Array(1000).fill('a: 1'), `content-length: ${payload.length}`, 'connection: close', '', payload].join('\r\n'));
    const during = Promise.all([legit(s.url, over), legit(s.url, over)]);
    const attackers = [];
    for (let i = 0; i < 4; i++) {
      attackers.push((async () => {
        while (!over()) {
          const sock = await rawSend(port, amplification);
          await new Promise((r) => { sock.once('close', r); setTimeout(r, 2000); });
          sock.destroy();
          counts.amplification += 1;
        }
      })());
    }
    attackers.push((async () => {
      while (!over()) {
        const a = await rawSend(port, `POST /_emulator/reset HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\norigin: http://evil.example\r\ncontent-type: text/plain\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}`);
        const b = await rawSend(port, `GET /_emulator/chats?limit=1000 HTTP/1.1\r\nhost: evil.example:${port}\r\nconnection: close\r\n\r\n`);
        await sleep(5);
        a.destroy();
        b.destroy();
        counts.csrf += 1;
        counts.rebinding += 1;
      }
    })());
    attackers.push((async () => {
      // 30 clients that ask for the biggest page and never read it.
      for (let i = 0; i < 30 && !over(); i++) {
        sockets.push(await rawSend(port, `GET /_emulator/chats?limit=1000&next=${i * 1000} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`, { read: false }));
        counts.listingsUnread += 1;
      }
      // 1,000 event-stream subscribers that never read.
      for (let i = 0; i < 1000 && !over(); i++) {
        sockets.push(await rawSend(port, `GET /_emulator/events HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`, { read: false }));
        counts.subscribers += 1;
      }
    })());
    const legitDuring = await during;
    await Promise.all(attackers);
    clearInterval(sampler);
    const lat = legitDuring.flatMap((d) => d.lat);
    const info = await (await fetch(`${s.url}/_emulator/info`)).json();
    for (const sock of sockets) sock.destroy();
    await sleep(500);
    const rssAfter = rss();

    const f = (x) => x.toFixed(1);
    const figures = {
      start: `start with ${CHATS} chats in the state file (read, checksums checked, replayed): ${f(startMs)} ms; RSS ${f(rssLoaded)} MiB`,
      listing: `GET /_emulator/chats?limit=1000 of ${CHATS}: ${f(listMs)} ms, ${(page.length / 1024).toFixed(0)} KiB`,
      baseline: `legit alone: ${baseLat.length} requests, p50 ${f(pct(baseLat, 50))} ms, p99 ${f(pct(baseLat, 99))} ms`,
      attack: `legit under attack: ${lat.length} requests, p50 ${f(pct(lat, 50))} ms, p99 ${f(pct(lat, 99))} ms, ` +
        `${legitDuring.reduce((a, d) => a + d.failures, 0)} failed`,
      attacks: `attacks in ${ATTACK_MS} ms: ${JSON.stringify(counts)}; server counters ${JSON.stringify({
        subscribers: info.limits.subscribers, subscribersRefused: info.limits.subscribersRefused,
        slowSubscribersDropped: info.limits.slowSubscribersDropped, guardRefused: info.limits.guardRefused })}`,
      rss: `RSS peak ${f(peak)} MiB during the attacks, ${f(rssAfter)} MiB after (loaded: ${f(rssLoaded)} MiB)`,
    };
    for (const line of Object.values(figures)) console.log(`# ${line}`);

    assert.equal(legitDuring.reduce((a, d) => a + d.failures, 0), 0, 'every legit request answered 200');
    assert.ok(lat.length >= 20, `${lat.length} legit requests during the attacks`);
    assert.ok(pct(lat, 99) < 1000, `p99 ${pct(lat, 99)} ms`);
    assert.ok(peak - rssLoaded < 256, `RSS grew ${peak - rssLoaded} MiB`);
    assert.ok(info.limits.subscribers <= 32);
    assert.ok(info.limits.subscribersRefused > 0);
  } finally {
    for (const sock of sockets) sock.destroy();
    await s.stop();
  }
});
