/**
 * The lab's "internet" services (pure argv/script rendering): a DNS resolver that knows one test
 * name and an HTTP server for artifacts and egress checks, both on the inet bridge address.
 */
export const TEST_NAME = 'www.lab.test';

export function dnsmasqArgv(address: string, answer: string): string[] {
  return [
    'dnsmasq',
    '--keep-in-foreground',
    '--conf-file=/dev/null',
    '--no-resolv',
    '--no-hosts',
    '--no-poll',
    '--bind-interfaces',
    `--listen-address=${address}`,
    '--port=53',
    `--address=/lab.test/${answer}`,
    '--pid-file',
    '--log-facility=-',
    '--log-queries',
  ];
}

/**
 * A small static file server (node -e): GET/HEAD of files under the document root, 404 otherwise.
 * Argument order: address, port, document root.
 */
export const HTTP_SERVER_SCRIPT = `
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const [address, port, root] = process.argv.slice(-3);
const server = http.createServer((req, res) => {
  let rel;
  try { rel = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { rel = '/'; }
  let file = path.join(root, path.normalize(rel));
  if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
  fs.stat(file, (err, st) => {
    if (!err && st.isDirectory()) { file = path.join(file, 'index.html'); }
    fs.stat(file, (err2, st2) => {
      if (err2 || !st2.isFile() || (req.method !== 'GET' && req.method !== 'HEAD')) {
        res.writeHead(err2 || !st2.isFile() ? 404 : 405, { 'content-type': 'text/plain' }).end('not found\\n');
        console.log(req.method, req.url, 404);
        return;
      }
      res.writeHead(200, { 'content-length': st2.size, 'content-type': 'application/octet-stream' });
      console.log(req.method, req.url, 200, req.socket.remoteAddress);
      if (req.method === 'HEAD') { res.end(); return; }
      fs.createReadStream(file).pipe(res);
    });
  });
});
server.listen(Number(port), address, () => console.log('listening', address, port, root));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

export function httpServerArgv(node: string, address: string, port: number, docRoot: string): string[] {
  return [node, '-e', HTTP_SERVER_SCRIPT, '--', address, String(port), docRoot];
}
