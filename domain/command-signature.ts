import { ed25519 } from '@noble/curves/ed25519';
import type { Rejection } from './task-events';

// Temporal takes an update or a signal from anyone who reaches its port, with whatever `actor` they write.
// duban's own processes seal each command with a private key only they hold; the workflow checks the seal
// with the public key it was started with, so a command typed at Temporal directly is refused. Pure (no
// node:crypto): this runs inside the workflow bundle.

/** What a seal covers: the command as the workflow receives it, where it is going, and when it was made. */
export interface SealedFields {
  workflowId: string;
  /** The update's or signal's name: a seal for `acknowledge` is no seal for `cancel`. */
  name: string;
  /** The update's id (Temporal keeps one result per id, so a replayed seal changes nothing); none for signals. */
  updateId?: string;
  issuedAt: string;
  payload: unknown;
}

/** Sent beside the command, as the update's or signal's second argument. */
export interface CommandSeal {
  issuedAt: string;
  /** Ed25519 over commandMessage(), hex. */
  signature: string;
}

/** How far a seal's time may be from the workflow's: a captured seal is good for minutes, not for ever. */
export const SEAL_WINDOW_MS = 5 * 60_000;

/** JSON with every object's keys sorted, recursively: the signer and the workflow see one text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** UTF-8 by hand: the workflow sandbox has no TextEncoder of its own. */
function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** The bytes a seal signs: one canonical JSON text of every sealed field, versioned. */
export function commandMessage(f: SealedFields): Uint8Array {
  return utf8(
    canonicalJson({
      v: 1,
      workflowId: f.workflowId,
      name: f.name,
      updateId: f.updateId,
      issuedAt: f.issuedAt,
      payload: f.payload,
    }),
  );
}

/** Seals a command with `sign` (the holder of the private key: Ed25519 over the bytes, hex). */
export function sealCommand(
  sign: (message: Uint8Array) => string,
  f: Omit<SealedFields, 'issuedAt'>,
  now: string,
): CommandSeal {
  return { issuedAt: now, signature: sign(commandMessage({ ...f, issuedAt: now })) };
}

const unsigned = (zh: string, en: string): Rejection => ({
  code: 'unsigned',
  zh: `未经签名的命令：${zh}`,
  en: `unsigned command: ${en}`,
});

export const UNSIGNED_COMMAND = unsigned(
  '命令须经督办系统发出',
  'commands must be sent through duban (its facade, CLI or HTTP server)',
);
export const BAD_SIGNATURE = unsigned(
  '签名无效（非本系统密钥，或签名对应其他任务、其他命令）',
  'the signature does not verify (another key, or made for another task or command)',
);
export const STALE_SIGNATURE = unsigned(
  '签名已过期或时间不符，请重新发送',
  'the signature is out of date or from the wrong time; send the command again',
);

const HEX = /^[0-9a-f]+$/i;

/**
 * Why a sealed command is refused, or undefined if `seal` is `publicKey`'s (hex, 32 bytes) over exactly
 * these fields and was made within SEAL_WINDOW_MS of `now`. `checkTime: false` for signals, which may wait
 * in history while no worker runs and are harmless to repeat.
 */
export function sealRefusal(
  publicKey: string,
  f: Omit<SealedFields, 'issuedAt'>,
  seal: unknown,
  now: string,
  opts: { checkTime?: boolean } = {},
): Rejection | undefined {
  if (!seal || typeof seal !== 'object') return UNSIGNED_COMMAND;
  const { issuedAt, signature } = seal as Partial<Record<keyof CommandSeal, unknown>>;
  if (typeof issuedAt !== 'string' || typeof signature !== 'string') return UNSIGNED_COMMAND;
  if (signature.length !== 128 || !HEX.test(signature)) return BAD_SIGNATURE;
  if (opts.checkTime !== false) {
    const skew = Math.abs(Date.parse(issuedAt) - Date.parse(now));
    if (!(skew <= SEAL_WINDOW_MS)) return STALE_SIGNATURE;
  }
  let ok = false;
  try {
    ok = ed25519.verify(signature, commandMessage({ ...f, issuedAt }), publicKey);
  } catch {
    ok = false;
  }
  return ok ? undefined : BAD_SIGNATURE;
}

/** A public key as the workflow input carries it: 32 bytes, hex. */
export const isCommandKey = (k: unknown): k is string =>
  typeof k === 'string' && k.length === 64 && HEX.test(k);
