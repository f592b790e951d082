// Reads one JSON job per line on stdin and prints one JSON result per line. Jobs:
//  {"kind":"signature","jwk":{...},"request":{"method","url","headers":{lower-case},"body":"..."}}
//    -> validateSignature from @interledger/http-signature-utils (Interledger's own verifier)
//  {"kind":"response","spec":"resource-server|auth-server|wallet-address-server","path","method","status","body":{}}
//    -> the response validator of @interledger/openapi over the specs shipped in @interledger/open-payments
// Exits non-zero when any job fails.
const { validateSignature } = require('@interledger/http-signature-utils');
const { createOpenAPI } = require('@interledger/openapi');
const path = require('path');

const specDir = path.join(path.dirname(require.resolve('@interledger/open-payments/package.json')), 'dist', 'openapi', 'specs');

async function main() {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const specs = {};
  let failed = false;
  for (const line of input.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const job = JSON.parse(line);
    try {
      if (job.kind === 'signature') {
        const ok = await validateSignature(job.jwk, job.request);
        if (!ok) throw new Error('signature does not validate');
      } else {
        specs[job.spec] = specs[job.spec] || (await createOpenAPI(path.join(specDir, job.spec + '.yaml')));
        const validate = specs[job.spec].createResponseValidator({ path: job.path, method: job.method });
        validate({ status: job.status, body: job.body });
      }
      console.log(JSON.stringify({ ok: true }));
    } catch (e) {
      failed = true;
      console.log(JSON.stringify({ ok: false, error: String((e && e.message) || e), errors: e && e.errors }));
    }
  }
  process.exit(failed ? 1 : 0);
}
main();
