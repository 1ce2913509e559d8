import { createServer, type Server, type Socket } from 'node:net';
import type { Client } from 'ssh2';

/** A local TCP port that leads to host:port as seen from the SSH server (ssh -L). */
export interface Forward {
  /** 127.0.0.1:<port>, for clients such as gRPC that need a TCP address. */
  address: string;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 (random port) and carries every connection through the SSH connection to
 * host:port. Only loopback is bound, so nothing else on the machine can use the tunnel.
 */
export function forwardThrough(conn: Client, host: string, port: number): Promise<Forward> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    conn.forwardOut('127.0.0.1', sock.remotePort ?? 0, host, port, (err, stream) => {
      if (err) {
        sock.destroy();
        return;
      }
      sock.pipe(stream).pipe(sock);
      stream.on('error', () => sock.destroy());
      sock.on('error', () => stream.close());
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      const p = typeof addr === 'object' && addr ? addr.port : 0;
      resolve({
        address: `127.0.0.1:${p}`,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}
