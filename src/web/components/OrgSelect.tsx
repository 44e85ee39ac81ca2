import { Select } from 'antd';
import { useEffect, useState } from 'react';
import { listOrgs, orgDirectory } from '../api/index.js';

/**
 * Picks a union by name: inside the officer's scope (default), or from the national directory
 * (`directory`) when the target may lie elsewhere (forwarding, transfers).
 */
export function OrgSelect({ value, onChange, directory = false, placeholder, style, testId }: {
  value?: number; onChange?: (v: number) => void; directory?: boolean; placeholder?: string; style?: React.CSSProperties; testId?: string;
}) {
  const [options, setOptions] = useState<Array<{ value: number; label: string }>>([]);
  const search = async (q: string) => {
    if (directory) {
      if (q.trim().length < 2) return;
      setOptions((await orgDirectory(q.trim())).map((o) => ({ value: o.id, label: o.name })));
    } else {
      const r = await listOrgs(q.trim() ? { q: q.trim(), limit: 20 } : { limit: 20 });
      setOptions(r.items.map((o) => ({ value: o.id, label: o.name })));
    }
  };
  useEffect(() => { if (!directory) void search(''); }, [directory]);
  return (
    <Select
      data-testid={testId} value={value} onChange={onChange} options={options} style={style}
      showSearch={{ filterOption: false, onSearch: (q) => void search(q) }}
      placeholder={placeholder ?? (directory ? '输入工会名称（至少 2 个字）搜索' : '选择工会，或输入名称搜索')}
    />
  );
}
