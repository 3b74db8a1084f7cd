// An older-generation L402 client against the real seller: lsat-js reads the 402 challenge (it knows
// only `macaroon=`), the `macaroon` package decodes and verifies the token, and lsat-js's own
// `LSAT <macaroon>:<preimage>` credential is presented back.
//   node lsat-client.mjs challenge <url> <root key hex>  -> JSON: what lsat-js and macaroon read
//   node lsat-client.mjs redeem <url> <header> <preimage hex> -> JSON: the seller's answer
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Lsat } = require('lsat-js');
const macaroon = require('macaroon');

const [mode, url, arg1, arg2] = process.argv.slice(2);
const hex = (bytes) => Buffer.from(bytes).toString('hex');

if (mode === 'challenge') {
  const response = await fetch(url);
  // fetch joins repeated WWW-Authenticate headers with ", ": lsat-js must find its challenge in that.
  const header = response.headers.get('www-authenticate');
  const lsat = Lsat.fromHeader(header);
  const token = macaroon.importMacaroon(lsat.baseMacaroon);
  const caveats = token.caveats.map((c) => Buffer.from(c.identifier).toString('utf8'));
  let verified = 'no';
  try {
    token.verify(Buffer.from(arg1, 'hex'), (condition) => (condition.startsWith('compiled_id=') ? null : 'unknown caveat'));
    verified = 'yes';
  } catch (e) {
    verified = 'no: ' + e.message;
  }

  console.log(JSON.stringify({
    status: response.status,
    header,
    paymentHash: lsat.paymentHash,
    invoice: lsat.invoice,
    lsatId: lsat.id,
    macaroonIdentifier: hex(token.identifier),
    caveats,
    verified,
  }));
} else if (mode === 'redeem') {
  const lsat = Lsat.fromHeader(arg1);
  lsat.setPreimage(arg2);
  const authorization = lsat.toToken();
  const response = await fetch(url, { headers: { Authorization: authorization } });
  console.log(JSON.stringify({ status: response.status, scheme: authorization.split(' ')[0], body: await response.text() }));
} else {
  console.error('usage: lsat-client.mjs challenge <url> <root key hex> | redeem <url> <header> <preimage>');
  process.exit(2);
}
