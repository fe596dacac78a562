import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';

export interface Listening {
  port: number;
  close(): Promise<void>;
}

/** A TCP server that runs `script` on each connection: a silent server, one that hangs up, … */
export async function scriptedServer(script: (socket: Socket) => void): Promise<Listening> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    script(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A firewall-like black hole on loopback: a socket that listens with a full backlog and never
 * accepts, so the kernel drops new SYNs and a connect just hangs (Linux).
 */
export async function blackHole(): Promise<Listening> {
  const py = spawn('/usr/bin/python3', ['-c', `
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(0)
fill = []
for _ in range(4):
    c = socket.socket(); c.setblocking(False)
    try: c.connect(("127.0.0.1", s.getsockname()[1]))
    except BlockingIOError: pass
    fill.append(c)
time.sleep(0.3)
print(s.getsockname()[1], flush=True)
sys.stdin.read()
`], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    py.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    py.once('exit', (code) => reject(new Error(`black hole helper exited ${code}`)));
  });
  return { port, close: async () => void py.stdin!.end() };
}

export type HangUpWhen = 'mid-data' | 'after-dot';

/**
 * A hand-written SMTP server that accepts the envelope and then hangs up inside DATA: while the
 * body is still arriving (`mid-data`), or right after the final dot, before any reply (`after-dot`).
 */
export async function hangUpServer(when: HangUpWhen): Promise<Listening & { sessions: number; datas: number; dots: number; bodyBytes: number }> {
  const seen = { sessions: 0, datas: 0, dots: 0, bodyBytes: 0 };
  const server = await scriptedServer((socket) => {
    seen.sessions++;
    socket.write('220 hangup ESMTP\r\n');
    let buffer = '';
    let inData = false;
    socket.on('data', (chunk: Buffer) => {
      if (inData) {
        seen.bodyBytes += chunk.length;
        const tail = buffer + chunk.toString('latin1');
        buffer = tail.slice(-4);
        if (tail.includes('\r\n.\r\n')) seen.dots++;
        if (tail.includes('\r\n.\r\n') || (when === 'mid-data' && seen.bodyBytes > 64 * 1024)) socket.destroy();
        return;
      }
      buffer += chunk.toString('latin1');
      let i;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (/^EHLO/i.test(line)) socket.write('250-hangup\r\n250 8BITMIME\r\n');
        else if (/^DATA/i.test(line)) {
          seen.datas++;
          socket.write('354 go ahead\r\n');
          inData = true;
          buffer = '\r\n'; // a dot on the very first line still ends the message
          return;
        } else socket.write('250 OK\r\n');
      }
    });
  });
  return Object.assign(seen, { port: server.port, close: server.close });
}
