import { describe, expect, it } from 'vitest';
import { redactUrl } from './logger.js';

describe('redactUrl', () => {
  it('redacts PII query values by name and by shape, and keeps the rest', () => {
    expect(redactUrl('/api/members?q=210102199001011165&limit=50')).toBe('/api/members?q=[REDACTED]&limit=50');
    expect(redactUrl('/api/members?q=%E5%BC%A0')).toBe('/api/members?q=[REDACTED]');
    expect(redactUrl('/api/hotline/lookup?ticketNo=20261202000008&phone=13912345679')).toBe('/api/hotline/lookup?ticketNo=[REDACTED]&phone=[REDACTED]');
    expect(redactUrl('/api/join-applications/status?applicationNo=A1&phone=139')).toBe('/api/join-applications/status?applicationNo=[REDACTED]&phone=[REDACTED]');
    expect(redactUrl('/api/whatever?x=11010519491231002X')).toBe('/api/whatever?x=[REDACTED]');
    expect(redactUrl('/api/members?orgId=12&status=active')).toBe('/api/members?orgId=12&status=active');
    expect(redactUrl('/api/members/261/history')).toBe('/api/members/261/history');
  });

  it('redacts path segments holding long digit runs and malformed encodings', () => {
    expect(redactUrl('/api/x/13912345678/y')).toBe('/api/x/[REDACTED]/y');
    expect(redactUrl('/api/members?q=%E5%ZZ')).toBe('/api/members?[REDACTED]');
    expect(redactUrl('/api/x%ZZ')).toBe('/api/[REDACTED]');
  });
});
