import type { ColumnType, Generated } from 'kysely';

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
  /** 0, unless the row replaces rows of its workflow an unfinished workflow task wrote (see ledger.ts). */
  revision: ColumnType<number, number | undefined, never>;
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
  milestone_due: string | null;
  /** `high` once a 批示 raised it (0015). */
  priority?: string | null;
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
  /** Who is sending this pending notice now (ISO lease_until: until when). */
  lease_holder: string | null;
  lease_until: string | null;
}

/** PostgreSQL only: the ledger's last row, locked by each appender (SQLite has sqlite_sequence). */
export interface LedgerHeadTable {
  id: number;
  last_id: number;
  hash: string;
}

export interface FailedAttemptsTable {
  address: string;
  /** Epoch milliseconds (bigint: PostgreSQL hands it back as a string). */
  at_ms: number | string;
}

export interface CalendarYearsTable {
  year: number;
  /** JSON array of YYYY-MM-DD. */
  holidays: string;
  /** JSON array of YYYY-MM-DD. */
  workdays: string;
  source: string;
  loaded_at: string;
}

export interface RestrictionsTable {
  region: string;
  /** The region's event that imposed it. */
  seq: number;
  sector: string;
  task_workflow_id: string | null;
  since: string;
  reason: string;
  imposed_by: string;
  lifted_at: string | null;
  lifted_reason: string | null;
  lifted_by: string | null;
}

export interface AccountabilityTable {
  id: Generated<number>;
  person_name: string;
  person_post: string;
  department: string;
  task_workflow_id: string;
  plan: string;
  task_id: string;
  task_title: string;
  rung: string;
  reason: string;
  referral: string;
  at: string;
}

export interface TokensTable {
  id: Generated<number>;
  name: string;
  /** sha256 (hex) of the token; the token itself is never stored. */
  hash: string;
  role: string;
  department: string | null;
  region: string | null;
  /** The person (经办人) of the department the token names (0015). */
  person?: string | null;
  created_at: string;
  revoked_at: string | null;
}

/** What a recurring job last covered (store/bookmarks.ts). */
export interface BookmarksTable {
  name: string;
  /** JSON. */
  value: string;
  updated_at: string;
}

export interface SessionsTable {
  id: Generated<number>;
  /** sha256 (hex) of the session id the cookie holds. */
  hash: string;
  token_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface IndicatorsTable {
  plan: string;
  id: string;
  /** Its place in the plan's list. */
  position: number;
  /** JSON of the domain's IndicatorDef. */
  definition: string;
  saved_at: string;
}

export interface IndicatorValuesTable {
  id: Generated<number>;
  plan: string;
  indicator: string;
  year: number;
  /** '' for an indicator not recorded per region. */
  region: string;
  /** JSON: a number or a water-quality class. */
  value: string;
  recorded_by: string;
  recorded_at: string;
  source: string;
  /** Its event's seq on the indicator's ledger chain. */
  seq: number;
}

/** Recurring duties (store/duties.ts); JSON columns hold lists and the current occurrence. */
export interface DutiesTable {
  workflow_id: string;
  plan: string;
  duty_id: string;
  region: string | null;
  title: string;
  every: string | null;
  lead: string;
  cooperating: string;
  starts: string;
  ends: string;
  status: string;
  current: string | null;
  next: string | null;
  updated_at: string;
}

/** Uploaded files (store/attachments.ts): one row per file (its sha256) and task it was uploaded to. */
export interface AttachmentsTable {
  sha256: string;
  workflow_id: string;
  name: string;
  size: number;
  /** The type its content was recognised as (a MIME type). */
  type: string;
  uploaded_by: string;
  uploaded_at: string;
}

export interface EnterprisesTable {
  code: string;
  name: string;
  region: string;
  sector: string;
  registered_at: string;
  registered_by: string;
}

/** Each card as its steps left it (the ledger, on the enterprise's chain, holds the steps themselves). */
export interface CardsTable {
  code: string;
  card: number;
  name: string;
  region: string;
  sector: string;
  plan: string | null;
  color: string;
  measure: string;
  issued_color: string;
  issued_measure: string;
  reason: string;
  issued_at: string;
  since: string;
  due: string | null;
  status: string;
  lifted_at: string | null;
}

/** Which card steps are on the enterprise's chain, and at which seq: a retried recording adds nothing. */
export interface EnterpriseStepsTable {
  code: string;
  key: string;
  seq: number;
}

export interface DB {
  ledger: LedgerTable;
  ledger_head: LedgerHeadTable;
  failed_attempts: FailedAttemptsTable;
  tasks: TasksTable;
  outbox: OutboxTable;
  restrictions: RestrictionsTable;
  accountability: AccountabilityTable;
  calendar_years: CalendarYearsTable;
  tokens: TokensTable;
  bookmarks: BookmarksTable;
  sessions: SessionsTable;
  indicators: IndicatorsTable;
  indicator_values: IndicatorValuesTable;
  duties: DutiesTable;
  attachments: AttachmentsTable;
  enterprises: EnterprisesTable;
  cards: CardsTable;
  enterprise_steps: EnterpriseStepsTable;
  documents: DocumentsTable;
}

/** A numbered 督办单 / 催办单: one per (task, notice), numbered from 1 in its series (prefix) and year. */
export interface DocumentsTable {
  workflow_id: string;
  key: string;
  kind: string;
  prefix: string;
  year: number;
  n: number;
  issued_at: string;
}
