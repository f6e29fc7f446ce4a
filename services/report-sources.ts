import type { PublicCard } from '../domain/cards';
import type { Store } from '../store';
import type { AssessmentService } from './assessment';
import { publicCardLists } from './enterprises';
import type { ReportCard, ReportSources } from './public-report';
import { BadInput } from './errors';

/** The yearly report's sections that other services own: the 红黄牌 lists and the 考核's ranking. */
export function reportSourcesOf(deps: {
  assessment?: AssessmentService;
  cards?: Pick<Store, 'listCards'>;
}): ReportSources {
  const { assessment, cards } = deps;
  return {
    ...(cards
      ? {
          async cards(plan: string, year: number) {
            const lists = await publicCardLists(cards, { plan, year });
            return { yellow: lists.yellow.map(reportCard), red: lists.red.map(reportCard) };
          },
        }
      : {}),
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

function reportCard(c: PublicCard): ReportCard {
  return {
    enterprise: c.name,
    code: c.code,
    region: c.region,
    sector: c.sector,
    measure: c.measure,
    since: c.since,
    ...(c.due ? { due: c.due } : {}),
  };
}
