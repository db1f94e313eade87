// A local SNS HTTP subscriber for the message streaming tests (127.0.0.1 only): records every POST it gets
// (headers, raw body, parsed envelope and item) and answers as told by `respond(request, n)`, which returns
// { status, delayMs } (default 200 at once). waitFor(predicate) resolves when the recorded requests satisfy it.
import http from 'node:http';

export async function startSubscriber({ respond = () => ({ status: 200 }) } = {}) {
  const requests = [];
  const waiters = new Set();
  const inFlight = new Map(); // contact id → requests being answered
  let maxInFlightPerChat = 0;
  const check = () => {
    for (const w of waiters) {
      if (w.predicate(requests)) {
        waiters.delete(w);
        clearTimeout(w.timer);
        w.resolve(requests);
      }
    }
  };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let envelope;
      let item;
      try {
        envelope = JSON.parse(body);
        item = JSON.parse(envelope.Message);
      } catch { /* recorded as is */ }
      const r = { at: Date.now(), method: req.method, url: req.url, headers: req.headers, body, envelope, item };
      const n = requests.push(r) - 1;
      const contact = item?.InitialContactId;
      inFlight.set(contact, (inFlight.get(contact) ?? 0) + 1);
      maxInFlightPerChat = Math.max(maxInFlightPerChat, inFlight.get(contact));
      const { status = 200, delayMs = 0 } = respond(r, n) ?? {};
      r.status = status;
      if (delayMs) await new Promise((ok) => setTimeout(ok, delayMs));
      inFlight.set(contact, inFlight.get(contact) - 1);
      if (!res.destroyed) {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(status < 300 ? 'ok' : 'no');
      }
      check();
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}/sns`;
  return {
    url,
    requests,
    get maxInFlightPerChat() { return maxInFlightPerChat; },
    /** Items delivered (answered 2xx) for one chat, in arrival order. */
    delivered: (contactId) => requests.filter((r) => r.status < 300 && r.item?.InitialContactId === contactId).map((r) => r.item),
    waitFor(predicate, timeoutMs = 5000) {
      if (predicate(requests)) return Promise.resolve(requests);
      return new Promise((resolve, reject) => {
        const w = { predicate, resolve };
        w.timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`subscriber: condition not met within ${timeoutMs} ms; got ${requests.length} request(s): ` +
            requests.map((r) => `${r.status} ${r.item?.Type} ${r.item?.ContentType} ${r.item?.Content ?? ''}`).join(' | ')));
        }, timeoutMs);
        waiters.add(w);
      });
    },
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(ok); }),
  };
}
