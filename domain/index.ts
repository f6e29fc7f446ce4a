export * from './time';
export * from './task-spec';
export * from './task-events';
export * from './task-state';
export * from './policy';
export * from './escalation';
export * from './notifications';
export * from './task-summary';
