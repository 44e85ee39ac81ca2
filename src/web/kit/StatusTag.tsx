import { Tag } from 'antd';
import type { StatusMap } from '../../common/status.js';

/** A status as a coloured tag, from its entity's map in src/common/status.ts (unknown codes shown as they are). */
export function StatusTag({ map, value, title, testId }: { map: StatusMap; value: string; title?: string | null | undefined; testId?: string }) {
  const s = map[value];
  return <Tag color={s?.color ?? 'default'} title={title ?? undefined} data-testid={testId}>{s?.label ?? value}</Tag>;
}
