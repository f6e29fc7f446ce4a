import fs from 'node:fs';
import path from 'node:path';

/**
 * The CJK font every PDF embeds (Noto Sans SC, from @embedpdf/fonts-sc): PDF's built-in fonts have no
 * Chinese glyphs. The package exports only its script, so the font is found beside it.
 */
export function cjkFontFile(): string {
  let main: string;
  try {
    main = require.resolve('@embedpdf/fonts-sc');
  } catch {
    throw new Error(
      'PDF 需要中文字体包 @embedpdf/fonts-sc / PDF output needs the font package @embedpdf/fonts-sc',
    );
  }
  const file = path.join(path.dirname(main), '..', 'fonts', 'NotoSansHans-Regular.otf');
  if (!fs.existsSync(file)) throw new Error(`中文字体缺失 / the CJK font is missing: ${file}`);
  return file;
}
