import { useQuery } from '@tanstack/react-query';
import { getDict } from '../api/index.js';

/** A dictionary as options and a code → label lookup (cached for the session). */
export function useDict(type: string) {
  const q = useQuery({ queryKey: ['dict', type], queryFn: () => getDict(type), staleTime: 10 * 60_000 });
  const items = q.data ?? [];
  const labels = new Map(items.map((i) => [i.code, i.label]));
  return { options: items.map((i) => ({ value: i.code, label: i.label })), label: (code: string | null | undefined) => (code ? labels.get(code) ?? code : '') };
}
