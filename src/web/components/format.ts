/** Times are shown in Asia/Shanghai whatever the browser's own zone is. */
const TZ = 'Asia/Shanghai';

export function fmtDateTime(iso: string): string {
  return new Date(iso).toLocaleString('zh-CN', { timeZone: TZ, hour12: false });
}

export function fmtShort(iso: string): string {
  return new Date(iso).toLocaleString('zh-CN', { timeZone: TZ, hour12: false, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}
