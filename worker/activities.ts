import type { Client } from '@temporalio/client';
import type { CommandKey } from '../config/command-key';
import { createActivities } from '../activities';
import { createAccountabilityActivities } from '../activities/accountability';
import { createBulletinActivities } from '../activities/bulletin';
import { createCalendarActivities } from '../activities/calendar';
import { createCardActivities } from '../activities/card';
import { createDigestActivities } from '../activities/digest';
import { createIndicatorActivities } from '../activities/indicators';
import { createDutyActivities } from '../activities/duty';
import { createInterviewSignalActivities } from '../activities/interview-signal';
import type { Directory } from '../directory/directory';
import type { Mailer } from '../activities/mailer';
import { createRestrictionActivities } from '../activities/restriction';
import type { Store } from '../store';

export interface ActivityDeps {
  store: Store;
  mailer: Mailer;
  directory: Directory;
  /** For the activities that signal other workflows (a region's restrictions). */
  client: Client;
  taskQueue: string;
  /** Seals the signals the ladder sends to a region's workflow. */
  commandKey?: CommandKey;
  /** The 文号 series of the 督办单 and 催办单 (config `documents.prefix`). */
  documentPrefix?: string;
}

/** Every activity the workflows call, wired to one store, mailer, directory and client. */
export function createWorkerActivities({
  store,
  mailer,
  directory,
  client,
  taskQueue,
  commandKey,
  documentPrefix,
}: ActivityDeps) {
  return {
    ...createActivities({ store, mailer, directory, documentPrefix }),
    ...createCalendarActivities({ store }),
    ...createRestrictionActivities({ store, client, taskQueue, mailer, directory, commandKey }),
    ...createAccountabilityActivities({ store, directory }),
    ...createDigestActivities({ store, mailer, directory }),
    ...createBulletinActivities({ store, mailer, directory }),
    ...createInterviewSignalActivities({ client, commandKey }),
    ...createIndicatorActivities({ store, mailer, directory }),
    ...createDutyActivities({ store, client, taskQueue }),
    ...createCardActivities({ store, mailer, directory }),
  };
}
