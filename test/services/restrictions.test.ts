/**
 * The CLI's restriction client against a real server and worker: impose by update-with-start creates the
 * region's workflow on first use, `restriction check` reads it live, and refusals come back as
 * CommandRefused with the workflow's own words.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadDirectory } from '../../directory/directory';
import { createMailer } from '../../activities/mailer';
import { createRestrictionActivities } from '../../activities/restriction';
import { SHIPPED_DIRECTORY } from '../../config/config';
import { main } from '../../cli/main';
import type { Session } from '../../cli/session';
import { CommandRefused } from '../../services/errors';
import { resolveTaskId, type DubanClient } from '../../services/facade';
import { createRestrictionClient, type RestrictionClient } from '../../services/restrictions';
import { openStore, type Store } from '../../store';
import { bundleWorkflows, devServerEnv, uniqueId } from '../helpers/temporal';

let env: TestWorkflowEnvironment;
let store: Store;
let tmp: string;
let worker: Worker;
let running: Promise<void>;
let restrictions: RestrictionClient;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duban-restrictions-client-'));
  env = await devServerEnv();
  store = await openStore(path.join(tmp, 'duban.db'));
  const taskQueue = uniqueId('restrictions-client');
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await bundleWorkflows(),
    activities: createRestrictionActivities({
      store,
      client: env.client,
      taskQueue,
      directory: loadDirectory(SHIPPED_DIRECTORY),
      mailer: createMailer({ from: '督查室 <duban@test.example>', dir: path.join(tmp, 'mail') }),
    }),
  });
  running = worker.run();
  restrictions = createRestrictionClient({ client: env.client, taskQueue });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await store?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: { DUBAN_DATA_DIR: tmp },
    open: async () =>
      ({
        facade: { resolveId: resolveTaskId } as DubanClient,
        address: 'dev server',
        ensureTemporal: async () => undefined,
        store: async () => store,
        restrictions,
        close: async () => undefined,
      }) satisfies Session,
  });
  return { code, stdout, stderr };
}

test('a supervisor imposes on a region never restricted, check sees it, lift clears it', async () => {
  const region = uniqueId('经济开发区');
  expect(await restrictions.active(region)).toEqual([]);
  expect((await cli(['restriction', 'check', '--region', region, '--sector', '化工'])).stdout).toBe(
    `未限批 / not restricted：${region} 化工\n`,
  );

  const imposed = await cli([
    ...['restriction', 'impose', '--region', region, '--sector', '化工'],
    ...['--reason', '园区污水处理厂超标排放', '--as', '督查室'],
  ]);
  expect(imposed).toEqual({ code: 0, stdout: `已限批 / restriction imposed：${region} 化工\n`, stderr: '' });
  const again = await cli([
    ...['restriction', 'impose', '--region', region, '--sector', '化工'],
    ...['--reason', '再次', '--as', 'supervisor'],
  ]);
  expect(again.stdout).toBe(`${region} 化工 已在限批中，无变化 / already restricted; nothing changed\n`);

  const check = await cli(['restriction', 'check', '--region', region, '--sector', '化工', '--json']);
  expect(JSON.parse(check.stdout)).toMatchObject({
    restricted: true,
    by: [{ region, sector: '化工', reason: '园区污水处理厂超标排放', by: 'supervisor' }],
  });
  expect((await store.listRestrictions({ region, activeOnly: true })).map((r) => r.sector)).toEqual(['化工']);

  const lifted = await cli([
    ...['restriction', 'lift', '--region', region, '--sector', '化工'],
    ...['--reason', '已达标', '--as', 'supervisor'],
  ]);
  expect(lifted).toEqual({
    code: 0,
    stdout: `已解除限批 / restriction lifted：${region} 化工（1 项 / 1 lifted）\n`,
    stderr: '',
  });
  expect(await restrictions.active(region)).toEqual([]);
});

test('refusals: not a supervisor (before anything starts), nothing to lift, no reason', async () => {
  const region = uniqueId('泥沟镇');
  await expect(
    restrictions.impose(region, { actor: '区环保局', sector: '涉水', reason: '自定' }),
  ).rejects.toThrow(
    new CommandRefused('只有督查室可以限批或解除限批 / only a supervisor may impose or lift a restriction'),
  );
  await expect(env.client.workflow.getHandle(`restriction/${region}`).describe()).rejects.toThrow(
    /not found/i,
  );

  const nothing = await cli([
    ...['restriction', 'lift', '--region', region, '--sector', '涉水'],
    ...['--reason', '误报', '--as', 'supervisor'],
  ]);
  expect(nothing).toEqual({
    code: 2,
    stdout: '',
    stderr: `已拒绝 / refused: ${region} 的 涉水 行业未在限批中，无需解除 / sector 涉水 is not restricted in ${region}; there is nothing to lift\n`,
  });

  await restrictions.impose(region, { actor: 'supervisor', sector: '涉水', reason: '偷排' });
  await expect(
    restrictions.impose(region, { actor: 'supervisor', sector: '造纸', reason: '  ' }),
  ).rejects.toThrow(new CommandRefused('请填写理由 / reason is required'));
  await expect(
    restrictions.lift(region, { actor: 'supervisor', sector: '造纸', reason: '误报' }),
  ).rejects.toThrow(`${region} 的 造纸 行业未在限批中，无需解除`);
  expect((await restrictions.active(region)).map((r) => r.sector)).toEqual(['涉水']);
});
