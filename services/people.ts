import type { Config } from '../config/config';
import { approverOf } from '../directory/directory';
import { directoryOf } from './breakdown-directory';

/**
 * Who approves a department's completions inside it (分管领导), from the directory duban mails: none where
 * the directory sets no in-department approval, or there is no directory.
 */
export function approvals(config: Config | undefined): (department: string) => string | undefined {
  const directory = directoryOf(config);
  return (department) => {
    const d = directory();
    return d && approverOf(d, department);
  };
}
