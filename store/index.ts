import type { CalendarYear } from '../domain/calendar';
import type { IndicatorDef, RecordedValue } from '../domain/indicators';
import type { DutyRecord } from '../domain/duty';
import type {
  AccountabilityFilter,
  AccountabilityRecord,
  RestrictionEvent,
  RestrictionRecord,
  TaskSummary,
} from '../domain';
import * as accountability from './accountability';
import * as agreements from './agreements';
import * as attachments from './attachments';
import * as bookmarks from './bookmarks';
import * as calendar from './calendar';
import * as documents from './documents';
import * as duties from './duties';
import * as enterprises from './enterprises';
import type { CardRecord } from '../domain/cards';
import type { EnterpriseRecord } from '../domain/enterprise';
import {
  ChangeFeed,
  type ChangeFeedOptions,
  type ChangeListener,
  type Unwatch,
  listenPostgres,
  pollSqlite,
} from './changes';
import { type DbOptions, type Dialect, dialectOf, isPostgresUrl, openDb } from './db';
import * as failedAttempts from './failed-attempts';
import * as indicators from './indicators';
import * as ledger from './ledger';
import { migrate } from './migrations';
import * as outbox from './outbox';
import * as restrictions from './restrictions';
import * as sessions from './sessions';
import * as tasks from './tasks';
import * as tokens from './tokens';

export type { ChangeFeedOptions, ChangeListener, Unwatch } from './changes';
export type { LedgerEntry, LedgerEvent, LedgerVerification } from './ledger';
export { LEDGER_CHANNEL } from './ledger';
export { isPostgresUrl, type Dialect } from './db';
export { copyStore, CopyError, type CopyProgress, type CopyResult } from './copy';
export type { NoticeClaim, OutboxEntry, OutboxStatus } from './outbox';
export type { TaskFilter, TaskSearch } from './tasks';
export type { RestrictionFilter } from './restrictions';
export type { AccountabilityEntry } from './accountability';
export type { LoadedCalendarYear } from './calendar';
export type { NewToken, TokenRecord } from './tokens';
export type { NewSession, SessionRecord } from './sessions';
export type { NewValue } from './indicators';
export type { AgreementSignature } from './agreements';
export type { AttachmentRecord, LedgerAttachment } from './attachments';
export { fileSystemStore, sha256Of, type FileStore } from './files';
export { s3FileStore, s3KeyOf, type S3FileSettings } from './s3-files';
export { s3Client, S3Error, type S3Client, type S3Settings } from './s3';
export type { CardFilter, EnterpriseStep } from './enterprises';
export type { DocumentRequest, IssuedDocument } from './documents';

