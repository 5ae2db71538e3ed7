// A short tour of the addon for valgrind (`scripts/host-tests.sh`): every form and error path
// once or a few times, in one node process, ending with operations in flight at exit.
const fs = require('node:fs');
const net = require('node:net');
const { AsyncLocalStorage } = require('node:async_hooks');
const addon = require('./addon');

async function main() {
  const als = new AsyncLocalStorage();
  for (let i = 0; i < 20; i++) {
    await als.run({ i }, async () => {
      const st = await addon.stat(__filename);
      if (st.size !== fs.statSync(__filename).size || als.getStore().i !== i) throw new Error('stat');
    });
  }
  await Promise.all(Array.from({ length: 200 }, () => addon.readFile(__filename)));
  await new Promise((resolve) => addon.stat(__filename, (err) => (err ? process.exit(1) : resolve())));
  await addon.stat('/nonexistent').catch((e) => { if (e.code !== 'ENOENT') throw e; });
  try { addon.stat(1); } catch (e) { if (e.name !== 'TypeError') throw e; }
  await addon.panics('async').catch((e) => { if (e.code !== 'ERR_RUST_PANIC') throw e; });
  await addon.lookup('localhost');
  await addon.sleep(5);
  const server = net.createServer((s) => s.pipe(s)).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  if (await addon.echo(server.address().port, 'hi') !== 'hi') throw new Error('echo');
  server.close();
  for (let i = 0; i < 100; i++) addon.stat(__filename).catch(() => {});
  console.log('valgrind run: ok');
}
main().catch((e) => { console.error(e); process.exit(1); });
