// Drives a node that claims to be LND over TCP with an independent gRPC client: @grpc/grpc-js with LND's own .proto
// files as shipped (and loaded) by the npm `lightning` package (authenticatedLndGrpc: TLS with the node's tls.cert,
// the macaroon in the `macaroon` metadata). Reads one JSON object on stdin:
//   {socket: "localhost:port", cert: <base64 of tls.cert>, macaroon: <hex>, expiredMacaroon: <hex>,
//    sellerInvoice: <BOLT11 of another node>, sellerAmountMsat: "...", expectedFeeMsat: "..."}
// and prints one JSON line per step. When it prints {"event":"pay","paymentRequest":...} the test pays that invoice as
// the buyer. Exits 0 only when every check held; the first mismatch prints {"ok":false,...} and exits 1.
const crypto = require('crypto');
const bolt11 = require('bolt11');
const {authenticatedLndGrpc} = require('lightning');

const TIMEOUT_MS = 20000;
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const sha256 = (b) => crypto.createHash('sha256').update(b).digest();
const hex = (b) => Buffer.from(b).toString('hex');

class Mismatch extends Error {}
const expect = (what, actual, expected) => {
  if (String(actual) !== String(expected)) {
    throw new Mismatch(`${what}: expected ${expected}, got ${actual}`);
  }
};

const unary = (client, method, request) =>
  new Promise((resolve, reject) =>
    client[method](request, {deadline: Date.now() + TIMEOUT_MS}, (err, res) => (err ? reject(err) : resolve(res)))
  );

const refused = async (what, promise, messagePart) => {
  try {
    await promise;
  } catch (err) {
    if (!String(err.details || err.message).includes(messagePart)) {
      throw new Mismatch(`${what}: expected an error containing "${messagePart}", got "${err.details || err.message}"`);
    }
    return;
  }
  throw new Mismatch(`${what}: expected a refusal, the call succeeded`);
};

// Collects a server stream's messages; next() waits for the following one.
const follow = (stream) => {
  const queue = [];
  const waiters = [];
  let ended = null;
  const push = (item) => (waiters.length ? waiters.shift()(item) : queue.push(item));
  stream.on('data', (m) => push({message: m}));
  stream.on('error', (e) => {
    ended = {error: e};
    push(ended);
  });
  stream.on('end', () => {
    ended = ended || {end: true};
    push(ended);
  });
  return {
    next: (what) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Mismatch(`${what}: no stream message in ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
        const take = (item) => {
          clearTimeout(timer);
          if (item.message) {
            resolve(item.message);
          } else {
            reject(new Mismatch(`${what}: stream ended (${item.error ? item.error.details || item.error.message : 'end'})`));
          }
        };
        queue.length ? take(queue.shift()) : waiters.push(take);
      }),
    ended: () =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Mismatch(`stream did not end in ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
        const wait = () => (ended ? (clearTimeout(timer), resolve(ended)) : setTimeout(wait, 20));
        wait();
      }),
    cancel: () => stream.cancel(),
  };
};

const decodeRegtest = (paymentRequest) =>
  bolt11.decode(paymentRequest, {bech32: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4, validWitnessVersions: [0, 1]});

