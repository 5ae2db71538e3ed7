// The fs rows of uvco's benchmark, in Node.js: fs_stat one at a time, fs_stat with 64 in
// flight, and readfile of a 4 KiB file, each with callbacks and with fs.promises.
// Node runs these on the same libuv threadpool (UV_THREADPOOL_SIZE=4 by default).
//
//   node bench/node/fs_bench.js [--quick]
//
// Interleaved and repeated like the Rust harness; prints median ns/op and min–max.
'use strict';

const fs = require('fs');
const fsp = require('fs/promises');
const os = require('os');
const path = require('path');

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 5 : 9;
const SAMPLE_MS = quick ? 40 : 200;
const WIDE = 64;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uvco-node-bench-'));
const file = path.join(dir, 'file-4k');
fs.writeFileSync(file, Buffer.alloc(4096, 'x'));

// Each variant: (n, done) => runs n ops, then calls done().
function statCb(n, done) {
  let left = n;
  const next = () => fs.stat(file, (err) => {
    if (err) throw err;
    if (--left > 0) next(); else done();
  });
  next();
}

async function statPromise(n) {
  for (let i = 0; i < n; i++) await fsp.stat(file);
}

function statWideCb(n, done) {
  let toIssue = n;
  let left = n;
  const one = () => fs.stat(file, (err) => {
    if (err) throw err;
    if (toIssue > 0) { toIssue--; one(); }
    if (--left === 0) done();
  });
  const first = Math.min(WIDE, n);
  toIssue -= first;
  for (let i = 0; i < first; i++) one();
}

async function statWidePromise(n) {
  const width = Math.min(WIDE, n);
  const workers = [];
  for (let w = 0; w < width; w++) {
    const count = Math.floor(n / width) + (w < n % width ? 1 : 0);
    workers.push((async () => { for (let i = 0; i < count; i++) await fsp.stat(file); })());
  }
  await Promise.all(workers);
}

function readCb(n, done) {
  let left = n;
  const next = () => fs.readFile(file, (err, data) => {
    if (err) throw err;
    if (data.length !== 4096) throw new Error('short read');
    if (--left > 0) next(); else done();
  });
  next();
}

async function readPromise(n) {
  for (let i = 0; i < n; i++) await fsp.readFile(file);
}

const asPromise = (f) => (n) => new Promise((resolve) => f(n, resolve));

const rows = [
  ['fs_stat', [['callbacks', asPromise(statCb)], ['fs.promises', statPromise]]],
  ['fs_stat_x64', [['callbacks', asPromise(statWideCb)], ['fs.promises', statWidePromise]]],
  ['readfile_4k', [['callbacks', asPromise(readCb)], ['fs.promises', readPromise]]],
];

async function time(run, n) {
  const t = process.hrtime.bigint();
  await run(n);
  return Number(process.hrtime.bigint() - t);
}

async function calibrate(run) {
  await run(1);
  let n = 1;
  for (;;) {
    const t = await time(run, n);
    if (t >= (SAMPLE_MS * 1e6) / 8) return Math.max(1, Math.round((SAMPLE_MS * 1e6) / (t / n)));
    n *= 4;
  }
}

const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

const fmt = (ns) => (ns >= 1e4 ? `${(ns / 1e3).toFixed(1)} µs` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);

async function main() {
  const cpu = os.cpus()[0] ? os.cpus()[0].model : 'unknown';
  console.log(`machine: ${cpu}, ${os.availableParallelism ? os.availableParallelism() : os.cpus().length} cores; node ${process.version}, libuv ${process.versions.uv}, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE || '4 (default)'}`);
  console.log(`method: variants interleaved with rotating order, ${ROUNDS} rounds of ~${SAMPLE_MS} ms samples; median and min–max over rounds\n`);
  console.log('| operation | variant | median ns/op | min–max/op | ops/s |');
  console.log('|---|---|--:|--:|--:|');
  for (const [name, variants] of rows) {
    const iters = [];
    for (const [, run] of variants) iters.push(await calibrate(run));
    const ns = variants.map(() => []);
    for (let r = 0; r < ROUNDS; r++) {
      for (let j = 0; j < variants.length; j++) {
        const i = (r + j) % variants.length;
        ns[i].push((await time(variants[i][1], iters[i])) / iters[i]);
      }
    }
    variants.forEach(([label], i) => {
      const m = median(ns[i]);
      console.log(`| ${i === 0 ? name : ''} | node ${label} | ${m.toFixed(0)} | ${fmt(Math.min(...ns[i]))}–${fmt(Math.max(...ns[i]))} | ${(1e9 / m / 1e3).toFixed(1)} k/s |`);
    });
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => { console.error(e); process.exit(1); });
