const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const addon = require('./addon');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uvco-node-'));
const file = path.join(dir, 'four-k.bin');
const bytes = Buffer.alloc(4096, 7);
fs.writeFileSync(file, bytes);

test('runs on node\'s own libuv', () => {
  assert.strictEqual(addon.libuvVersion(), process.versions.uv);
});

test('stat, as a promise and with a callback, matches fs.statSync', async () => {
  const want = fs.statSync(file);
  const got = await addon.stat(file);
  assert.strictEqual(got.size, want.size);
  assert.strictEqual(got.ino, want.ino);
  assert.strictEqual(got.mode, want.mode);
  assert.strictEqual(got.isFile, true);
  const viaCb = await new Promise((resolve, reject) =>
    addon.stat(file, (err, st) => (err ? reject(err) : resolve(st))));
  assert.strictEqual(viaCb.size, want.size);
  assert.strictEqual((await addon.stat(dir)).isDirectory, true);
  // A time before 1970 is negative, as fs gives it (it was 0).
  const old = path.join(dir, 'old');
  fs.writeFileSync(old, '');
  fs.utimesSync(old, -315619200, -315619200);
  assert.strictEqual((await addon.stat(old)).mtimeMs, fs.statSync(old).mtimeMs);
});

test('statSize: one request in the callback form, as a promise and with a callback', async () => {
  const want = fs.statSync(file).size;
  assert.strictEqual(await addon.statSize(file), want);
  const viaCb = await new Promise((resolve, reject) =>
    addon.statSize(file, (err, size) => (err ? reject(err) : resolve(size))));
  assert.strictEqual(viaCb, want);
  // Many at once, interleaved: each settles once with its own result.
  const sizes = await Promise.all(Array.from({ length: 200 }, () => addon.statSize(file)));
  assert.deepStrictEqual(new Set(sizes), new Set([want]));
  await assert.rejects(addon.statSize(path.join(dir, 'missing')),
    (err) => err.code === 'ENOENT' && err.syscall === 'stat');
  const cbErr = await new Promise((resolve) => addon.statSize(path.join(dir, 'missing'), resolve));
  assert.strictEqual(cbErr.code, 'ENOENT');
  // Never called back synchronously.
  let sync = true;
  const later = new Promise((resolve) => addon.statSize(file, () => resolve(sync)));
  sync = false;
  assert.strictEqual(await later, false);
});

test('a panic in a request callback rejects, or calls back with the error, and the host lives', async () => {
  await assert.rejects(addon.statSizePanics(file), (err) => err.code === 'ERR_RUST_PANIC');
  const err = await new Promise((resolve) => addon.statSizePanics(file, resolve));
  assert.strictEqual(err.code, 'ERR_RUST_PANIC');
  assert.strictEqual(await addon.statSize(file), fs.statSync(file).size);
});

test('result objects are plain objects, like literals, with or without a runtime yet', async () => {
  const want = { size: 7, mode: 0o100644, ino: 1, nlink: 1, mtimeMs: 0.5, isFile: true, isDirectory: false };
  // In a fresh worker, before any operation: no runtime, so no cached factory yet.
  const { Worker } = require('node:worker_threads');
  const fresh = await new Promise((resolve, reject) => {
    const w = new Worker(`
      const { parentPort } = require('node:worker_threads');
      const addon = require(${JSON.stringify(require.resolve('./addon'))});
      const v = addon.statLike(7);
      parentPort.postMessage({ v, keys: Object.keys(v), plain: Object.getPrototypeOf(v) === Object.prototype });`,
    { eval: true });
    w.once('message', resolve);
    w.once('error', reject);
  });
  assert.deepStrictEqual(fresh, { v: want, keys: Object.keys(want), plain: true });
  await addon.stat(file);
  const made = addon.statLike(7);
  assert.deepStrictEqual(made, want);
  assert.strictEqual(Object.getPrototypeOf(made), Object.prototype);
  assert.deepStrictEqual(Object.keys(await addon.stat(file)), Object.keys(want));
});

