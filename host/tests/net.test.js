const test = require('node:test');
const assert = require('node:assert');
const net = require('node:net');
const addon = require('./addon');

function echoServer() {
  return new Promise((resolve) => {
    const server = net.createServer((sock) => sock.pipe(sock));
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

test('tcp: connect to a node server, write, read to EOF, in both forms', async () => {
  const server = await echoServer();
  const { port } = server.address();
  assert.strictEqual(await addon.echo(port, 'hello uvco'), 'hello uvco');
  const big = 'x'.repeat(200000);
  assert.strictEqual(await addon.echo(port, big), big);
  const viaCb = await new Promise((resolve, reject) =>
    addon.echo(port, 'cb', (err, v) => (err ? reject(err) : resolve(v))));
  assert.strictEqual(viaCb, 'cb');
  server.close();
});

test('tcp: a refused connection rejects with ECONNREFUSED', async () => {
  const server = await echoServer();
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  await assert.rejects(addon.echo(port, 'x'), { code: 'ECONNREFUSED', syscall: 'connect' });
});

test('dns: localhost resolves; an unknown host rejects with a getaddrinfo code', async () => {
  const addrs = await addon.lookup('localhost');
  assert.ok(addrs.some((a) => a === '127.0.0.1' || a === '::1'), String(addrs));
  await assert.rejects(addon.lookup('no-such-host.invalid'), (err) => {
    assert.match(err.code, /^EAI_/);
    assert.strictEqual(err.syscall, 'getaddrinfo');
    return true;
  });
});

test('timers: sleep resolves with the time that passed, in both forms', async () => {
  const ms = await addon.sleep(15);
  assert.ok(ms > 0);
  const viaCb = await new Promise((resolve) => addon.sleep(1, (err, v) => resolve(v)));
  assert.ok(viaCb > 0);
});
