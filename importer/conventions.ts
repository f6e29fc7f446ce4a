/**
 * How documents from every level say who does what, as one table: each convention names itself
 * (`中文 / English`), shows an example as real documents write it, and says how the importer reads it.
 * `names` rules rewrite each list of names in a clause; `part` rules recognise the parts of a clause that
 * are not names and a role but are no leftovers either; `document` rules are statements made once that
 * hold for every clause after them (see document-rules.ts).
 */

interface Base {
  id: string;
  name: string;
  example: string;
}

export interface NamesRule extends Base {
  kind: 'names';
  apply(names: string[]): string[];
}

export interface PartRule extends Base {
  kind: 'part';
  /** What the part is: a timing (`年内持续推进`), or a piece of a document-wide statement. */
  means: 'timing' | 'statement' | 'note';
  match: RegExp;
}

export interface DocumentRule extends Base {
  kind: 'document';
  statement: 'lead-first' | 'standing';
  /** Group 1, for a standing statement: the units it adds to every later clause. */
  match: RegExp;
}

export type Convention = NamesRule | PartRule | DocumentRule;

const LEVEL = /^(?:省|市(?!场)|县|区(?!域|级)|镇|乡)/;
const OFFICE = /(局|厅|委|办|中心|室|署|院|所|站|队)$/;
/** A name with its level inside (`团市委`, `共青团县委`): it has no level to borrow. */
const OWN_LEVEL = /[省市县区]委$/;

/** `各县`、`区人民政府` were split at the 、 inside one collective: join them again. */
function joinCollectives(names: string[]): string[] {
  const out: string[] = [];
  for (const n of names) {
    const prev = out[out.length - 1];
    if (
      prev !== undefined &&
      /^各(?:有关|相关)?(?:[县市区乡镇州](?:、[县市区乡镇州])*)$/.test(prev) &&
      /^[县市区乡镇州街]/.test(n)
    )
      out[out.length - 1] = `${prev}、${n}`;
    else out.push(n);
  }
  return out;
}

export const CONVENTIONS: Convention[] = [
  {
    id: 'collective-with-comma',
    kind: 'names',
    name: '一个统称中间有顿号 / a collective with 、 inside',
    example: '各县、区人民政府(管委会)负责落实；配合单位：市科协，各有关区、县级市',
    apply: joinCollectives,
  },
  {
    id: 'trailing-deng',
    kind: 'names',
    name: '“等”“等有关部门”不是单位 / 等 (and the like) is not part of a name',
    example: '工业和信息化部、生态环境部等和各省级人民政府负责',
    apply: (names) =>
      names
        .map((n) => n.replace(/等(?:[省市县区]?(?:有关|相关|其他)?(?:部门|单位))?$/, ''))
        .filter((n) => n !== ''),
  },
  {
    id: 'shared-level',
    kind: 'names',
    name: '同一列中后面的单位省略级别 / later names of a list leave out the level',
    example:
      '市发展和改革局、工业和信息化局、自然资源局参与；市工商局、市金融办、团市委（团市委 keeps its own level）',
    apply: (names) => {
      const level = LEVEL.exec(names[0] ?? '')?.[0];
      if (!level) return names;
      return names.map((n) =>
        !LEVEL.test(n) && OFFICE.test(n) && !/^(各|有关|相关|国家|中国|国务院)/.test(n) && !OWN_LEVEL.test(n)
          ? `${level}${n}`
          : n,
      );
    },
  },
  {
    id: 'timing',
    kind: 'part',
    means: 'timing',
    name: '分工中的完成时限 / a time limit inside the clause',
    example: '国务院各部门分别负责，年内持续推进；12月底前完成',
    match:
      /^(?:完成时限|完成时间|时间节点|时限要求)[:：]|^(?:年内|年底前|\d{1,2}月底前|长期|持续)(?:持续推进|完成|落实|坚持|推进)?$|^持续推进$|^长期坚持$/,
  },
  {
    id: 'scope-label',
    kind: 'part',
    means: 'note',
    name: '分工中的适用范围 / the scope label next to the units',
    example: '（负责部门：市发展改革委；适用范围：全市各类企业）',
    match: /^(?:适用范围|适用对象)[:：]/,
  },
  {
    id: 'statement-part',
    kind: 'part',
    means: 'statement',
    name: '分工中的通用说明 / a standing statement inside the clause',
    example: '以下各项工作均需各县、区人民政府(管委会)落实，不再列出；列第一位者为牵头部门，下同',
    match:
      /^(?:以下|具体任务均涉及|列第一位|列首位|排在第一位|排名第一)|^(?:不再(?:单独)?列出|不再(?:做|作)?分工|下同)$/,
  },
  {
    id: 'lead-first',
    kind: 'document',
    statement: 'lead-first',
    name: '列第一位者为牵头单位 / the first unit listed leads',
    example: '（省经信委、省发改委(省能源局)。列第一位者为牵头部门，下同）',
    match: /(?:列|排)(?:在)?(?:第一位|首位)(?:者|的)?(?:单位|部门)?(?:为|是)牵头(?:单位|部门)/,
  },
  {
    id: 'standing-fan-out',
    kind: 'document',
    statement: 'standing',
    name: '以下均需…落实，不再列出 / units that every later clause includes',
    example: '以下各项工作均需各县、区人民政府(管委会)落实，不再列出',
    match:
      /以下(?:各项工作|各项任务|政策措施|工作|任务|措施)?均需(.+?)(?:负责)?(?:落实|实施|推进)[,，;；]?\s*不再(?:单独)?列出/,
  },
  {
    id: 'standing-involved',
    kind: 'document',
    statement: 'standing',
    name: '具体任务均涉及…，不再做分工 / every task involves these units, not listed again',
    example: '具体任务均涉及相关市(州)人民政府，不再做分工，下同',
    match: /具体任务均涉及(.+?)[,，;；]\s*不再(?:做|作)?分工/,
  },
];

export const namesRules = CONVENTIONS.filter((c): c is NamesRule => c.kind === 'names');
export const partRules = CONVENTIONS.filter((c): c is PartRule => c.kind === 'part');
export const documentRules = CONVENTIONS.filter((c): c is DocumentRule => c.kind === 'document');
