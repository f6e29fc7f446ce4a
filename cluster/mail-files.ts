import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

/** A local SMTP server that writes every message it accepts to a file of its own, as received. */
export interface MailFiles {
  /** smtp://127.0.0.1:PORT, for DUBAN_SMTP_URL. */
  url: string;
  dir: string;
  /** How many messages have been written. */
  count(): number;
  /** Why connections went away in the middle of a mail (a sender killed mid-message): none was written. */
  dropped: string[];
  close(): Promise<void>;
}

/** Message-ID header of a raw message, or '' without one. */
export function messageIdOf(raw: string): string {
  const head = raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
  return /^message-id:\s*(\S+)/im.exec(head)?.[1] ?? '';
}

/**
 * Files are named NNNNNN-<Message-ID>.eml in arrival order: a message delivered twice (a worker killed
 * before it heard the server's answer) is two files with the same Message-ID.
 */
export async function startMailFiles(dir: string, port = 0): Promise<MailFiles> {
  fs.mkdirSync(dir, { recursive: true });
  let n = fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).length;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (err: Error) => callback(err));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        n += 1;
        const id = messageIdOf(raw.toString('utf8')).replace(/[^A-Za-z0-9@._-]/g, '_') || 'no-id';
        const file = path.join(dir, `${String(n).padStart(6, '0')}-${id}.eml`);
        // Written before the 250: once the sender hears "accepted", the message is on disk.
        fs.writeFile(file, raw, (err) => callback(err ?? undefined));
      });
    },
  });
  const dropped: string[] = [];
  // A worker killed with -9 while it sends resets its connection; the server notes it and goes on.
  server.on('error', (err: Error) => dropped.push(err.message));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${bound}`,
    dir,
    count: () => n,
    dropped,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
