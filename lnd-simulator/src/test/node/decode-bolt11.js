// Reads one BOLT11 payment request per line on stdin and prints one JSON object per line with what the
// independent `bolt11` package decodes: network, amount, payee, tags. Exits non-zero when any fails to decode
// or its signature does not verify.
const bolt11 = require('bolt11');

let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  const networks = {
    bcrt: { bech32: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4, validWitnessVersions: [0, 1] },
  };
  let failed = false;
  for (const line of input.split('\n').map((l) => l.trim()).filter(Boolean)) {
    try {
      const prefix = line.slice(2, line.indexOf('1', 2)).replace(/[0-9].*$/, '');
      const decoded = bolt11.decode(line, networks[prefix]);
      const tags = Object.fromEntries(decoded.tags.map((t) => [t.tagName, t.data]));
      console.log(
        JSON.stringify({
          ok: true,
          millisatoshis: decoded.millisatoshis,
          payeeNodeKey: decoded.payeeNodeKey,
          timestamp: decoded.timestamp,
          paymentHash: tags.payment_hash,
          paymentSecret: tags.payment_secret,
          description: tags.description,
          expireTime: tags.expire_time,
          minFinalCltvExpiry: tags.min_final_cltv_expiry,
          paymentSecretRequired: Boolean(tags.feature_bits && tags.feature_bits.payment_secret.required),
        })
      );
    } catch (e) {
      failed = true;
      console.log(JSON.stringify({ ok: false, error: String(e && e.message) }));
    }
  }
  process.exit(failed ? 1 : 0);
});
