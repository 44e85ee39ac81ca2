import { Cascader } from 'antd';
import { useEffect, useState } from 'react';
import { listRegions as fetchRegions } from '../api/index.js';

interface Option { value: string; label: string; isLeaf: boolean; children?: Option[] }

const toOption = (r: { code: string; name: string; leaf: boolean }): Option => ({ value: r.code, label: r.name, isLeaf: r.leaf });

/**
 * 省 / 市 / 区县: picks a county-level division (GB/T 2260) as a cascade loaded level by level from
 * `GET /api/regions`; the form's value is the 6-digit code of the last level chosen.
 */
export function RegionPicker({ value, onChange, placeholder = '请选择省 / 市 / 区县', testId }: { value?: string; onChange?: (code: string | undefined) => void; placeholder?: string; testId?: string }) {
  const [options, setOptions] = useState<Option[]>([]);
  const [path, setPath] = useState<string[]>([]);

  useEffect(() => { void fetchRegions().then((rs) => setOptions(rs.map(toOption))); }, []);

  // a value set from outside (a saved form): open its province and city so the path shows
  useEffect(() => {
    if (!value) { setPath([]); return; }
    if (path.at(-1) === value) return;
    const province = `${value.slice(0, 2)}0000`;
    const city = `${value.slice(0, 4)}00`;
    void (async () => {
      const cities = (await fetchRegions(province)).map(toOption);
      const inCity = cities.some((c) => c.value === city) && city !== value ? (await fetchRegions(city)).map(toOption) : [];
      setOptions((prev) => prev.map((p) => (p.value === province ? { ...p, children: cities.map((c) => (c.value === city && inCity.length ? { ...c, children: inCity } : c)) } : p)));
      setPath([province, ...(inCity.length ? [city] : []), value].filter((c, i, a) => a.indexOf(c) === i));
    })();
  }, [value]); // only when the value changes from outside; `path` follows it

  const loadData = async (selected: Option[]) => {
    const target = selected[selected.length - 1];
    if (!target) return;
    const kids = (await fetchRegions(target.value)).map(toOption);
    target.children = kids;
    setOptions((prev) => [...prev]);
  };

  return (
    <Cascader
      data-testid={testId} options={options} loadData={(s) => void loadData(s as Option[])} value={path} placeholder={placeholder}
      showSearch={false} changeOnSelect={false} style={{ width: '100%' }}
      onChange={(v) => { const codes = (v ?? []) as string[]; setPath(codes); onChange?.(codes.at(-1)); }}
    />
  );
}
