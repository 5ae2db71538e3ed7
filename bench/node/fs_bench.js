// The fs rows of uvco's benchmark, in Node.js: fs.stat and fs.readFile of a 4 KiB file, one
// at a time and with 64 in flight, each through Node's callbacks, through fs.promises, and
// through the uvco test addon (host mode, on Node's own loop and threadpool) as a promise and
// with a callback. Everything runs on the same libuv threadpool (UV_THREADPOOL_SIZE=4 by
// default).
//
//   scripts/bench-node.sh [--quick]          (builds the addon and the malloc counter)
//   UVCO_ADDON=path/to/addon.node LD_PRELOAD=target/malloc_count.so \
//     MALLOC_COUNT_FILE=/tmp/count node --expose-gc bench/node/fs_bench.js [--quick]
//
// Without UVCO_ADDON only Node's own variants run. Without the malloc counter (LD_PRELOAD of
// bench/node/malloc_count.so plus MALLOC_COUNT_FILE) the mallocs/op column says n/a; without
// --expose-gc the heap column does.
//
// Method:
// - Timing: variants interleaved with rotating order, ROUNDS rounds of ~SAMPLE_MS samples;
//   ops/s is the median over rounds (min–max beside it). Ratios are medians of the per-round
//   ratios (both variants of a pair ran in the same round, next to each other).
// - mallocs/op: malloc_count.so counts malloc/calloc/realloc/posix_memalign/aligned_alloc
//   (and memalign/valloc/pvalloc) calls on every thread of the process, threadpool included,
//   into an 8-byte file it maps MAP_SHARED; this script reads that file with fs.readSync
//   before and after a batch. V8's background threads are counted too (noise, amortised over
//   the batch). The cost of the measurement itself is taken from an empty batch and
//   subtracted.
// - JS heap bytes/op: allocated on V8's heap per op. gc() first, then heapUsed after the batch
//   minus heapUsed before, plus what every GC during the batch freed (v8.GCProfiler reports
//   the used heap size before and after each GC), so scavenges inside the batch don't hide
//   allocations. Buffer contents live outside the V8 heap and show up as mallocs instead.
//   Approximate in that concurrent sweeping after a mark-compact is not seen.
// - Counting runs in separate interleaved rounds (COUNT_ROUNDS, median), after the timed
//   ones, so that gc() and the profiler don't touch the timings.
'use strict';

const fs = require('fs');
const fsp = require('fs/promises');
const os = require('os');
const path = require('path');
const v8 = require('v8');

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 5 : 9;
const COUNT_ROUNDS = quick ? 3 : 5;
const SAMPLE_MS = quick ? 40 : 200;
const WIDE = 64;
const SIZE = 4096;

const addonPath = process.env.UVCO_ADDON;
const addon = addonPath ? require(path.resolve(addonPath)) : null;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uvco-node-bench-'));
const file = path.join(dir, 'file-4k');
fs.writeFileSync(file, Buffer.alloc(SIZE, 'x'));

// The malloc counter, if preloaded: a little-endian u64 at offset 0 of MALLOC_COUNT_FILE.
const counter = (() => {
  const f = process.env.MALLOC_COUNT_FILE;
  if (!f || !(process.env.LD_PRELOAD || '').includes('malloc_count')) return null;
  const fd = fs.openSync(f, 'r');
  const buf = Buffer.alloc(8);
  const read = () => {
    fs.readSync(fd, buf, 0, 8, 0);
    return Number(buf.readBigUInt64LE(0));
  };
  const a = read();
  const b = read();
  // The library must be counting: our own read allocates, or something else in the process did.
  if (!(b >= a) || a === 0) return null;
  return read;
})();
const gc = typeof global.gc === 'function' ? global.gc : null;

// Each variant is compiled from its own source text, so that V8 keeps separate type feedback
// for it: closures of one shared factory function share feedback, which would make the call
// sites polymorphic across variants and slow all of them. CALL is the function under test
// (called as CALL(file, cb) or CALL(file)), CHECK validates its result v.
//   callback form: (n, done) => runs n ops, then calls done()
//   promise form:  async (n) => runs n ops
const templates = {
  cb1: `return function run(n, done) {
    let left = n;
    const next = () => CALL(file, (err, v) => {
      if (err) throw err;
      CHECK
      if (--left > 0) next(); else done();
    });
    next();
  };`,
  cbWide: `return function run(n, done) {
    let toIssue = n;
    let left = n;
    const one = () => CALL(file, (err, v) => {
      if (err) throw err;
      CHECK
      if (toIssue > 0) { toIssue--; one(); }
      if (--left === 0) done();
    });
    const first = Math.min(WIDE, n);
    toIssue -= first;
    for (let i = 0; i < first; i++) one();
  };`,
  p1: `return async function run(n) {
    for (let i = 0; i < n; i++) {
      const v = await CALL(file);
      CHECK
    }
  };`,
  pWide: `return async function run(n) {
    const width = Math.min(WIDE, n);
    const workers = [];
    for (let w = 0; w < width; w++) {
      const count = Math.floor(n / width) + (w < n % width ? 1 : 0);
      workers.push((async () => {
        for (let i = 0; i < count; i++) {
          const v = await CALL(file);
          CHECK
        }
      })());
    }
    await Promise.all(workers);
  };`,
};

