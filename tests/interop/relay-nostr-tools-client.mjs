// An independent client (nostr-tools 2.25.2 over ws 8) exercising a relay the way other Nostr
// software would: publish a signed listing, have a tampered copy refused, query it back with
// ManifestBuild's filter shape, receive a live event after EOSE, and count.
//
//   node relay-nostr-tools-client.mjs ws://127.0.0.1:PORT
//
// Prints one JSON object with what happened; exits non-zero only when it could not run at all.
import WebSocket from 'ws';
import { finalizeEvent, generateSecretKey, getEventHash, verifyEvent } from 'nostr-tools/pure';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';

useWebSocketImplementation(WebSocket);

const url = process.argv[2];
if (!url) {
  process.stderr.write('usage: node relay-nostr-tools-client.mjs <ws url>\n');
  process.exit(2);
}

const timeoutMs = 15000;
function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function query(relay, filters) {
  return withTimeout(new Promise(resolve => {
    const events = [];
    const sub = relay.subscribe(filters, {
      onevent(event) { events.push(event); },
      oneose() { sub.close(); resolve(events); },
    });
  }), 'query');
}

const relay = await withTimeout(Relay.connect(url), 'connect');
const secretKey = generateSecretKey();
const now = Math.floor(Date.now() / 1000);
const family = 'complexity-' + Math.random().toString(16).slice(2, 10);
const compiledId = Array.from({ length: 64 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');

const listing = finalizeEvent({
  kind: 31990,
  created_at: now,
  tags: [['d', 'dsrs-manifest:' + compiledId], ['k', family], ['t', 'rust'], ['t', 'systems'], ['domain', 'rust'], ['x', compiledId]],
  content: JSON.stringify({ signature_name: 'ComplexityClassificationSignature', compiled_id: compiledId, note: 'quotes " \\ and ünïcödé \u2028' }),
}, secretKey);
const other = finalizeEvent({ kind: 31990, created_at: now, tags: [['d', 'x'], ['k', family], ['t', 'python']], content: '{}' }, secretKey);

const result = { published: null, tamperedRefused: null, tamperedMessage: null, found: [], foundVerified: false, live: null, count: null };

result.published = await withTimeout(relay.publish(listing), 'publish');
await withTimeout(relay.publish(other), 'publish other');

try {
  // New content and its correct id, but the old signature: only the signature check can catch it.
  const tampered = { ...listing, content: listing.content + ' ' };
  tampered.id = getEventHash(tampered);
  await withTimeout(relay.publish(tampered), 'publish tampered');
  result.tamperedRefused = false;
} catch (error) {
  result.tamperedRefused = true;
  result.tamperedMessage = String(error.message ?? error);
}

const found = await query(relay, [{ kinds: [31990], '#k': [family], '#t': ['rust'] }]);
result.found = found.map(e => e.id);
result.foundVerified = found.length > 0 && found.every(e => verifyEvent({ ...e }));
result.foundContentIntact = found.length === 1 && found[0].content === listing.content;

const liveNote = finalizeEvent({ kind: 1, created_at: now, tags: [['t', family]], content: 'live' }, secretKey);
result.live = await withTimeout(new Promise(resolve => {
  const sub = relay.subscribe([{ kinds: [1], '#t': [family] }], {
    onevent(event) { sub.close(); resolve(event.id === liveNote.id); },
    oneose() { relay.publish(liveNote).catch(() => resolve(false)); },
  });
}), 'live event');

try {
  result.count = await withTimeout(relay.count([{ kinds: [31990], '#k': [family] }], {}), 'count');
} catch {
  result.count = null; // NIP-45 is optional
}

result.listingId = listing.id;
result.otherId = other.id;
result.liveId = liveNote.id;
relay.close();
process.stdout.write(JSON.stringify(result) + '\n');
process.exit(0);
