import ExcelJS from 'exceljs';
import { idCheckChar } from '../src/server/platform/pii.js';
import { regionChildren } from '../src/server/platform/region.js';

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鹏飞宇浩然子轩欣怡';

/** Liaoning's county codes (GB/T 2260), the prefixes of synthetic resident IDs. */
export function liaoningCounties(): string[] {
  return regionChildren('210000').flatMap((c) => regionChildren(c.code).map((k) => k.code));
}

/**
 * The i-th synthetic worker, deterministic and unique for i < counties × 15,000 × 500: a valid
 * resident ID (real county prefix, birth date 1965–2006, check character), an 11-digit mobile and
 * a Chinese name.
 */
export function syntheticWorker(i: number, counties: readonly string[]) {
  const region = counties[i % counties.length] ?? '210102';
  const rest = Math.floor(i / counties.length);
  const day = rest % 15000;
  const seq = Math.floor(rest / 15000) % 500;
  const birth = new Date(Date.UTC(1965, 0, 1) + day * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `${region}${birth}${String(seq * 2 + (i % 2)).padStart(3, '0')}`;
  const name = `${SURNAMES[i % SURNAMES.length] ?? '王'}${GIVEN[(i * 7) % GIVEN.length] ?? '伟'}${i % 3 === 0 ? '' : GIVEN[(i * 13) % GIVEN.length] ?? ''}`;
  const phone = `1${3 + (i % 7)}${String(100_000_000 + ((i * 7_919) % 900_000_000)).slice(-9)}`;
  return { name, idNumber: first17 + idCheckChar(first17), phone };
}

/** Writes an n-row roster in the template's layout, streamed; shared strings as Excel itself writes them. */
export async function writeRoster(file: string, n: number, opts: { sharedStrings?: boolean } = {}): Promise<void> {
  const counties = liaoningCounties();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: opts.sharedStrings ?? true, useStyles: false });
  const ws = wb.addWorksheet('会员名册');
  ws.addRow(['姓名*', '证件类型', '证件号码*', '手机号码*', '民族', '学历', '就业状况', '户籍类型', '是否农民工', '会员群体', '入会日期', '所在工会统一社会信用代码']).commit();
  for (let i = 0; i < n; i++) {
    const w = syntheticWorker(i, counties);
    ws.addRow([w.name, '居民身份证', w.idNumber, w.phone, '汉族', '大学本科', '在岗', i % 4 === 0 ? '农村户籍' : '城镇户籍', i % 4 === 0 ? '是' : '否', i % 10 === 0 ? '快递员' : '', '', '']).commit();
  }
  await ws.commit();
  await wb.commit();
}

// `node dist/bench/roster.js FILE N`: the import bench writes its roster in a child process, so
// that writing a 10⁶-row file does not swell the measured process before the job starts.
if (process.argv[1]?.endsWith('roster.js') && process.argv[2] && process.argv[3]) {
  writeRoster(process.argv[2], Number(process.argv[3])).catch((err: unknown) => { console.error(err); process.exit(1); });
}
