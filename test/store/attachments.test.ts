/**
 * The attachments table on both stores: which tasks a file was uploaded to, a task's files, the first
 * upload kept on a repeat, and every hash the ledger's events name (what `ledger verify` checks).
 */
import type { TaskEvent } from '../../domain';
import { openStore, type AttachmentRecord, type Store } from '../../store';
import { BACKENDS, useBackend } from '../helpers/store-backends';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe.each(BACKENDS)('%s', (backend) => {
  const db = useBackend(backend);
  let store: Store;
  beforeAll(async () => {
    store = await openStore(await db.fresh());
  });
  afterAll(() => store?.close());

  const rec = (over: Partial<AttachmentRecord>): AttachmentRecord => ({
    sha256: A,
    workflowId: 'task/p/1',
    name: '整改报告.pdf',
    size: 1234,
    type: 'application/pdf',
    uploadedBy: '区环保局',
    uploadedAt: '2027-03-01T02:00:00.000Z',
    ...over,
  });

  test('a file belongs to the tasks it was uploaded to; a repeat keeps the first record', async () => {
    await store.addAttachment(rec({}));
    const again = await store.addAttachment(
      rec({ name: '另一个名字.pdf', uploadedAt: '2027-03-02T00:00:00.000Z' }),
    );
    expect(again).toEqual(rec({}));
    await store.addAttachment(
      rec({ workflowId: 'task/p/2', uploadedBy: '区水务局', uploadedAt: '2027-03-03T00:00:00.000Z' }),
    );
    await store.addAttachment(rec({ sha256: B, name: '照片.png', type: 'image/png', size: 9 }));
    expect((await store.attachmentTasks(A)).map((r) => r.workflowId)).toEqual(['task/p/1', 'task/p/2']);
    expect((await store.taskAttachments('task/p/1')).map((r) => [r.sha256, r.name])).toEqual([
      [A, '整改报告.pdf'],
      [B, '照片.png'],
    ]);
    expect(await store.attachmentTasks('c'.repeat(64))).toEqual([]);
  });

  test('the ledger names its attachments row by row, in order', async () => {
    const at = '2027-03-01T02:00:00.000Z';
    const events = [
      { type: 'ProgressReported', by: '区环保局', note: '无附件', seq: 1, at },
      { type: 'ProgressReported', by: '区环保局', note: '两份', attachments: [A, B], seq: 2, at },
      { type: 'CompletionSubmitted', by: '区环保局', summary: '办结', attachments: [A], seq: 3, at },
    ] as TaskEvent[];
    await store.appendEvents('task/p/ledger', events);
    const rows = await store.ledgerFor('task/p/ledger');
    expect(await store.ledgerAttachments()).toEqual([
      { id: rows[1].id, workflowId: 'task/p/ledger', seq: 2, sha256: A },
      { id: rows[1].id, workflowId: 'task/p/ledger', seq: 2, sha256: B },
      { id: rows[2].id, workflowId: 'task/p/ledger', seq: 3, sha256: A },
    ]);
  });
});
