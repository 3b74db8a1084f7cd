// Benchmark peer: nostr-tools' SimplePool fetching (REQ to EOSE) and verifying every listing a
// relay holds, the way a JavaScript client ingests them. Fresh pool per round; best round wins.
// Usage: node bench-nostr-tools-pool.mjs <relay-url> <count> <rounds>
// Prints one line: "<events received> <best seconds>".
import WebSocket from 'ws';
import { SimplePool, useWebSocketImplementation } from 'nostr-tools/pool';

useWebSocketImplementation(WebSocket);
const [url, countText, roundsText] = process.argv.slice(2);
const count = Number(countText);
let best = Infinity;
let received = 0;
for (let round = 0; round < Number(roundsText); round++) {
  const pool = new SimplePool(); // verifies each event with verifyEvent before handing it over
  const start = performance.now();
  const events = await pool.querySync([url], { kinds: [31990], limit: count }, { maxWait: 120_000 });
  const seconds = (performance.now() - start) / 1000;
  pool.close([url]);
  received = events.length;
  if (received !== count) {
    console.error(`SimplePool received ${received} of ${count} listings`);
    process.exit(1);
  }
  best = Math.min(best, seconds);
}
console.log(`${received} ${best}`);
process.exit(0);