export interface Store {
  /** Appends to the global hash chain; an event already there (same workflow and seq) is skipped. */
  appendEvents(workflowId: string, events: readonly ledger.LedgerEvent[]): Promise<{ appended: number }>;
  ledgerFor(workflowId: string): Promise<ledger.LedgerEntry[]>;
  verifyLedger(): Promise<ledger.LedgerVerification>;
  /** The chain's last row (id and hash): equal on two copies of one ledger. */
  ledgerHead(): Promise<{ id: number; hash: string } | undefined>;
  /** Stores the summary unless a later one (higher seq) is already there. */
  upsertTask(summary: TaskSummary): Promise<void>;
  getTask(workflowId: string): Promise<TaskSummary | undefined>;
  /** Ordered by plan, due date, task id. */
  listTasks(filter?: tasks.TaskFilter): Promise<TaskSummary[]>;
  /** One page of the tasks that match, in listTasks' order, and the number that match in all. */
  searchTasks(search: tasks.TaskSearch): Promise<{ total: number; tasks: TaskSummary[] }>;
  claimNotice(claim: outbox.NoticeClaim): Promise<outbox.OutboxEntry>;
  markSent(workflowId: string, key: string, sentAt: string): Promise<void>;
  markUndeliverable(workflowId: string, key: string, why: string): Promise<void>;
  listOutbox(workflowId?: string): Promise<outbox.OutboxEntry[]>;
  /** The right to send a pending notice for `ms`: true for one caller at a time, across processes. */
  leaseNotice(workflowId: string, key: string, holder: string, ms: number): Promise<boolean>;
  releaseNotice(workflowId: string, key: string, holder: string): Promise<void>;
  /** Wrong-token attempts, shared by every process on one database. */
  recordFailedAttempt(address: string, atMs: number): Promise<void>;
  failedAttemptsSince(address: string, sinceMs: number): Promise<number[]>;
  pruneFailedAttempts(beforeMs: number): Promise<number>;
  /** The `restrictions` projection of a region's events (the ledger holds the events themselves). */
  applyRestrictionEvents(events: readonly RestrictionEvent[]): Promise<void>;
  listRestrictions(filter?: restrictions.RestrictionFilter): Promise<RestrictionRecord[]>;
  /** Once per firing of a rung (task, rung): a repeat writes nothing and returns what is stored. */
  addAccountability(records: readonly AccountabilityRecord[]): Promise<accountability.AccountabilityEntry[]>;
  listAccountability(filter?: AccountabilityFilter): Promise<accountability.AccountabilityEntry[]>;
  /** Replaces whatever was loaded for that year. */
  saveCalendarYear(year: CalendarYear, source: string): Promise<calendar.LoadedCalendarYear>;
  /** Loaded years, oldest first. */
  calendarYears(): Promise<calendar.LoadedCalendarYear[]>;
  /** Stores an API token's hash; a name already used by a live token is refused. */
  addToken(token: tokens.NewToken): Promise<tokens.TokenRecord>;
  findToken(hash: string): Promise<tokens.TokenRecord | undefined>;
  listTokens(): Promise<tokens.TokenRecord[]>;
  /** By id or name; undefined when there is no such token. Revoking twice keeps the first time. */
  revokeToken(idOrName: string | number, at: string): Promise<tokens.TokenRecord | undefined>;
  /** A recurring duty as its workflow last wrote it; an older write never replaces a newer one. */
  upsertDuty(duty: DutyRecord): Promise<void>;
  /** A plan's duties (every plan's without one), by plan and duty id. */
  listDuties(plan?: string): Promise<DutyRecord[]>;
  /** A 目标责任书 signed: a row on the unit's agreement chain with the content hash signed. */
  signAgreement(
    signing: Omit<agreements.AgreementSignature, 'workflowId' | 'seq'> & { tasks: number },
  ): Promise<agreements.AgreementSignature>;
  /** The plan's signings for the year, oldest first. */
  agreementSignatures(plan: string, year: number): Promise<agreements.AgreementSignature[]>;
  /** All or none, each on its ledger chain; codes already registered are returned and nothing is written. */
  addEnterprises(list: readonly EnterpriseRecord[]): Promise<{ added: number; existing: string[] }>;
  listEnterprises(): Promise<EnterpriseRecord[]>;
  getEnterprise(code: string): Promise<EnterpriseRecord | undefined>;
  /** On the enterprise's chain and its card's row, together; a step already recorded (by key) is skipped. */
  recordEnterpriseSteps(
    code: string,
    steps: readonly enterprises.EnterpriseStep[],
  ): Promise<{ seq: number }[]>;
  listCards(filter?: enterprises.CardFilter): Promise<CardRecord[]>;
  /** The numbered 督办单 / 催办单 of a (task, notice), numbered once: a retry gets the same number. */
  issueDocument(req: documents.DocumentRequest): Promise<documents.IssuedDocument>;
  /** Which database this is. */
  readonly dialect: Dialect;
  /** The value under `name`, written if absent: a retry gets what the first attempt wrote. */
  claimBookmark(name: string, value: unknown): Promise<unknown>;
  putBookmark(name: string, value: unknown): Promise<void>;
  getBookmark(name: string): Promise<unknown>;
  /** The latest bookmark named `prefix…` that sorts before `before`. */
  lastBookmarkBefore(prefix: string, before: string): Promise<{ name: string; value: unknown } | undefined>;
  /** A sign-in session (only its id's hash); sessions already past their end are forgotten. */
  addSession(session: sessions.NewSession): Promise<void>;
  /** With its token as it is now (revoked or not). */
  findSession(hash: string): Promise<sessions.SessionRecord | undefined>;
  touchSession(hash: string, at: string): Promise<void>;
  deleteSession(hash: string): Promise<void>;
  /** The plan's indicators as started (a changed definition goes on its ledger chain). */
  saveIndicators(
    plan: string,
    defs: readonly IndicatorDef[],
    at: string,
  ): Promise<{ saved: number; changed: number }>;
  listIndicators(plan: string): Promise<IndicatorDef[]>;
  indicatorPlans(): Promise<string[]>;
  /** All or none, each on its indicator's ledger chain. */
  recordIndicatorValues(
    values: readonly indicators.NewValue[],
  ): Promise<{ workflowId: string; seq: number }[]>;
  /** In the order recorded. */
  listIndicatorValues(plan: string): Promise<RecordedValue[]>;
  /** Records that the file was uploaded to the task; a second upload of it there keeps the first record. */
  addAttachment(a: attachments.AttachmentRecord): Promise<attachments.AttachmentRecord>;
  /** Every task the file (by sha256) was uploaded to; none when it is unknown. */
  attachmentTasks(sha256: string): Promise<attachments.AttachmentRecord[]>;
  /** The files uploaded to a task, oldest first. */
  taskAttachments(workflowId: string): Promise<attachments.AttachmentRecord[]>;
  /** Every attachment hash named on the ledger, in ledger order. */
  ledgerAttachments(): Promise<attachments.LedgerAttachment[]>;
  /**
   * Calls `onChange` whenever a ledger append or a task's projection may have changed, by this process or
   * any other on the database (PostgreSQL: LISTEN; SQLite: a poll of the high-water marks). Returns the
   * way to stop listening.
   */
  watchChanges(onChange: ChangeListener): Unwatch;
  close(): Promise<void>;
}

