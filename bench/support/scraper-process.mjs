/**
 * A scraper in its own process, as Prometheus is: the bench's agent process only serves, and the
 * cost of reading the body (tens of MB at 2 200 dense-bucket series) is not charged to it.
 * Started with child_process.fork(); each message { url, concurrency, stallMs, gzip } opens
 * `concurrency` connections at once, each sending one GET with `Connection: close` (and
 * `Accept-Encoding: gzip` unless gzip is false, as Prometheus sends it), and answers
 * { bytes, ok, errors, ms } once every connection closed. With `stallMs`, every connection reads nothing for
 * that long (a slow reader), then reads the rest.
 */
import { connect } from 'node:net';

function scrapeOnce(url, stallMs, gzip) {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve) => {
    let bytes = 0;
    let head = '';
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.write(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\n${gzip ? 'Accept-Encoding: gzip\r\n' : ''}Connection: close\r\n\r\n`);
      if (stallMs > 0) {
        socket.pause();
        setTimeout(() => socket.resume(), stallMs);
      }
    });
    socket.on('data', (d) => {
      if (head.length < 12) head += d.subarray(0, 12).toString('latin1');
      bytes += d.length;
    });
    let error = '';
    socket.once('close', () => resolve({ bytes, ok: head.startsWith('HTTP/1.1 200'), error: error || (head ? head.slice(0, 12) : 'closed before any byte') }));
    socket.once('error', (e) => (error = e.code ?? String(e)));
  });
}

process.on('message', async ({ url, concurrency = 1, stallMs = 0, gzip = true }) => {
  const t0 = performance.now();
  const all = await Promise.all(Array.from({ length: concurrency }, () => scrapeOnce(url, stallMs, gzip)));
  const failed = all.filter((r) => !r.ok);
  process.send({
    bytes: all.reduce((a, r) => a + r.bytes, 0),
    ok: all.length - failed.length,
    errors: failed.map((r) => `${r.error} after ${r.bytes} bytes`),
    ms: performance.now() - t0,
  });
});
process.on('disconnect', () => process.exit(0));