const checks = {
  stat: `if (v.size !== ${SIZE}) throw new Error('wrong size');`,
  statSize: `if (v !== ${SIZE}) throw new Error('wrong size');`,
  readFile: `if (v.length !== ${SIZE}) throw new Error('short read');`,
};

function variant(op, form, wide, call) {
  const tpl = templates[(form === 'cb' ? 'cb' : 'p') + (wide ? 'Wide' : '1')];
  const src = tpl.replace('CALL', call).replace('CHECK', checks[op]);
  const run = new Function('fs', 'fsp', 'addon', 'file', 'WIDE', src)(fs, fsp, addon, file, WIDE);
  return form === 'cb' ? (n) => new Promise((resolve) => run(n, resolve)) : run;
}

function variants(op, wide) {
  const v = [
    ['callbacks', variant(op, 'cb', wide, `fs.${op}`)],
    ['fs.promises', variant(op, 'p', wide, `fsp.${op}`)],
  ];
  if (addon) {
    v.push(['uvco promise', variant(op, 'p', wide, `addon.${op}`)]);
    v.push(['uvco callback', variant(op, 'cb', wide, `addon.${op}`)]);
  }
  return v;
}

// The size alone, from one uv_fs_stat: through a uvco task (`settle` with an async block)
// and in the callback form (`uvco_node::request`: the promise or callback settled from the
// request's own libuv callback, no task). Only uvco variants: Node's fs has no size-only stat.
function sizeVariants(wide) {
  if (!addon) return [];
  return [
    ['uvco task promise', variant('statSize', 'p', wide, 'addon.statSizeTask')],
    ['uvco task callback', variant('statSize', 'cb', wide, 'addon.statSizeTask')],
    ['uvco request promise', variant('statSize', 'p', wide, 'addon.statSize')],
    ['uvco request callback', variant('statSize', 'cb', wide, 'addon.statSize')],
  ];
}

const rows = [
  ['stat x1', 'stat', variants('stat', false)],
  [`stat x${WIDE}`, 'stat', variants('stat', true)],
  ['stat size x1', 'statSize', sizeVariants(false)],
  [`stat size x${WIDE}`, 'statSize', sizeVariants(true)],
  ['readFile 4KiB x1', 'readFile', variants('readFile', false)],
  [`readFile 4KiB x${WIDE}`, 'readFile', variants('readFile', true)],
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

// One counting batch: total mallocs and JS heap bytes of `run(n)`, before subtracting the
// measurement's own cost.
async function count(run, n) {
  if (gc) gc();
  const prof = gc ? new v8.GCProfiler() : null;
  if (prof) prof.start();
  const h0 = process.memoryUsage().heapUsed;
  const m0 = counter ? counter() : 0;
  await run(n);
  const m1 = counter ? counter() : 0;
  const h1 = process.memoryUsage().heapUsed;
  let freed = 0;
  if (prof) {
    for (const e of prof.stop().statistics) {
      freed += e.beforeGC.heapStatistics.usedHeapSize - e.afterGC.heapStatistics.usedHeapSize;
    }
  }
  return { mallocs: m1 - m0, heap: h1 - h0 + freed };
}

const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

const fmtOps = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e4 ? `${(x / 1e3).toFixed(1)}k` : `${(x / 1e3).toFixed(2)}k`);
const fmtX = (x) => `${x.toFixed(2)}x`;

