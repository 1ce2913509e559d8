import { createSocket } from 'node:dgram';

/** Minimal DNS A-record query (pure encode/decode + one UDP exchange): a readiness and test probe. */
export function encodeQuery(name: string, id: number): Buffer {
  const labels = name.split('.').filter(Boolean);
  const qname = Buffer.concat([
    ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2); // standard query, recursion desired
  header.writeUInt16BE(1, 4); // one question
  return Buffer.concat([header, qname, Buffer.from([0, 1, 0, 1])]); // type A, class IN
}

function skipName(b: Buffer, off: number): number {
  for (;;) {
    const len = b[off];
    if (len === undefined) throw new Error('truncated DNS name');
    if ((len & 0xc0) === 0xc0) return off + 2;
    if (len === 0) return off + 1;
    off += len + 1;
  }
}

/** The A records of a response, and its rcode. */
export function decodeAnswers(b: Buffer, id: number): { rcode: number; addresses: string[] } {
  if (b.length < 12 || b.readUInt16BE(0) !== id) throw new Error('not the answer to our query');
  const rcode = b.readUInt16BE(2) & 0xf;
  const qd = b.readUInt16BE(4);
  const an = b.readUInt16BE(6);
  let off = 12;
  for (let i = 0; i < qd; i++) off = skipName(b, off) + 4;
  const addresses: string[] = [];
  for (let i = 0; i < an; i++) {
    off = skipName(b, off);
    const type = b.readUInt16BE(off);
    const rdlen = b.readUInt16BE(off + 8);
    if (type === 1 && rdlen === 4) addresses.push([...b.subarray(off + 10, off + 14)].join('.'));
    off += 10 + rdlen;
  }
  return { rcode, addresses };
}

export function queryA(server: string, name: string, timeoutMs = 1000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const id = Math.floor(Math.random() * 65535);
    const sock = createSocket('udp4');
    const timer = setTimeout(() => {
      sock.close();
      reject(new Error(`no DNS answer from ${server} for ${name} within ${timeoutMs} ms`));
    }, timeoutMs);
    sock.on('message', (msg) => {
      try {
        const r = decodeAnswers(msg, id);
        clearTimeout(timer);
        sock.close();
        if (r.rcode !== 0) reject(new Error(`DNS server ${server} answered rcode ${r.rcode} for ${name}`));
        else resolve(r.addresses);
      } catch {
        // not ours: keep waiting
      }
    });
    sock.on('error', (e) => {
      clearTimeout(timer);
      sock.close();
      reject(e);
    });
    sock.send(encodeQuery(name, id), 53, server);
  });
}
