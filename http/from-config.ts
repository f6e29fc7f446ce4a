import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { CommandKey } from '../config/command-key';
import type { Config } from '../config/config';
import { createDigestClient } from '../services/digest';
import type { DubanClient } from '../services/facade';
import { createAgreementService } from '../services/agreements';
import { createAssessmentService } from '../services/assessment';
import { CardPolicy } from '../domain/cards';
import { createEnterpriseService, type EnterpriseService } from '../services/enterprises';
import { createIndicatorService } from '../services/indicators';
import { createRestrictionClient } from '../services/restrictions';
import type { Store } from '../store';
import { attachmentsFromConfig } from '../services/attachments';
import { directoryOf } from '../services/breakdown-directory';
import { temporalAnswers } from './errors';
import { buildHttpServer } from './server';
import { StoredFailedAttempts } from './stored-attempts';

/** The HTTP server as every entry point runs it (`npm start`, the HTTP server alone), from its configuration. */
export function buildHttpServerFromConfig(o: {
  config: Config;
  client: Client;
  store: Store;
  facade: DubanClient;
  commandKey: CommandKey | undefined;
}): FastifyInstance {
  const { config, client, store, facade, commandKey } = o;
  const taskQueue = config.temporal.taskQueue;
  // Made on first use: it reads the directory (the 镇街 an enterprise is in), which the API alone never needs.
  let enterprises: EnterpriseService | undefined;
  return buildHttpServer({
    facade,
    store,
    restrictions: createRestrictionClient({ client, taskQueue, commandKey }),
    digest: createDigestClient({ client, taskQueue }),
    indicators: createIndicatorService({
      store,
      client,
      taskQueue,
      commandKey: commandKey?.publicKey,
      searchAttributes: true,
    }),
    enterprises: () =>
      (enterprises ??= createEnterpriseService({
        store,
        directory: directoryOf(config)()!,
        policy: CardPolicy.parse(config.cards),
        client,
        taskQueue,
        ready: () => temporalAnswers(facade),
      })),
    agreements: createAgreementService({ store }),
    assessment: createAssessmentService({ store }),
    attachments: attachmentsFromConfig(config, store),
    config,
    // Wrong-token attempts are counted in the database, so every HTTP server on it refuses the same guesser.
    auth: { counter: new StoredFailedAttempts(store) },
  });
}
