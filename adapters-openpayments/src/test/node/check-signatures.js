// Reads one JSON job per line on stdin: {"jwk":{...},"request":{"method","url","headers":{lower-case},"body":"..."}}
// and prints one line per job: {"valid":true|false,"error":"..."} from validateSignature of
// @interledger/http-signature-utils (Interledger's own verifier). The Java IT decides which jobs must be valid.
const { validateSignature } = require('@interledger/http-signature-utils');

async function main() {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  for (const line of input.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const job = JSON.parse(line);
    try {
      const valid = await validateSignature(job.jwk, job.request);
      console.log(JSON.stringify({ valid: valid === true }));
    } catch (e) {
      console.log(JSON.stringify({ valid: false, error: String((e && e.message) || e) }));
    }
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(2);
});
