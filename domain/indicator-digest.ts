import type { DigestRecord } from './digest';
import { actualText, targetText, type IndicatorOp, type IndicatorValue } from './indicators';

/** A year-close consequence as the digest lists it; `key` says it once across digests. */
export interface IndicatorDigestLine {
  key: string;
  line: string;
}

interface ChainEvent {
  type: string;
  indicator?: string;
  name?: string;
  year?: number;
  region?: string;
  op?: IndicatorOp;
  target?: IndicatorValue;
  actual?: IndicatorValue | null;
  unit?: string;
  officials?: string[];
  sector?: string;
}

/** The misses on a plan's year-close chain (indicators/{plan}), each with its 约谈 and 限批. */
export function indicatorDigestLines(plan: string, events: readonly ChainEvent[]): IndicatorDigestLine[] {
  const id = (e: ChainEvent) => `${plan}/${e.indicator}/${e.year}/${e.region ?? ''}`;
  return events
    .filter((e) => e.type === 'IndicatorTargetMissed')
    .map((m) => {
      const interview = events.find((e) => e.type === 'IndicatorInterviewOrdered' && id(e) === id(m));
      // A river section's or the plan's miss restricts the 镇街 that answer for it, named on their events.
      const restricted = events.filter(
        (e) =>
          e.type === 'IndicatorRestrictionOrdered' &&
          e.indicator === m.indicator &&
          e.year === m.year &&
          (m.region === undefined || interview?.officials?.includes(e.region ?? '')),
      );
      const unit = m.unit ?? '';
      const parts = [
        `${plan}  ${m.year} 年度指标“${m.name}”${m.region ? `（${m.region}）` : ''}未达标：目标 ${targetText(m.op!, m.target!, unit)}，实际 ${actualText(m.actual ?? null, unit)}`,
        interview ? `约谈 ${interview.officials!.join('、')}` : '',
        restricted.length > 0 ? `限批 ${restricted.map((r) => `${r.region} ${r.sector}`).join('、')}` : '',
      ].filter(Boolean);
      return { key: id(m), line: parts.join('；') };
    });
}

/**
 * The day's record with the misses no digest has listed yet; a day with no task change but a miss still
 * gets a digest. What was listed is carried on, so each miss is told once.
 */
export function withIndicatorMisses(
  fresh: DigestRecord | undefined,
  last: DigestRecord | undefined,
  lines: readonly IndicatorDigestLine[],
  day: string,
): DigestRecord | undefined {
  const seen = new Set(last?.indicatorsSeen ?? []);
  const added = lines.filter((l) => !seen.has(l.key));
  if (added.length === 0)
    return fresh && last?.indicatorsSeen ? { ...fresh, indicatorsSeen: [...seen] } : fresh;
  const base: DigestRecord = fresh ?? {
    day,
    ...(last ? { since: last.day } : {}),
    covered: last?.covered ?? [],
    changes: [],
  };
  return { ...base, indicators: added, indicatorsSeen: [...seen, ...added.map((l) => l.key)] };
}
