/** The workflow type's registered name (the schedule and clients start it by name). */
export const DIGEST_WORKFLOW = 'digestWorkflow';

/**
 * A one-off run for the full list, on request. The schedule's runs pass nothing: they mail what changed
 * since the last digest, as they always have.
 */
export interface FullDigestInput {
  full: true;
  /** The day (YYYY-MM-DD, Asia/Shanghai) whose list is sent. */
  day: string;
  /** The request's number that day: each request is its own run and its own mail. */
  n: number;
}

export type DigestWorkflowInput = FullDigestInput;

export interface DigestResult {
  items: number;
  sent: boolean;
}

/** `digest/full/{day}/{n}`: one workflow per request, so a retried start never mails twice. */
export const fullDigestWorkflowId = (day: string, n: number): string => `digest/full/${day}/${n}`;
