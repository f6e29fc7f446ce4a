import { Client, Connection } from '@temporalio/client';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDubanClient, type DubanClient } from '../../services/facade';
import {
  assign,
  decide,
  evolve,
  summarize,
  taskWorkflowId,
  type TaskCommand,
  type TaskEvent,
  type TaskSpecInput,
  type TaskState,
  taskSpecSchema,
} from '../../domain';
import { openStore, type Store } from '../../store';
import { main } from '../../cli/main';
import type { CliIo, Session } from '../../cli/session';

/** A task's history built with the domain's own decide/evolve, as the workflow would record it. */
export function history(input: TaskSpecInput, commands: TaskCommand[], start = '2026-11-28T01:00:00.000Z') {
  const spec = taskSpecSchema().parse(input);
  let events: TaskEvent[] = assign(spec, start);
  let state: TaskState = events.reduce<TaskState>((s, e) => evolve(s, e), undefined as unknown as TaskState);
  let t = Date.parse(start);
  for (const cmd of commands) {
    t += 3_600_000;
    const d = decide(state, cmd, new Date(t).toISOString());
    if (!d.ok) throw new Error(`seed command refused: ${d.rejection.en}`);
    events = [...events, ...d.events];
    state = d.events.reduce((s, e) => evolve(s, e), state);
  }
  return { workflowId: taskWorkflowId(spec), events, state };
}

export const PLAN = 'taierzhuang-2016-water';

export const SEED: { spec: TaskSpecInput; commands: TaskCommand[] }[] = [
  {
    spec: {
      plan: PLAN,
      id: '2-1-1',
      title: '加强工业污染防治：严格环境准入',
      lead: ['区环保局'],
      cooperating: ['区发改局', '区经信局'],
      due: '2027-06-30',
    },
    commands: [
      { type: 'acknowledge', actor: '区环保局' },
      { type: 'reportProgress', actor: '区环保局', note: '已制定差别化区域环境准入政策' },
    ],
  },
  {
    spec: {
      plan: PLAN,
      id: '2-1-2',
      title: '依法淘汰落后产能',
      lead: ['区经信局'],
      cooperating: ['区发改局', '区环保局'],
      due: '2026-12-31',
    },
    commands: [],
  },
  {
    spec: {
      plan: PLAN,
      id: '2-1-7',
      title: '整治城市建成区黑臭水体',
      lead: ['区住建局'],
      cooperating: ['区水务局'],
      due: '2027-12-31',
    },
    commands: [
      { type: 'acknowledge', actor: '区住建局' },
      { type: 'submitCompletion', actor: '区住建局', summary: '黑臭水体已全部整治' },
      { type: 'verifyCompletion', actor: 'supervisor' },
    ],
  },
  {
    spec: { plan: 'other-plan', id: '1-1-1', title: '另一方案的任务', lead: ['区水务局'], due: '2027-01-31' },
    commands: [],
  },
];

export interface Fixture {
  dir: string;
  dbFile: string;
  store: Store;
  connection: Connection;
  facade: DubanClient;
  close(): Promise<void>;
}

/**
 * A real store, seeded through its own write API, and a facade whose Temporal client points at a port
 * where nothing listens (reads never need it; health says "down"). The store is a SQLite file in a temp
 * folder unless `location` names another (a fresh PostgreSQL database from test/helpers/store-backends).
 */
export async function seededFixture(location?: string): Promise<Fixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-client-'));
  const dbFile = location ?? path.join(dir, 'duban.db');
  const store = await openStore(dbFile);
  for (const { spec, commands } of SEED) {
    const h = history(spec, commands);
    await store.appendEvents(h.workflowId, h.events);
    await store.upsertTask(summarize(h.workflowId, h.state));
  }
  const connection = Connection.lazy({ address: '127.0.0.1:1' });
  const client = new Client({ connection });
  const facade = createDubanClient({ client, taskQueue: 'test', store, healthTimeoutMs: 1000 });
  return {
    dir,
    dbFile,
    store,
    connection,
    facade,
    async close() {
      await connection.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The real CLI (cli/main) in this process on the seeded fixture, with a scratch folder of its own per test:
 * `run(argv)` answers with the exit code and what it printed.
 */
export function cliOnSeed(prefix: string, today = '2027-03-01') {
  let fx: Fixture;
  const ctx = { dir: '' };
  beforeAll(async () => {
    fx = await seededFixture();
  });
  afterAll(() => fx?.close());
  beforeEach(() => {
    ctx.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterEach(() => fs.rmSync(ctx.dir, { recursive: true, force: true }));
  const open: CliIo['open'] = async () =>
    ({
      facade: fx.facade,
      store: async () => fx.store,
      address: 'localhost:7233',
      ensureTemporal: async () => undefined,
      close: async () => undefined,
    }) satisfies Session;
  async function run(argv: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      env: { DUBAN_DATA_DIR: ctx.dir },
      today,
      open,
    });
    return { code, stdout, stderr };
  }
  return { run, ctx, fixture: () => fx };
}
