import type { Client, Connection } from '@temporalio/client';
import {
  DIGEST_DEFAULT_TIME,
  ensureBulletinSchedule,
  ensureDigestSchedule,
  type BulletinScheduleSetting,
  type DigestScheduleSetting,
} from './schedules';
import { ensureSearchAttributes } from './search-attributes';

export interface TemporalSetup {
  connection: Connection;
  client: Client;
  namespace: string;
  taskQueue: string;
  say: (line: string) => void;
  /** False on a dev server duban started itself (it registers them at start). */
  searchAttributes?: boolean;
  /** The daily digest's time as configured; unset: 08:00. */
  digest?: DigestScheduleSetting;
  /** The monthly bulletin's schedule as configured; unset: left as it is. */
  bulletin?: BulletinScheduleSetting;
}

/**
 * What duban needs on a Temporal server: its search attributes, the daily digest's and the monthly
 * bulletin's schedules as configured. Every entry point (npm start, the worker, the HTTP server) calls this,
 * so whichever starts first does the work; two at once are fine, both steps hold up under a race.
 */
export async function ensureTemporalSetup(o: TemporalSetup): Promise<void> {
  if (o.searchAttributes !== false) {
    const added = await ensureSearchAttributes(o.connection, o.namespace);
    if (added.length > 0) o.say(`registered search attributes: ${added.join(', ')}`);
  }
  const d = o.digest ?? DIGEST_DEFAULT_TIME;
  const dr = await ensureDigestSchedule(o.client, o.taskQueue, d);
  if (dr === 'created' || dr === 'updated')
    o.say(`daily digest schedule ${dr} (${d === 'off' ? '' : hhmm(d)} Asia/Shanghai)`);
  if (dr === 'deleted') o.say('daily digest schedule deleted (DUBAN_DIGEST_SCHEDULE=off)');
  if (o.bulletin) {
    const r = await ensureBulletinSchedule(o.client, o.taskQueue, o.bulletin);
    const s = o.bulletin.schedule;
    if (r === 'created' || r === 'updated')
      o.say(
        `monthly bulletin schedule ${r} (day ${s === 'off' ? '' : `${s.day}, ${hhmm(s)}`} Asia/Shanghai, ${o.bulletin.format})`,
      );
    if (r === 'deleted') o.say('monthly bulletin schedule deleted (DUBAN_BULLETIN_SCHEDULE=off)');
  }
}

const hhmm = (t: { hour: number; minute: number }) =>
  `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
