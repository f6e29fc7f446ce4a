/**
 * Who a task runs for and what failing it costs: fan-out to each region (各镇街 as the subject of a
 * sentence) and the 限批 scope the text names as the consequence of not completing it.
 */

const COLLECTIVE =
  '各(?:乡镇|镇街|镇|乡|街道|县区|区县|区市|县市区|县|区|市)(?:[（(][^）)]{1,8}[）)])?(?:人民政府|政府|街道办事处|办事处)?';
/** The collective as the subject: at the start of a sentence or clause, followed by what it must do. */
const SUBJECT = new RegExp(
  `(?:^|[。；;，,：:！!？?])\\s*(${COLLECTIVE})(?=要|应|须|必须|自|从|将|在|于|制定|建立|落实|负责|分别|均|结合|按照|根据|全面|切实|认真|加快|积极|每|定期|统筹|组织|做好|抓好|开展|完成|、|和|及|\\d)`,
);

/** The words that make a task fan out (`各镇街`), or undefined. */
export function fanOutSubject(text: string): string | undefined {
  return SUBJECT.exec(text)?.[1];
}

const FAILURE = /未完成|逾期|未按期|未按时|未如期|未达到|未达标|不达标|未能完成|完不成/;
const SECTOR =
  /实施\s*(.{0,12}?)\s*(?:新建|新[（(]改、扩[）)]建|新改扩建)?\s*(?:建设)?\s*项目\s*(?:环评|环境影响评价)?\s*[“"「『]?\s*(?:区域)?限批/;

export interface RestrictionFound {
  /** Whether the 限批 is the consequence of not completing the task (else it is only mentioned). */
  consequence: boolean;
  sector: string;
  text: string;
  at: number;
}

/**
 * Each sentence naming 限批: `对未完成淘汰任务的镇街，实施相关行业新建项目“限批”` is a consequence with
 * sector 相关行业; `采取…限批、约谈等综合措施` only mentions it.
 */
export function findRestrictions(text: string): RestrictionFound[] {
  const out: RestrictionFound[] = [];
  let start = 0;
  for (const sentence of text.split(/(?<=[。；;])/)) {
    const at = sentence.indexOf('限批');
    if (at >= 0) {
      const before = sentence.slice(0, at);
      const sector =
        SECTOR.exec(sentence)?.[1]
          ?.replace(/^(?:对|了)/, '')
          .trim() ?? '';
      // The words from the condition (对…的) to 限批 and its closing quote.
      const cond = before.search(FAILURE);
      const from = cond >= 0 ? Math.max(0, before.lastIndexOf('对', cond)) : 0;
      const words =
        sentence.slice(from, at + 2) + (/^[”"」』]/.test(sentence.slice(at + 2)) ? sentence[at + 2] : '');
      out.push({ consequence: cond >= 0, sector, text: words.trim(), at: start + at });
    }
    start += sentence.length;
  }
  return out;
}
