import type { Generated } from 'kysely';

// Row types stay inside store/: everything outside speaks domain types.

export interface LedgerTable {
  id: Generated<number>;
  workflow_id: string;
  seq: number;
  type: string;
  at: string;
  /** Canonical JSON of the event without type/seq/at. */
  payload: string;
  prev_hash: string;
  hash: string;
}

export interface TasksTable {
  workflow_id: string;
  plan: string;
  task_id: string;
  region: string | null;
  title: string;
  lead: string;
  cooperating: string;
  status: string;
  due: string;
  escalation: string;
  acknowledged: string;
  assigned_at: string;
  updated_at: string;
  seq: number;
}

export interface OutboxTable {
  workflow_id: string;
  key: string;
  message_id: string;
  recipients: string;
  subject: string;
  status: string;
  claimed_at: string;
  sent_at: string | null;
  error: string | null;
}

export interface DB {
  ledger: LedgerTable;
  tasks: TasksTable;
  outbox: OutboxTable;
}
