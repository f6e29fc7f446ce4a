import type { Department } from './breakdown';

const fullWidthBrackets = (s: string) => s.replace(/\(/g, '（').replace(/\)/g, '）').replace(/\s+/g, '');

/** A collective of the plan's regions, as subject or in a clause: 各镇街, 各乡镇（街道）, 各区（市）政府 … */
export const REGION_COLLECTIVE =
  /^各(?:乡镇|镇街|镇|乡|街道|县区|区县|区市|县市区|县|区|市|开发区|园区)(?:（[^）]{1,8}）)?(?:人民政府|政府|街道办事处|办事处|管委会|党委和政府|党委政府)?$/;

/**
 * Generic units of the levels below, as documents from above write them: 各省级人民政府, 各有关省级人民政府,
 * 地方各级人民政府, 相关市（州）人民政府, 各县、区人民政府（管委会）, 园区管委会 … — fanned out where the plan
 * has a region list, otherwise flagged for review.
 */
const GENERIC_UNITS = [
  /^各(?:有关|相关)?(?:省级|省（自治区、直辖市）|省（区、市）|地级及以上市|地级以上市|地级市|县级)(?:人民政府|政府)$/,
  /^地方各级(?:人民政府|政府)$/,
  /^(?:相关|有关|各有关|各相关)(?:省|市（州）|市州|市|县（市、区）|县（区）|县区|区县|县|区|乡镇|镇街|街道)(?:人民政府|政府|党委和政府)?$/,
  /^各(?:县|市|区)(?:、(?:县|市|区))+(?:人民政府|政府)(?:（管委会）)?$/,
  /^各?(?:园区|开发区)管委会$/,
];

export const isRegionCollective = (name: string) => {
  const n = fullWidthBrackets(name);
  return REGION_COLLECTIVE.test(n) || GENERIC_UNITS.some((re) => re.test(n));
};

/** Not one body that can be written to: 有关部门, 区直各部门, 各有关单位 … */
export const isVague = (name: string) =>
  !isRegionCollective(name) && /^(各|有关|相关)|有关|相关|各部门|各单位|各企业/.test(name);

/** How the names of offices, governments and other bodies end. */
const ORG_SUFFIX =
  /(局|委|办|部|院|厅|处|室|中心|公司|政府|街道|支队|大队|队|会|所|站|行|社|团|馆|组|区|县|市|镇|乡|署|庭|集团|企业|单位|学校|医院|园|场|台)$/;

// `省发改委（省能源局）`: the office named in brackets is part of the one before it.
export const looksLikeOrg = (name: string) =>
  isRegionCollective(name) || ORG_SUFFIX.test(fullWidthBrackets(name).replace(/（[^（）]+）$/, ''));

const GENERIC_REGION = /^(街道|乡镇|镇|乡|区|县|市|开发区|园区|镇街)$/;

/** `运河街道办事处` -> 运河街道, `泥沟镇人民政府` -> 泥沟镇, `枣庄高新区管委会` -> 枣庄高新区; else undefined. */
export function regionName(name: string): string | undefined {
  const n = fullWidthBrackets(name);
  if (/^各/.test(n) || /部门|单位|企业|机关/.test(n)) return undefined;
  const base = n.replace(/(人民政府|办事处|管理委员会|管委会|政府)$/, '');
  if (GENERIC_REGION.test(base)) return undefined;
  return /(镇|乡|街道|开发区|园区|新区|区|县|市)$/.test(base) && [...base].length >= 2 ? base : undefined;
}

/** Full names and their usual short forms; both spellings of one body get one key. */
const SHORT_FORMS: [RegExp, string][] = [
  [/环境保护/, '环保'],
  [/发展和改革|发展改革/, '发改'],
  [/住房和城乡建设|住房城乡建设/, '住建'],
  [/经济和信息化|经济信息化/, '经信'],
  [/卫生和计划生育|卫生计生/, '卫计'],
  [/市场监督管理/, '市场监管'],
  [/安全生产监督管理/, '安监'],
  [/人力资源和社会保障/, '人社'],
  [/国有资产监督管理/, '国资'],
  [/机构编制委员会办公室/, '编办'],
  [/金融工作办公室/, '金融办'],
  [/城市管理行政执法|城市管理/, '城管'],
  [/交通运输/, '交通'],
];

/** The key two spellings of the same department share: `区规划分局` ~ `区规划局`, `区环境保护局` ~ `区环保局`. */
export function departmentKey(name: string): string {
  const region = regionName(name);
  if (region) return region;
  let k = fullWidthBrackets(name);
  for (const [long, short] of SHORT_FORMS) k = k.replace(long, short);
  k = k.replace(/分局$/, '局');
  // 发改委 and 发改局 are the same office under two reforms' names; 区委 itself is not.
  if (/^.{3,}委$/.test(k) && !/^[区市县省]委$/.test(k)) k = `${k.slice(0, -1)}局`;
  return k;
}

export interface NameUse {
  name: string;
  line: number;
}

export interface DepartmentIndex {
  departments: Department[];
  /** The name a spelling is listed under. */
  canonical(name: string): string;
  /** Spellings taken as another name of a department, each with the line it was first seen on. */
  merged: { alias: string; name: string; line: number }[];
}

/**
 * The plan's departments, each once: spellings with the same key are one department, listed under the
 * spelling the plan uses most (the first seen on a tie), the others as aliases.
 */
export function indexDepartments(uses: NameUse[]): DepartmentIndex {
  const groups = new Map<string, Map<string, { count: number; line: number; order: number }>>();
  let order = 0;
  for (const u of uses) {
    const spelling = regionName(u.name) ?? fullWidthBrackets(u.name);
    const key = departmentKey(spelling);
    const g = groups.get(key) ?? new Map<string, { count: number; line: number; order: number }>();
    groups.set(key, g);
    const s = g.get(spelling) ?? { count: 0, line: u.line, order: order++ };
    s.count++;
    g.set(spelling, s);
  }
  const departments: Department[] = [];
  const toName = new Map<string, string>();
  const merged: DepartmentIndex['merged'] = [];
  for (const g of groups.values()) {
    const spellings = [...g.entries()].sort((a, b) => b[1].count - a[1].count || a[1].order - b[1].order);
    const name = spellings[0][0];
    const aliases = spellings.slice(1).map(([s]) => s);
    departments.push({ name, aliases });
    for (const [s, info] of spellings) {
      toName.set(s, name);
      if (s !== name) merged.push({ alias: s, name, line: info.line });
    }
  }
  const canonical = (n: string) => {
    const spelling = regionName(n) ?? fullWidthBrackets(n);
    return toName.get(spelling) ?? spelling;
  };
  return { departments, canonical, merged };
}
