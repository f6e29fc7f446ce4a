export { taskWorkflow } from './task';
