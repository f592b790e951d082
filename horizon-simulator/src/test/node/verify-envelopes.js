// Reads one JSON object per line on stdin: {envelope, passphrase, signers: [G...]}. Decodes each envelope with the
// independent @stellar/stellar-base, and prints one JSON line with the hash it computes, which of the given signers'
// signatures verify over that hash, the pre-auth-tx signer key for it, and the claimable balance id of every
// create_claimable_balance operation. Exits non-zero when an envelope fails to decode or a signature matches no signer.
const { TransactionBuilder, Keypair, StrKey } = require('@stellar/stellar-base');

let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  let failed = false;
  for (const line of input.split('\n').map((l) => l.trim()).filter(Boolean)) {
    try {
      const req = JSON.parse(line);
      const tx = TransactionBuilder.fromXDR(req.envelope, req.passphrase);
      const hash = tx.hash();
      const verified = [];
      for (const sig of tx.signatures) {
        const signer = req.signers.find((pk) => {
          const kp = Keypair.fromPublicKey(pk);
          return kp.signatureHint().equals(sig.hint()) && kp.verify(hash, sig.signature());
        });
        if (signer) {
          verified.push(signer);
        } else {
          failed = true;
        }
      }
      const balanceIds = tx.operations.map((op, i) =>
        op.type === 'createClaimableBalance' ? tx.getClaimableBalanceId(i) : null,
      );
      console.log(
        JSON.stringify({
          ok: true,
          hash: hash.toString('hex'),
          verified,
          preAuth: StrKey.encodePreAuthTx(hash),
          sequence: tx.sequence,
          fee: tx.fee,
          balanceIds,
        }),
      );
    } catch (e) {
      failed = true;
      console.log(JSON.stringify({ ok: false, error: String(e) }));
    }
  }
  process.exit(failed ? 1 : 0);
});
