import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('safe defaults', () => {
  it('load the demo on the embedded database only, unless GONGHUI_DEMO says otherwise', () => {
    expect(loadConfig({}).demo).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/gonghui' }).demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/gonghui', GONGHUI_DEMO: '1' }).demo).toBe(true);
    expect(loadConfig({ GONGHUI_DEMO: '0' }).demo).toBe(false);
  });

  it('leave the listen address to the start (loopback while demo accounts exist) unless HOST is set', () => {
    expect(loadConfig({}).host).toBeUndefined();
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('believe X-Forwarded-For only from the proxies TRUST_PROXY names, and refuse anything else', () => {
    expect(loadConfig({}).trustProxy).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.1.0.0/16' }).trustProxy).toEqual(['10.0.0.5', '10.1.0.0/16']);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
  });
});
