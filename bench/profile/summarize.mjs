// Summarizes a .cpuprofile: self time by category (wasm / JS glue / GC / node) and the top functions.
//   node bench/profile/summarize.mjs file.cpuprofile [top=30]
import { readFileSync } from 'node:fs';
const prof = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const top = Number(process.argv[3] || 30);
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
const dts = prof.timeDeltas; let total = 0;
for (let i = 0; i < prof.samples.length; i++) {
  const n = byId.get(prof.samples[i]); const dt = dts[i] || 0; total += dt;
  const cf = n.callFrame;
  const url = cf.url || '';
  const cat = url.startsWith('wasm://') ? 'wasm' : /connect_chat_events\.js/.test(url) ? 'glue' : /loop\.cjs/.test(url) ? 'bench' : url.startsWith('node:') ? 'node' : url === '' ? (cf.functionName.startsWith('(') ? cf.functionName : 'native') : 'other';
  const key = `${cat}\t${cf.functionName || '(anon)'}${cat === 'glue' || cat === 'bench' ? ':' + cf.lineNumber : ''}`;
  self.set(key, (self.get(key) || 0) + dt);
}
const cats = new Map();
for (const [k, v] of self) { const c = k.split('\t')[0]; cats.set(c, (cats.get(c) || 0) + v); }
const idle = cats.get('(idle)') || 0; const busy = total - idle;
console.log(`total ${(total / 1e3).toFixed(0)} ms, busy ${(busy / 1e3).toFixed(0)} ms`);
for (const [c, v] of [...cats].sort((a, b) => b[1] - a[1])) console.log(`  ${c.padEnd(22)} ${(100 * v / busy).toFixed(1).padStart(5)}%`);
console.log('top self time (% of busy):');
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${(100 * v / busy).toFixed(1).padStart(5)}%  ${k.replace('\t', '  ')}`);