async function main(config) {
  const {lnd} = authenticatedLndGrpc({cert: config.cert, macaroon: config.macaroon, socket: config.socket});

  // GetInfo: the node answers over TLS with the macaroon; an expired macaroon is refused.
  const info = await unary(lnd.default, 'getInfo', {});
  out({step: 'GetInfo', identity_pubkey: info.identity_pubkey, block_height: info.block_height});
  const stale = authenticatedLndGrpc({cert: config.cert, macaroon: config.expiredMacaroon, socket: config.socket}).lnd;
  await refused('GetInfo with an expired macaroon', unary(stale.default, 'getInfo', {}), 'macaroon');
  out({step: 'expired macaroon refused'});

  // AddHoldInvoice on a hash whose preimage only this client knows.
  const preimage = crypto.randomBytes(32);
  const hash = sha256(preimage);
  const added = await unary(lnd.invoices, 'addHoldInvoice', {
    memo: 'grpc-js check',
    hash,
    value_msat: '250000000',
    expiry: '3600',
    cltv_expiry: '144',
  });
  const decoded = decodeRegtest(added.payment_request);
  const tag = (name) => decoded.tags.find((t) => t.tagName === name)?.data;
  expect('BOLT11 payment hash', tag('payment_hash'), hex(hash));
  expect('BOLT11 amount', decoded.millisatoshis, '250000000');
  expect('BOLT11 payee', decoded.payeeNodeKey, info.identity_pubkey);
  expect('BOLT11 min_final_cltv_expiry', tag('min_final_cltv_expiry'), 144);
  expect('BOLT11 payment secret', tag('payment_secret'), hex(added.payment_addr));
  out({step: 'AddHoldInvoice', add_index: added.add_index});

  // LookupInvoice: OPEN, our terms, no preimage yet.
  let looked = await unary(lnd.default, 'lookupInvoice', {r_hash: hash});
  expect('LookupInvoice state', looked.state, 'OPEN');
  expect('LookupInvoice r_hash', hex(looked.r_hash), hex(hash));
  expect('LookupInvoice value_msat', looked.value_msat, '250000000');
  expect('LookupInvoice payment_request', looked.payment_request, added.payment_request);
  expect('LookupInvoice memo', looked.memo, 'grpc-js check');
  expect('LookupInvoice cltv_expiry', looked.cltv_expiry, '144');
  expect('LookupInvoice is_keysend', looked.is_keysend, false);
  expect('LookupInvoice r_preimage of an unsettled hold', hex(looked.r_preimage), '');
  out({step: 'LookupInvoice', state: looked.state});

  // LND refuses to settle an OPEN hold invoice.
  await refused('SettleInvoice on OPEN', unary(lnd.invoices, 'settleInvoice', {preimage}), 'invoice still open');

  // SubscribeSingleInvoice sends the current state first, then each change.
  const sub = follow(lnd.invoices.subscribeSingleInvoice({r_hash: hash}));
  expect('first streamed state', (await sub.next('first streamed state')).state, 'OPEN');
  out({event: 'pay', paymentRequest: added.payment_request});
  const accepted = await sub.next('ACCEPTED');
  expect('streamed state after payment', accepted.state, 'ACCEPTED');
  expect('ACCEPTED amt_paid_msat', accepted.amt_paid_msat, '250000000');
  expect('ACCEPTED htlc count', accepted.htlcs.length, 1);
  expect('ACCEPTED htlc state', accepted.htlcs[0].state, 'ACCEPTED');
  out({step: 'ACCEPTED', expiry_height: accepted.htlcs[0].expiry_height});

  // SettleInvoice with the preimage: the stream shows SETTLED and ends; Lookup shows the preimage.
  await unary(lnd.invoices, 'settleInvoice', {preimage});
  const settled = await sub.next('SETTLED');
  expect('streamed state after settle', settled.state, 'SETTLED');
  expect('stream after a final state', Boolean((await sub.ended()).end), true);
  looked = await unary(lnd.default, 'lookupInvoice', {r_hash: hash});
  expect('LookupInvoice state after settle', looked.state, 'SETTLED');
  expect('LookupInvoice r_preimage after settle', hex(looked.r_preimage), hex(preimage));
  expect('LookupInvoice amt_paid_msat', looked.amt_paid_msat, '250000000');
  await refused('CancelInvoice after settle', unary(lnd.invoices, 'cancelInvoice', {payment_hash: hash}), 'invoice already settled');
  await refused('SettleInvoice twice', unary(lnd.invoices, 'settleInvoice', {preimage}), 'invoice already settled');
  out({step: 'SettleInvoice', state: looked.state});

  // CancelInvoice of another hold invoice, watched on its own stream.
  const preimage2 = crypto.randomBytes(32);
  const hash2 = sha256(preimage2);
  await unary(lnd.invoices, 'addHoldInvoice', {hash: hash2, value_msat: '1234567', expiry: '600', cltv_expiry: '40'});
  const sub2 = follow(lnd.invoices.subscribeSingleInvoice({r_hash: hash2}));
  expect('first streamed state (2)', (await sub2.next('first streamed state (2)')).state, 'OPEN');
  await unary(lnd.invoices, 'cancelInvoice', {payment_hash: hash2});
  expect('streamed state after cancel', (await sub2.next('CANCELED')).state, 'CANCELED');
  looked = await unary(lnd.default, 'lookupInvoice', {r_hash: hash2});
  expect('LookupInvoice state after cancel', looked.state, 'CANCELED');
  await refused('SettleInvoice after cancel', unary(lnd.invoices, 'settleInvoice', {preimage: preimage2}), 'invoice already canceled');
  await refused('LookupInvoice of an unknown hash', unary(lnd.default, 'lookupInvoice', {r_hash: crypto.randomBytes(32)}), 'unable to locate invoice');
  out({step: 'CancelInvoice', state: looked.state});

  // SendPaymentV2 to the seller's invoice: IN_FLIGHT first, then SUCCEEDED with the routing fee and the preimage.
  const seller = decodeRegtest(config.sellerInvoice);
  const sellerHash = seller.tags.find((t) => t.tagName === 'payment_hash').data;
  const pay = follow(
    lnd.router.sendPaymentV2({payment_request: config.sellerInvoice, timeout_seconds: 60, fee_limit_msat: '5000000'})
  );
  const states = [];
  let update;
  do {
    update = await pay.next('payment update');
    states.push(update.status);
  } while (update.status === 'IN_FLIGHT');
  expect('first payment state', states[0], 'IN_FLIGHT');
  expect('final payment state', update.status, 'SUCCEEDED');
  expect('payment hash', update.payment_hash, sellerHash);
  expect('payment value_msat', update.value_msat, config.sellerAmountMsat);
  expect('payment fee_msat', update.fee_msat, config.expectedFeeMsat);
  expect('payment preimage hashes to the payment hash', hex(sha256(Buffer.from(update.payment_preimage, 'hex'))), sellerHash);
  out({step: 'SendPaymentV2', states, fee_msat: update.fee_msat});

  // A second payment of the same invoice is refused, as LND does.
  const again = follow(
    lnd.router.sendPaymentV2({payment_request: config.sellerInvoice, timeout_seconds: 60, fee_limit_msat: '5000000'})
  );
  const second = await again.ended();
  if (!second.error || !String(second.error.details).includes('invoice is already paid')) {
    throw new Mismatch(`second payment of one invoice: expected "invoice is already paid", got ${JSON.stringify(second)}`);
  }
  out({step: 'SendPaymentV2 again refused'});
}

let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  main(JSON.parse(input))
    .then(() => {
      out({ok: true});
      process.exit(0);
    })
    .catch((e) => {
      out({ok: false, error: e instanceof Mismatch ? e.message : String((e && (e.details || e.stack)) || e)});
      process.exit(1);
    });
});
