/** A plan id (slug) from a file name: `plans/Taierzhuang 2016 water.txt` -> `taierzhuang-2016-water`. */
export function slugFromFileName(fileName: string): string | undefined {
  const base = fileName
    .replace(/^.*[\\/]/, '')
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .toLowerCase();
  const slug = base
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '')
    .slice(0, 64)
    .replace(/[-._]+$/, '');
  return /^[a-z0-9]/.test(slug) && /[a-z]/.test(slug) ? slug : undefined;
}
