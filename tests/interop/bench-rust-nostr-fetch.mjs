// Benchmark peer: rust-nostr's client (@rust-nostr/nostr-sdk, its WebAssembly build) fetching
// (REQ to EOSE) every listing a relay holds; its relay pool checks each event's id and signature
// before keeping it. Fresh client per round; best round wins.
// Usage: node bench-rust-nostr-fetch.mjs <relay-url> <count> <rounds>
// Prints one line: "<events received> <best seconds>".
import WebSocket from 'ws';
import { loadWasmAsync, Client, Filter, Kind, Duration } from '@rust-nostr/nostr-sdk';

globalThis.WebSocket ??= WebSocket; // Node 20 has no global WebSocket; the wasm transport uses it
await loadWasmAsync();
const [url, countText, roundsText] = process.argv.slice(2);
const count = Number(countText);
let best = Infinity;
let received = 0;
for (let round = 0; round < Number(roundsText); round++) {
  const client = new Client();
  const start = performance.now();
  await client.addRelay(url);
  await client.connect();
  const events = await client.fetchEvents(new Filter().kind(new Kind(31990)).limit(count), Duration.fromSecs(120));
  const seconds = (performance.now() - start) / 1000;
  received = Number(events.len());
  await client.disconnect();
  if (received !== count) {
    console.error(`rust-nostr received ${received} of ${count} listings`);
    process.exit(1);
  }
  best = Math.min(best, seconds);
}
console.log(`${received} ${best}`);
process.exit(0);
