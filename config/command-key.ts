import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The key duban's processes seal commands with (Ed25519). Only they hold the private half; each task and
 * region workflow is started with the public half and refuses a command without a seal made by it.
 */
export interface CommandKey {
  /** The public key, 32 bytes hex, as the workflows are started with. */
  readonly publicKey: string;
  /** Ed25519 over `message`, hex. The private key never leaves this object. */
  sign(message: Uint8Array): string;
  /** Where it came from, for messages (never the key itself). */
  readonly source: string;
}

/** Where `npm start` keeps the key it makes on first start, when none is configured. */
export const commandKeyFile = (dataDir: string) => path.join(dataDir, 'command-key.pem');

// PKCS#8 for an Ed25519 key: this prefix, then the 32-byte seed.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A PEM private key, base64 PKCS#8 DER, or a 32-byte seed (base64 or hex) -> the key; throws on anything else. */
function privateKeyFrom(text: string): KeyObject {
  const t = text.trim();
  if (t.startsWith('-----BEGIN')) return createPrivateKey(t);
  const bytes = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  const der = bytes.length === 32 ? Buffer.concat([PKCS8_PREFIX, bytes]) : bytes;
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

function commandKeyOf(key: KeyObject, source: string): CommandKey {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 private key');
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  const publicKey = spki.subarray(spki.length - 32).toString('hex');
  return {
    publicKey,
    source,
    sign: (message) => sign(null, message, key).toString('hex'),
  };
}

/** Parses a configured key; the error names where it came from, never the key. */
export function parseCommandKey(text: string, source: string): CommandKey {
  try {
    return commandKeyOf(privateKeyFrom(text), source);
  } catch (err) {
    throw new Error(
      `${source}: not an Ed25519 private key (PEM, base64 PKCS#8 or a 32-byte seed in base64 or hex): ` +
        (err instanceof Error ? err.message : String(err)),
    );
  }
}

export function readCommandKeyFile(file: string, source = file): CommandKey {
  return parseCommandKey(fs.readFileSync(file, 'utf8'), source);
}

/** Makes a key in `file` (mode 0600, never overwriting one) and returns it. */
export function createCommandKeyFile(file: string): CommandKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // 'wx': a key another process made meanwhile is kept, not replaced.
  try {
    fs.writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return readCommandKeyFile(file);
}