/** Where the store is: a SQLite file's path, or a postgres:// URL (with the pool size for it). */
export type StoreLocation = string | ({ file: string; changes?: ChangeFeedOptions } & DbOptions);

/** The location as people may see it: a URL's password is never shown. */
export function describeLocation(location: string): string {
  if (!isPostgresUrl(location)) return location;
  try {
    const u = new URL(location);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/** Opens (creating if need be) the SQLite file, or connects to PostgreSQL, and brings the schema up to date. */
export async function openStore(location: StoreLocation): Promise<Store> {
  const { file, changes, ...opts } = typeof location === 'string' ? { file: location } : location;
  let db: ReturnType<typeof openDb> | undefined;
  try {
    db = openDb(file, opts);
    await migrate(db);
  } catch (err) {
    await db?.destroy();
    throw new Error(
      `cannot open the store ${describeLocation(file)}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  const opened = db;
  const feed = new ChangeFeed((emit) =>
    dialectOf(opened) === 'postgres'
      ? listenPostgres(file, emit, changes)
      : pollSqlite(opened, emit, changes),
  );
  return {
    watchChanges: (onChange) => feed.watch(onChange),
    dialect: dialectOf(opened),
    ledgerHead: () => ledger.ledgerHead(opened),
    leaseNotice: (workflowId, key, holder, ms) => outbox.leaseNotice(opened, workflowId, key, holder, ms),
    releaseNotice: (workflowId, key, holder) => outbox.releaseNotice(opened, workflowId, key, holder),
    recordFailedAttempt: (address, atMs) => failedAttempts.recordFailedAttempt(opened, address, atMs),
    failedAttemptsSince: (address, sinceMs) => failedAttempts.failedAttemptsSince(opened, address, sinceMs),
    pruneFailedAttempts: (beforeMs) => failedAttempts.pruneFailedAttempts(opened, beforeMs),
    appendEvents: (workflowId, events) => ledger.appendEvents(opened, workflowId, events),
    ledgerFor: (workflowId) => ledger.ledgerFor(opened, workflowId),
    verifyLedger: () => ledger.verifyLedger(opened),
    upsertTask: (summary) => tasks.upsertTask(opened, summary),
    getTask: (workflowId) => tasks.getTask(opened, workflowId),
    listTasks: (filter = {}) => tasks.listTasks(opened, filter),
    searchTasks: (search) => tasks.searchTasks(opened, search),
    claimNotice: (claim) => outbox.claimNotice(opened, claim),
    markSent: (workflowId, key, sentAt) => outbox.markSent(opened, workflowId, key, sentAt),
    markUndeliverable: (workflowId, key, why) => outbox.markUndeliverable(opened, workflowId, key, why),
    listOutbox: (workflowId) => outbox.listOutbox(opened, workflowId),
    applyRestrictionEvents: (events) => restrictions.applyRestrictionEvents(opened, events),
    listRestrictions: (filter = {}) => restrictions.listRestrictions(opened, filter),
    addAccountability: (records) => accountability.addAccountability(opened, records),
    listAccountability: (filter = {}) => accountability.listAccountability(opened, filter),
    saveCalendarYear: (year, source) => calendar.saveCalendarYear(opened, year, source),
    calendarYears: () => calendar.calendarYears(opened),
    addToken: (token) => tokens.addToken(opened, token),
    findToken: (hash) => tokens.findToken(opened, hash),
    listTokens: () => tokens.listTokens(opened),
    revokeToken: (idOrName, at) => tokens.revokeToken(opened, idOrName, at),
    issueDocument: (req) => documents.issueDocument(opened, req),
    claimBookmark: (name, value) => bookmarks.claimBookmark(opened, name, value),
    putBookmark: (name, value) => bookmarks.putBookmark(opened, name, value),
    getBookmark: (name) => bookmarks.getBookmark(opened, name),
    lastBookmarkBefore: (prefix, before) => bookmarks.lastBookmarkBefore(opened, prefix, before),
    addSession: (session) => sessions.addSession(opened, session),
    findSession: (hash) => sessions.findSession(opened, hash),
    touchSession: (hash, at) => sessions.touchSession(opened, hash, at),
    deleteSession: (hash) => sessions.deleteSession(opened, hash),
    saveIndicators: (plan, defs, at) => indicators.saveIndicators(opened, plan, defs, at),
    listIndicators: (plan) => indicators.listIndicators(opened, plan),
    indicatorPlans: () => indicators.indicatorPlans(opened),
    recordIndicatorValues: (values) => indicators.recordValues(opened, values),
    listIndicatorValues: (plan) => indicators.listValues(opened, plan),
    upsertDuty: (duty) => duties.upsertDuty(opened, duty),
    listDuties: (plan) => duties.listDuties(opened, plan),
    signAgreement: (signing) => agreements.signAgreement(opened, signing),
    agreementSignatures: (plan, year) => agreements.agreementSignatures(opened, plan, year),
    addAttachment: (a) => attachments.addAttachment(opened, a),
    attachmentTasks: (sha256) => attachments.attachmentTasks(opened, sha256),
    taskAttachments: (workflowId) => attachments.taskAttachments(opened, workflowId),
    ledgerAttachments: () => attachments.ledgerAttachments(opened),
    addEnterprises: (list) => enterprises.addEnterprises(opened, list),
    listEnterprises: () => enterprises.listEnterprises(opened),
    getEnterprise: (code) => enterprises.getEnterprise(opened, code),
    recordEnterpriseSteps: (code, steps) => enterprises.recordEnterpriseSteps(opened, code, steps),
    listCards: (filter = {}) => enterprises.listCards(opened, filter),
    close: () => {
      feed.stop();
      return opened.destroy();
    },
  };
}
