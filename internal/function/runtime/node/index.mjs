// fogbank's runtime client for the nodejs*.x runtimes: it loads the handler
// named by _HANDLER from LAMBDA_TASK_ROOT and serves invocations from the
// Runtime API (AWS_LAMBDA_RUNTIME_API) until the process is killed. Logs,
// errors and the context object follow AWS's Node.js runtime.

import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import util from 'node:util';

const [apiHost, apiPort] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const base = '/2018-06-01/runtime';
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const taskRoot = process.env.LAMBDA_TASK_ROOT;
const handlerString = process.env._HANDLER || '';

let currentRequestId;

// request sends one Runtime API request and resolves to {status, headers, body}.
function request(method, p, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: apiHost, port: apiPort, path: base + p, method, agent, headers },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// patchConsole writes console output as AWS's text log lines:
// <timestamp>\t<requestId>\t<LEVEL>\t<message>, newlines turned into \r.
function patchConsole() {
  const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
  for (const [name, level] of Object.entries(levels)) {
    console[name] = (...args) => {
      const msg = util.format(...args).replace(/\n/g, '\r');
      process.stdout.write(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${msg}\n`);
    };
  }
}

// awsRoots are the host directories standing in for AWS's, longest first:
// the code (/var/task), the merged layers (/opt, named by NODE_PATH's
// <opt>/nodejs/node_modules entry) and this runtime client (/var/runtime).
const awsRoots = (() => {
  const roots = [[taskRoot, '/var/task'], [process.env.LAMBDA_RUNTIME_DIR, '/var/runtime']];
  for (const entry of (process.env.NODE_PATH || '').split(':')) {
    if (entry.endsWith('/nodejs/node_modules')) roots.push([path.dirname(path.dirname(entry)), '/opt']);
  }
  return roots.filter(([host]) => host && host !== '/').sort((a, b) => b[0].length - a[0].length);
})();

// awsPaths rewrites a stack trace line's host paths (plain or file:// URLs)
// into AWS's.
function awsPaths(line) {
  for (const [host, aws] of awsRoots) line = line.split(host + '/').join(aws + '/');
  return line;
}

// toFormatted is an error as AWS's Node runtime reports it.
function toFormatted(err) {
  if (err instanceof Error) {
    return { errorType: err.name, errorMessage: err.message, trace: (err.stack || '').split('\n').map(awsPaths) };
  }
  if (err === null || err === undefined) {
    return { errorType: 'handled', errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack', trace: [] };
  }
  return { errorType: typeof err, errorMessage: String(err), trace: [] };
}

class RuntimeError extends Error {
  constructor(name, message) {
    super(message);
    this.name = name;
  }
}

function exists(p) {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

// isESM reports whether a .js file is an ES module: the nearest package.json
// says "type": "module".
function isESM(file) {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (exists(pkg)) {
      try {
        return JSON.parse(fs.readFileSync(pkg, 'utf8')).type === 'module';
      } catch {
        return false;
      }
    }
    if (dir === path.dirname(dir)) return false;
  }
}

// loadModule loads <root>/<module>(.js|.mjs|.cjs), or a package named module.
async function loadModule(root, moduleName) {
  const require = createRequire(path.join(taskRoot, 'index.js'));
  const stem = path.resolve(taskRoot, root, moduleName);
  if (exists(stem + '.mjs')) return import(pathToFileURL(stem + '.mjs').href);
  if (exists(stem + '.js')) {
    if (isESM(stem + '.js')) return import(pathToFileURL(stem + '.js').href);
    try {
      return require(stem + '.js');
    } catch (e) {
      if (e && e.code === 'ERR_REQUIRE_ESM') return import(pathToFileURL(stem + '.js').href);
      throw e;
    }
  }
  if (exists(stem + '.cjs')) return require(stem + '.cjs');
  try {
    return require(require.resolve(moduleName, { paths: [path.resolve(taskRoot, root), ...(process.env.NODE_PATH || '').split(':')] }));
  } catch (e) {
    if (e && e.code === 'MODULE_NOT_FOUND') {
      throw new RuntimeError('Runtime.ImportModuleError', `Error: Cannot find module '${moduleName}'\nRequire stack:\n- /var/runtime/index.mjs`);
    }
    throw e;
  }
}

// loadHandler resolves "dir/file.fn[.nested]" to a function.
async function loadHandler() {
  const slash = handlerString.lastIndexOf('/');
  const root = handlerString.slice(0, slash + 1);
  const rest = handlerString.slice(slash + 1);
  const dot = rest.indexOf('.');
  if (dot <= 0 || dot === rest.length - 1) {
    throw new RuntimeError('Runtime.MalformedHandlerName', `Bad handler ${handlerString}`);
  }
  let mod;
  try {
    mod = await loadModule(root, rest.slice(0, dot));
  } catch (e) {
    if (e instanceof RuntimeError) throw e;
    if (e instanceof SyntaxError) throw new RuntimeError('Runtime.UserCodeSyntaxError', `${e.name}: ${e.message}`);
    throw e;
  }
  let fn = mod;
  for (const part of rest.slice(dot + 1).split('.')) {
    fn = fn === undefined || fn === null ? undefined : fn[part];
  }
  if (fn === undefined && mod && mod.default) {
    fn = mod.default;
    for (const part of rest.slice(dot + 1).split('.')) fn = fn === undefined || fn === null ? undefined : fn[part];
  }
  if (fn === undefined || fn === null) {
    throw new RuntimeError('Runtime.HandlerNotFound', `${handlerString} is undefined or not exported`);
  }
  if (typeof fn !== 'function') {
    throw new RuntimeError('Runtime.HandlerNotFound', `${handlerString} is not a function`);
  }
  return fn;
}

function parseJSON(s) {
  if (!s) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

function makeContext(headers, done) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  const ctx = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: parseJSON(headers['lambda-runtime-cognito-identity']),
    clientContext: parseJSON(headers['lambda-runtime-client-context']),
    getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
    succeed: (result) => done(null, result),
    fail: (err) => done(err === undefined || err === null ? new Error('handled') : err),
    done: (err, result) => done(err, result),
  };
  return ctx;
}

async function postError(p, err) {
  const doc = toFormatted(err);
  console.error(p.startsWith('/init') ? 'Uncaught Exception' : 'Invoke Error', '\t' + JSON.stringify(doc).replace(/\n/g, '\r'));
  await request('POST', p, JSON.stringify(doc), { 'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': doc.errorType });
}

// invokeOnce runs the handler for one event; it resolves to [err, result].
function invokeOnce(fn, event, headers) {
  return new Promise((resolve) => {
    let settled = false;
    const done = (err, result) => {
      if (settled) return;
      settled = true;
      resolve([err, result]);
    };
    const ctx = makeContext(headers, done);
    const callback = (err, result) => (ctx.callbackWaitsForEmptyEventLoop ? setImmediate(() => done(err, result)) : done(err, result));
    try {
      const out = fn(event, ctx, callback);
      if (out && typeof out.then === 'function') out.then((r) => done(null, r), (e) => done(e === undefined ? null : e || new Error(String(e))));
      else if (fn.length < 3) done(null, out);
    } catch (e) {
      done(e);
    }
  });
}

async function main() {
  patchConsole();
  let fn;
  try {
    fn = await loadHandler();
  } catch (e) {
    await postError('/init/error', e);
    process.exit(129);
  }
  process.on('uncaughtException', (e) => {
    console.error('Uncaught Exception', '\t' + JSON.stringify(toFormatted(e)).replace(/\n/g, '\r'));
    process.exit(129);
  });
  for (;;) {
    const next = await request('GET', '/invocation/next');
    const id = next.headers['lambda-runtime-aws-request-id'];
    currentRequestId = id;
    if (next.headers['lambda-runtime-trace-id']) process.env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'];
    else delete process.env._X_AMZN_TRACE_ID;
    const event = JSON.parse(next.body.toString('utf8') || 'null');
    const [err, result] = await invokeOnce(fn, event, next.headers);
    if (err !== null && err !== undefined && err !== false) {
      await postError(`/invocation/${id}/error`, err);
      continue;
    }
    let body;
    try {
      body = JSON.stringify(result === undefined ? null : result);
    } catch (e) {
      await postError(`/invocation/${id}/error`, new RuntimeError('Runtime.MarshalError', `Unable to stringify response body as json: ${e.message}`));
      continue;
    }
    await request('POST', `/invocation/${id}/response`, body, { 'Content-Type': 'application/json' });
  }
}

main().catch((e) => {
  process.stderr.write(`fogbank node runtime: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