async function main() {
  const cpu = os.cpus()[0] ? os.cpus()[0].model : 'unknown';
  const cores = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
  console.log(`machine: ${cpu}, ${cores} cores; node ${process.version}, libuv ${process.versions.uv}, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE || '4 (default)'}`);
  if (addon) {
    console.log(`uvco addon: ${addonPath} (calls libuv ${addon.libuvVersion ? addon.libuvVersion() : '?'}: Node's own loop and threadpool)`);
  } else {
    console.log('uvco addon: UVCO_ADDON is not set, so only Node\'s own variants run (scripts/bench-node.sh sets it)');
  }
  console.log(`timing: variants interleaved with rotating order, ${ROUNDS} rounds of ~${SAMPLE_MS} ms samples; ops/s median (min–max) over rounds; ratios are medians of per-round ratios`);
  console.log(counter
    ? `mallocs/op: LD_PRELOAD counter (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign), all threads counted (the threadpool's allocations belong to the op), median of ${COUNT_ROUNDS} separate rounds, measurement overhead subtracted`
    : 'mallocs/op: n/a (no LD_PRELOAD malloc counter: run through scripts/bench-node.sh)');
  console.log(gc
    ? `JS heap bytes/op: V8 heap allocated per op: heapUsed delta after gc() plus what GCs inside the batch freed (v8.GCProfiler); Buffer contents are off-heap (mallocs); approximate, median of ${COUNT_ROUNDS} rounds`
    : 'JS heap bytes/op: n/a (run node with --expose-gc)');

  // What measuring costs by itself: an empty batch, a few times.
  const empty = async () => {};
  await count(empty, 0);
  const overhead = [];
  for (let r = 0; r < 5; r++) overhead.push(await count(empty, 0));
  const baseM = median(overhead.map((o) => o.mallocs));
  const baseH = median(overhead.map((o) => o.heap));
  console.log('');
  if (counter || gc) {
    console.log(`measurement overhead per batch (subtracted): ${counter ? baseM : 'n/a'} mallocs, ${gc ? baseH : 'n/a'} heap bytes\n`);
  }

  const header = addon
    ? '| operation | variant | ops/s median (min–max) | mallocs/op | JS heap B/op | vs fs.promises | vs callbacks |\n|---|---|--:|--:|--:|--:|--:|'
    : '| operation | variant | ops/s median (min–max) | mallocs/op | JS heap B/op |\n|---|---|--:|--:|--:|';
  console.log(header);
  const results = {};
  for (const [name, op, vs] of rows) {
    if (vs.length === 0) continue;
    const iters = [];
    for (const [, run] of vs) iters.push(await calibrate(run));
    const ns = vs.map(() => []);
    for (let r = 0; r < ROUNDS; r++) {
      for (let j = 0; j < vs.length; j++) {
        const i = (r + j) % vs.length;
        ns[i].push((await time(vs[i][1], iters[i])) / iters[i]);
      }
    }
    const mallocs = vs.map(() => []);
    const heap = vs.map(() => []);
    for (let r = 0; r < COUNT_ROUNDS; r++) {
      for (let j = 0; j < vs.length; j++) {
        const i = (r + j) % vs.length;
        const c = await count(vs[i][1], iters[i]);
        mallocs[i].push((c.mallocs - baseM) / iters[i]);
        heap[i].push((c.heap - baseH) / iters[i]);
      }
    }
    const ops = ns.map((xs) => xs.map((t) => 1e9 / t));
    const ratio = (a, b) => median(ops[a].map((x, r) => x / ops[b][r]));
    const res = { op, variants: {} };
    vs.forEach(([label], i) => {
      const m = median(ops[i]);
      const cells = [
        i === 0 ? name : '',
        label,
        `${fmtOps(m)} (${fmtOps(Math.min(...ops[i]))}–${fmtOps(Math.max(...ops[i]))})`,
        counter ? median(mallocs[i]).toFixed(1) : 'n/a',
        gc ? median(heap[i]).toFixed(0) : 'n/a',
      ];
      const entry = { ops: m, mallocs: median(mallocs[i]), heap: median(heap[i]) };
      if (addon) {
        if (label === 'uvco promise') {
          entry.vsPromises = ratio(i, 1);
          entry.vsCallbacks = ratio(i, 0);
          cells.push(fmtX(entry.vsPromises), fmtX(entry.vsCallbacks));
        } else if (label === 'uvco callback') {
          entry.vsPromises = ratio(i, 1);
          entry.vsCallbacks = ratio(i, 0);
          cells.push('', fmtX(entry.vsCallbacks));
        } else if (label.startsWith('uvco request')) {
          // Against the same form through a task (two rows up).
          entry.vsTask = ratio(i, i - 2);
          cells.push(`${fmtX(entry.vsTask)} vs task`, '');
        } else {
          cells.push('', '');
        }
      }
      res.variants[label] = entry;
      console.log(`| ${cells.join(' | ')} |`);
    });
    results[name] = res;
  }

  if (addon) {
    // The targets of issue 10, from the ratios above.
    console.log('\ntargets (issue 10), uvco promise form:');
    const verdict = (ok) => (ok ? 'met' : 'MISSED');
    const line = (row, what, got, want) => console.log(`- ${row}: ${what} ${fmtX(got)} (target >= ${want}x): ${verdict(got >= want)}`);
    const u = (row) => results[row].variants['uvco promise'];
    line(`stat x${WIDE}`, 'vs fs.promises', u(`stat x${WIDE}`).vsPromises, 3.5);
    line(`stat x${WIDE}`, 'vs callbacks', u(`stat x${WIDE}`).vsCallbacks, 1.5);
    line(`readFile 4KiB x${WIDE}`, 'vs fs.promises', u(`readFile 4KiB x${WIDE}`).vsPromises, 3.5);
    line(`readFile 4KiB x${WIDE}`, 'vs callbacks', u(`readFile 4KiB x${WIDE}`).vsCallbacks, 1.1);
    line('stat x1', 'vs fs.promises', u('stat x1').vsPromises, 1.2);
    line('readFile 4KiB x1', 'vs fs.promises', u('readFile 4KiB x1').vsPromises, 1.2);
    if (counter) {
      for (const row of Object.keys(results).filter((r) => results[r].variants.callbacks)) {
        const got = u(row).mallocs;
        const cb = results[row].variants.callbacks.mallocs;
        console.log(`- ${row}: mallocs/op ${got.toFixed(1)} vs callbacks ${cb.toFixed(1)} (target <=): ${verdict(Number(got.toFixed(1)) <= Number(cb.toFixed(1)))}`);
      }
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
