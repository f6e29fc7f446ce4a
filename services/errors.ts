/**
 * The errors the facade raises. Each carries a message people can read (`中文 / English`), so the CLI and
 * the HTTP API can show it as it is.
 */

/** A command the task refused (the workflow's validator or handler said no). */
export class CommandRefused extends Error {
  override name = 'CommandRefused';
  /** The Chinese and English halves of the reason. */
  readonly zh: string;
  readonly en: string;
  constructor(
    message: string,
    /** The rejection code from the domain (`not_on_task`, `closed`, …) when the workflow sent one. */
    readonly code?: string,
    /** The argument that was wrong, when the refusal is about one. */
    readonly field?: string,
  ) {
    super(message);
    const [zh, ...en] = message.split(' / ');
    this.zh = zh;
    this.en = en.join(' / ') || zh;
  }
}

/** No task with this workflow id was ever started. */
export class TaskNotFound extends Error {
  override name = 'TaskNotFound';
  constructor(readonly workflowId: string) {
    super(`未找到任务 ${workflowId} / no task ${workflowId}`);
  }
}

/** Input that is wrong before anything is sent (a malformed task id, a bad filter). */
export class BadInput extends Error {
  override name = 'BadInput';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Temporal (or a worker behind it) does not answer. */
export class TemporalUnavailable extends Error {
  override name = 'TemporalUnavailable';
  constructor(
    message: string,
    /** `server`: nothing answers at the address; `worker`: the server is up but no worker handled the call. */
    readonly what: 'server' | 'worker',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The store is not there yet (nothing has been started on this machine). */
export class StoreMissing extends Error {
  constructor(readonly file: string) {
    super(
      `找不到数据库 ${file}：请先启动 duban（npm start）并交办任务，或设置 DUBAN_DATA_DIR / DUBAN_DB_URL / ` +
        `no database at ${file}: start duban first (npm start) and start tasks, or set DUBAN_DATA_DIR / DUBAN_DB_URL`,
    );
  }
}

/** An uploaded file refused for its size (413) or its kind (415); the message names the file. */
export class FileRefused extends Error {
  override name = 'FileRefused';
  constructor(
    readonly status: 413 | 415,
    /** `too_large` or `unsupported_type`. */
    readonly code: string,
    /** The file's name as it was sent. */
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}
