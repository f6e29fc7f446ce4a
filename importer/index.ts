export * from './breakdown';
export { PlanUnreadable, type BreakdownIssue } from './errors';
export { decodePlan } from './decode';
export { importPlan, type ImportOptions } from './import-plan';
