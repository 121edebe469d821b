// Records jsonata-js outcomes; JSONATA_JS names jsonata-js v2.0.6's src/jsonata.js.
const jsonata = require(process.env.JSONATA_JS || '/tmp/jsonata-src/src/jsonata.js');
const readline = require('readline');
const rl = readline.createInterface({input: process.stdin});
const lines = [];
rl.on('line', l => lines.push(l));
rl.on('close', async () => {
  for (const l of lines) {
    const c = JSON.parse(l);
    let out;
    try {
      const e = jsonata(c.expr);
      const input = c.input === undefined ? undefined : JSON.parse(c.input);
      const b = c.bindings ? JSON.parse(c.bindings) : undefined;
      const r = await Promise.race([e.evaluate(input, b), new Promise((_, rej) => setTimeout(() => rej({code: 'TIMEOUT', message: 'timeout'}), 3000))]);
      if (r === undefined) out = {undefined: true};
      else if (typeof r === 'function' || (r && (r._jsonata_lambda || r._jsonata_function))) out = {function: true};
      else out = {result: JSON.stringify(r)};
    } catch (err) {
      out = {error: {code: err.code, message: err.message, position: err.position, token: err.token}};
    }
    process.stdout.write(JSON.stringify(out) + "\n");
  }
});
