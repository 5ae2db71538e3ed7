const test = require('node:test');
const assert = require('node:assert');
const { AsyncLocalStorage, executionAsyncId, createHook } = require('node:async_hooks');
const addon = require('./addon');

const als = new AsyncLocalStorage();

test('AsyncLocalStorage: the promise form continues in the caller\'s store', async () => {
  const runs = [];
  for (let id = 0; id < 50; id++) {
    runs.push(als.run({ id }, async () => {
      await addon.stat(__filename);
      const a = als.getStore().id;
      await addon.sleep(id % 3);
      return [id, a, als.getStore().id];
    }));
  }
  for (const [id, a, b] of await Promise.all(runs)) {
    assert.strictEqual(a, id);
    assert.strictEqual(b, id);
  }
});

test('AsyncLocalStorage: the callback form is called in the caller\'s store', async () => {
  const seen = await Promise.all(Array.from({ length: 50 }, (_, id) => new Promise((resolve) => {
    als.run({ id }, () => addon.stat(__filename, () => resolve([id, als.getStore()?.id])));
  })));
  for (const [id, got] of seen) assert.strictEqual(got, id);
  // Outside any store, the callback sees none.
  const none = await new Promise((resolve) => addon.stat(__filename, () => resolve(als.getStore())));
  assert.strictEqual(none, undefined);
});

test('async_hooks: each operation is an async resource triggered by its caller', async () => {
  const inits = new Map();
  const hook = createHook({
    init(id, type, triggerId) { if (type === 'uvco') inits.set(id, triggerId); },
  }).enable();
  let inside;
  const outer = executionAsyncId();
  await new Promise((resolve) => addon.stat(__filename, () => { inside = executionAsyncId(); resolve(); }));
  hook.disable();
  assert.ok(inits.has(inside), `callback ran in resource ${inside}, uvco resources: ${[...inits.keys()]}`);
  assert.strictEqual(inits.get(inside), outer);
});

test('a callback that throws reaches uncaughtException, and node carries on', () => {
  // In a child: the test runner claims uncaughtException for itself.
  const { spawnSync } = require('node:child_process');
  const script = `
    const a = require(${JSON.stringify(require.resolve('./addon'))});
    process.once('uncaughtException', (err) => {
      console.log('caught: ' + err.message);
      a.stat('/etc/hostname').then((s) => console.log('still working: ' + s.isFile));
    });
    a.stat(__filename, () => { throw new Error('thrown by the callback'); });
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: process.env, cwd: __dirname });
  assert.strictEqual(r.status, 0, r.stderr);
  assert.match(r.stdout, /caught: thrown by the callback/);
  assert.match(r.stdout, /still working: true/);
});