test('readFile returns the bytes, in both forms', async () => {
  assert.deepStrictEqual(await addon.readFile(file), bytes);
  const viaCb = await new Promise((resolve, reject) =>
    addon.readFile(file, (err, b) => (err ? reject(err) : resolve(b))));
  assert.deepStrictEqual(viaCb, bytes);
});

test('a missing file rejects like fs does: code, errno, syscall, path', async () => {
  const missing = path.join(dir, 'missing');
  const theirs = await fs.promises.stat(missing).catch((e) => e);
  const ours = await addon.stat(missing).catch((e) => e);
  assert.ok(ours instanceof Error);
  for (const key of ['code', 'errno', 'syscall', 'path', 'message']) {
    assert.strictEqual(ours[key], theirs[key], key);
  }
  const viaCb = await new Promise((resolve) => addon.stat(missing, (err, value) => resolve([err, value])));
  assert.strictEqual(viaCb[0].code, 'ENOENT');
  assert.strictEqual(viaCb[1], undefined);
  await assert.rejects(addon.readFile(missing), { code: 'ENOENT', syscall: 'open', path: missing });
  await assert.rejects(addon.readFile(dir), { code: 'EISDIR' });
});

test('arguments of the wrong type throw TypeError synchronously, as fs does', () => {
  for (const bad of [5, undefined, null, {}, Symbol('s')]) {
    assert.throws(() => addon.stat(bad), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  }
  assert.throws(() => addon.stat('a\0b'), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => addon.sleep('10'), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => addon.sleep(-1), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
  // A callback that is no function: napi-rs took objects and symbols, and the result went
  // nowhere.
  for (const bad of [{}, Symbol('cb'), []]) {
    assert.throws(() => addon.stat(file, bad), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
    assert.throws(() => addon.statSize(file, bad), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  }
  const [submitted, completed] = addon.requestCounts();
  assert.strictEqual(submitted, completed, 'a refused callback starts nothing');
});

test('a result whose conversion to JS throws rejects, or calls back, with that exception', async () => {
  // It once left the promise pending for good, and the exception went to uncaughtException.
  const uncaught = [];
  const onUncaught = (err) => uncaught.push(err);
  process.on('uncaughtException', onUncaught);
  try {
    await assert.rejects(addon.convertThrows(), { name: 'RangeError', code: 'ERR_TEST_UNCONVERTIBLE' });
    const err = await new Promise((resolve) => addon.convertThrows(resolve));
    assert.strictEqual(err.code, 'ERR_TEST_UNCONVERTIBLE');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepStrictEqual(uncaught, []);
  } finally {
    process.off('uncaughtException', onUncaught);
  }
});

test('10k operations in flight at once all settle', async () => {
  const all = [];
  for (let i = 0; i < 10000; i++) all.push(i % 2 ? addon.stat(file) : addon.readFile(file));
  const done = await Promise.all(all);
  assert.strictEqual(done.length, 10000);
  assert.strictEqual(done[0].length, 4096);
  assert.strictEqual(done[1].size, 4096);
  const [submitted, completed] = addon.requestCounts();
  assert.strictEqual(submitted, completed);
});

test('a chain of awaits advances with nothing else on the loop (microtasks drain after each settle)', async () => {
  for (let i = 0; i < 300; i++) await addon.stat(file);
  await new Promise((resolve) => addon.stat(file, () => process.nextTick(resolve)));
});

test('a panic in an operation rejects; a panic before it throws; node lives on', async () => {
  await assert.rejects(addon.panics('async'), { code: 'ERR_RUST_PANIC', message: /boom inside/ });
  await new Promise((resolve) => addon.panics('async', (err) => {
    assert.strictEqual(err.code, 'ERR_RUST_PANIC');
    resolve();
  }));
  assert.throws(() => addon.panics('sync'), /boom before/);
  await addon.panics('none');
  assert.strictEqual((await addon.stat(file)).size, 4096);
});

test.after(() => fs.rmSync(dir, { recursive: true }));
