export * from './breakdown';
export { BreakdownTooComplex, BreakdownUnreadable, PlanUnreadable, type BreakdownIssue } from './errors';
export { checkBreakdown, formatPath, reviewItems, type CheckResult, type ReviewItem } from './check';
export { decodePlan } from './decode';
export { toTaskSpecs } from './expand';
export { importPlan, type ImportOptions } from './import-plan';
export { breakdownToYaml, parseBreakdownText } from './yaml';
export { regionName } from './departments';
export { planEndOf, toDuties, type DutyForReview } from './duties';
