// A real, independently written Nostr relay for the interop tests: @nostr-relay/core with the
// SQLite repository and the zod validator, served by ws on 127.0.0.1.
//
//   node relay-real.mjs [port] [sqlite-file]
//
// port 0 (the default) lets the OS pick a free one. The database is in memory unless a file
// is given. Prints "ready <port>" on stdout once it accepts connections, then runs until it
// is killed or its stdin closes (so a crashed test process never leaves it behind).
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { NostrRelay } from '@nostr-relay/core';
import { createOutgoingNoticeMessage, LogLevel } from '@nostr-relay/common';
import { EventRepositorySqlite } from '@nostr-relay/event-repository-sqlite';
import { Validator } from '@nostr-relay/validator';

const port = Number.parseInt(process.argv[2] ?? '0', 10);
const databaseFile = process.argv[3] ?? ':memory:';
const maxPayload = 256 * 1024;

const silentLogger = {
  setLogLevel() {},
  debug() {},
  info() {},
  warn() {},
  error(message) {
    process.stderr.write(`relay error: ${message}\n`);
  },
};

// defaultLimit 1000 gives a max limit of 10,000 (the repository allows 10x the default).
const repository = new EventRepositorySqlite(databaseFile, { defaultLimit: 1000 });
await repository.init();

const relay = new NostrRelay(repository, {
  logger: silentLogger,
  logLevel: LogLevel.ERROR,
  // The default 1 s filter-result cache would answer a query with results older than a
  // publish that was acknowledged a moment ago; tests publish then query at once.
  filterResultCacheTtl: 0,
  eventHandlingResultCacheTtl: 0,
});
const validator = new Validator();

const relayInfo = {
  name: 'nostr-relay interop',
  description: '@nostr-relay/core 0.0.40 for ManifestBuild interop tests',
  supported_nips: [1, 9, 11, 40],
  software: '@nostr-relay/core',
  version: '0.0.40',
  limitation: { max_message_length: maxPayload, max_subscriptions: 20, max_limit: 10000 },
};

const server = http.createServer((request, response) => {
  if ((request.headers.accept ?? '').includes('application/nostr+json')) {
    response.writeHead(200, {
      'content-type': 'application/nostr+json',
      'access-control-allow-origin': '*',
    });
    response.end(JSON.stringify(relayInfo));
    return;
  }
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.end('Nostr relay: connect with a WebSocket client.\n');
});

const wss = new WebSocketServer({ server, maxPayload });
wss.on('connection', (ws, request) => {
  relay.handleConnection(ws, request.socket.remoteAddress);
  ws.on('message', async data => {
    try {
      const message = await validator.validateIncomingMessage(data);
      await relay.handleMessage(ws, message);
    } catch (error) {
      ws.send(JSON.stringify(createOutgoingNoticeMessage(error.message)));
    }
  });
  ws.on('close', () => relay.handleDisconnect(ws));
  ws.on('error', () => relay.handleDisconnect(ws));
});

async function shutdown() {
  for (const client of wss.clients) {
    client.terminate();
  }
  wss.close();
  server.close();
  await relay.destroy();
  await repository.destroy();
  process.exit(0);
}

process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.stdin.on('end', shutdown);
process.stdin.resume();

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${server.address().port}\n`);
});
