// Benchmark peer: how fast nostr-tools verifies the same events the .NET pool ingests.
// Usage: node bench-nostr-tools-verify.mjs <events.json> <seconds>
// Prints one line: "<events verified> <seconds elapsed> <invalid>".
import { readFileSync } from 'node:fs';
import { verifyEvent } from 'nostr-tools/pure';

const [file, seconds] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');
const budgetMs = Number(seconds) * 1000;
let verified = 0;
let invalid = 0;
const start = performance.now();
do {
  // Parse afresh each round: verifyEvent caches its verdict on the object it is given.
  for (const event of JSON.parse(text)) {
    if (!verifyEvent(event)) invalid++;
    verified++;
  }
} while (performance.now() - start < budgetMs);
const elapsed = (performance.now() - start) / 1000;
console.log(`${verified} ${elapsed} ${invalid}`);
