/** The workflow type's registered name (the monthly schedule and clients start it by name). */
export const BULLETIN_WORKFLOW = 'bulletinWorkflow';

/** The schedule's runs pass the format; a one-off run may name the period too. */
export interface BulletinWorkflowInput {
  format: 'docx' | 'pdf';
  /** Default: the month before the run's day. */
  period?: string;
}

export interface BulletinWorkflowResult {
  period: string;
  plans: string[];
  sent: number;
}
