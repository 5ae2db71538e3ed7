const test = require('node:test');
const assert = require('node:assert');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { Worker } = require('node:worker_threads');

const addonPath = process.env.UVCO_ADDON || path.join(__dirname, '..', 'target', 'addon.node');
const bundledPath = process.env.UVCO_ADDON_BUNDLED || path.join(__dirname, '..', 'target', 'addon-bundled.node');

function node(script, env = {}) {
  return spawnSync(process.execPath, ['-e', script], {
    env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60000,
  });
}

test('10k operations in flight, then process.exit: a clean exit', () => {
  const r = node(`
    const a = require(${JSON.stringify(addonPath)});
    for (let i = 0; i < 10000; i++) a.stat(__filename === undefined ? '.' : '/etc/hostname').catch(() => {});
    setImmediate(() => process.exit(7));
  `);
  assert.strictEqual(r.signal, null, r.stderr);
  assert.strictEqual(r.status, 7, r.stderr);
});

test('10k operations in flight when the script ends: node waits for them, then exits 0', () => {
  const r = node(`
    const a = require(${JSON.stringify(addonPath)});
    let n = 0;
    for (let i = 0; i < 10000; i++) a.readFile('/etc/hostname', () => { n++; });
    process.on('exit', () => { if (n !== 10000) { console.error('settled', n); process.exitCode = 3; } });
  `);
  assert.strictEqual(r.signal, null, r.stderr);
  assert.strictEqual(r.status, 0, r.stderr);
});

test('workers: each has its own runtime; one that exits with operations in flight ends cleanly', async () => {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const a = require(workerData.addon);
    if (workerData.mode === 'finish') {
      Promise.all(Array.from({ length: 500 }, () => a.stat('/etc/hostname')))
        .then((all) => parentPort.postMessage(all.length));
    } else {
      for (let i = 0; i < 2000; i++) a.readFile('/etc/hostname').catch(() => {});
      a.sleep(60000).catch(() => {});
      parentPort.postMessage('started');
      process.exit(0);
    }
  `;
  const run = (mode) => new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { addon: addonPath, mode } });
    const messages = [];
    w.on('message', (m) => messages.push(m));
    w.on('error', reject);
    w.on('exit', (exitCode) => resolve({ exitCode, messages }));
  });
  const [a, b] = await Promise.all([run('finish'), run('finish')]);
  assert.deepStrictEqual(a, { exitCode: 0, messages: [500] });
  assert.deepStrictEqual(b, { exitCode: 0, messages: [500] });
  for (let i = 0; i < 3; i++) {
    const quit = await run('quit');
    assert.strictEqual(quit.exitCode, 0);
  }
  // terminate() from outside, mid-flight.
  const w = new Worker(code, { eval: true, workerData: { addon: addonPath, mode: 'finish' } });
  await new Promise((r) => w.once('online', r));
  assert.strictEqual(await w.terminate(), 1);
});

test('a bundled (non-host) build refuses node\'s loop with a clear error, and node lives on', () => {
  const r = node(`
    const a = require(${JSON.stringify(bundledPath)});
    try { a.stat('/etc/hostname'); console.log('no error'); }
    catch (e) { console.log('refused: ' + e.message); }
    console.log('alive');
  `);
  assert.strictEqual(r.signal, null, r.stderr);
  assert.strictEqual(r.status, 0, r.stderr);
  assert.match(r.stdout, /refused: uvco can't run on this Node\.js loop: this loop belongs to the process's libuv 1\.\d+\.\d+, but uvco calls its own bundled libuv 1\.53\.\d+/);
  assert.match(r.stdout, /features = \["host"\]/);
  assert.match(r.stdout, /alive/);
});
