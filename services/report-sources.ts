import type { AssessmentService } from './assessment';
import type { ReportSources } from './public-report';
import { BadInput } from './errors';

/** The yearly report's sections that other services own: the 考核's ranking. */
export function reportSourcesOf(deps: { assessment?: AssessmentService }): ReportSources {
  const { assessment } = deps;
  return {
    ...(assessment
      ? {
          async ranking(plan: string, year: number, asOf: string) {
            try {
              return (await assessment.run(plan, year, asOf)).ranking;
            } catch (err) {
              // A year outside the plan's years has no 考核: the report says so rather than failing.
              if (err instanceof BadInput) return undefined;
              throw err;
            }
          },
        }
      : {}),
  };
}
