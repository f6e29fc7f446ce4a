export { taskWorkflow } from './task';
export { interviewWorkflow } from './interview';
export { restrictionWorkflow } from './restriction';
export { digestWorkflow } from './digest';
export { bulletinWorkflow } from './bulletin';
