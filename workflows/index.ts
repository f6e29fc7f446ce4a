export { taskWorkflow } from './task';
export { interviewWorkflow } from './interview';
export { restrictionWorkflow } from './restriction';
export { digestWorkflow } from './digest';
export { indicatorYearWorkflow } from './indicator-year';
export { dutyWorkflow } from './duty';
export { bulletinWorkflow } from './bulletin';
export { cardWorkflow } from './card';
