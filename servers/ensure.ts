import type { Client, Connection } from '@temporalio/client';
import { ensureDigestSchedule } from './schedules';
import { ensureSearchAttributes } from './search-attributes';

export interface TemporalSetup {
  connection: Connection;
  client: Client;
  namespace: string;
  taskQueue: string;
  say: (line: string) => void;
  /** False on a dev server duban started itself (it registers them at start). */
  searchAttributes?: boolean;
}

/**
 * What duban needs on a Temporal server: its search attributes and the daily digest's schedule. Every
 * entry point (npm start, the worker, the HTTP server) calls this, so whichever starts first does the work;
 * two at once are fine, both steps hold up under a race.
 */
export async function ensureTemporalSetup(o: TemporalSetup): Promise<void> {
  if (o.searchAttributes !== false) {
    const added = await ensureSearchAttributes(o.connection, o.namespace);
    if (added.length > 0) o.say(`registered search attributes: ${added.join(', ')}`);
  }
  if ((await ensureDigestSchedule(o.client, o.taskQueue)) === 'created')
    o.say('daily digest schedule created (08:00 Asia/Shanghai)');
}
