// Cross-check of ManifestBuild.Nostr against nostr-tools (an independent implementation).
// Reads one JSON request on stdin, writes one JSON answer on stdout:
//   events:     events signed by .NET    -> serialized (nostr-tools' serializeEvent), id (getEventHash), valid (verifyEvent)
//   templates:  {kind,tags,content,created_at} to sign here with `secret` (hex) -> signed events, for .NET to verify
//   nip19:      {type, ...} entities to encode here, and strings encoded by .NET to decode here
//   nip44:      {secret, peer, plaintext}s to encrypt here, and {secret, peer, payload}s from .NET to decrypt here
import { finalizeEvent, getEventHash, serializeEvent, verifyEvent, getPublicKey } from 'nostr-tools/pure';
import * as nip19 from 'nostr-tools/nip19';
import * as nip44 from 'nostr-tools/nip44';
import { hexToBytes, bytesToHex } from '@noble/hashes/utils';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const attempt = (fn) => {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    return { ok: false, error: String(e && e.message ? e.message : e) };
  }
};

const answer = {};

answer.events = (request.events ?? []).map((event) => ({
  serialized: serializeEvent(event),
  id: getEventHash(event),
  // verifyEvent caches its verdict on the object; give it a fresh copy.
  valid: verifyEvent({ ...event }),
}));

if (request.secret) {
  const sk = hexToBytes(request.secret);
  answer.pubkey = getPublicKey(sk);
  answer.signed = (request.templates ?? []).map((t) => finalizeEvent({ ...t }, sk));
}

const pointer = (e) => {
  switch (e.type) {
    case 'npub': return nip19.npubEncode(e.pubkey);
    case 'nsec': return nip19.nsecEncode(hexToBytes(e.secret));
    case 'note': return nip19.noteEncode(e.id);
    case 'nprofile': return nip19.nprofileEncode({ pubkey: e.pubkey, relays: e.relays });
    case 'nevent': return nip19.neventEncode({ id: e.id, relays: e.relays, author: e.author ?? undefined, kind: e.kind ?? undefined });
    case 'naddr': return nip19.naddrEncode({ identifier: e.identifier, pubkey: e.pubkey, kind: e.kind, relays: e.relays });
    default: throw new Error('unknown type ' + e.type);
  }
};
answer.nip19Encoded = (request.nip19Encode ?? []).map((e) => attempt(() => pointer(e)));
answer.nip19Decoded = (request.nip19Decode ?? []).map((text) => attempt(() => {
  const { type, data } = nip19.decode(text);
  return { type, data: data instanceof Uint8Array ? bytesToHex(data) : data };
}));

answer.nip44Encrypted = (request.nip44Encrypt ?? []).map((m) => attempt(() =>
  nip44.v2.encrypt(m.plaintext, nip44.v2.utils.getConversationKey(hexToBytes(m.secret), m.peer))));
answer.nip44Decrypted = (request.nip44Decrypt ?? []).map((m) => attempt(() =>
  nip44.v2.decrypt(m.payload, nip44.v2.utils.getConversationKey(hexToBytes(m.secret), m.peer))));

process.stdout.write(JSON.stringify(answer));
