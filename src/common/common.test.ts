import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, auditActionLabel } from './audit.js';
import { APPLICATION_STATUS, IMPORT_STATUS, MEMBER_STATUS, REVIEW_STEP_STATUS, TICKET_STATUS, TRANSFER_STATUS, type StatusMap } from './status.js';
import { REVIEW_STEP_STATUSES } from '../server/modules/reviews/schemas.js';
import { MEMBER_STATUSES } from '../server/modules/members/schemas.js';
import { APPLICATION_STATUSES } from '../server/modules/join-applications/schemas.js';
import { TRANSFER_STATUSES } from '../server/modules/transfers/schemas.js';
import { TICKET_STATUSES } from '../server/modules/hotline/schemas.js';

const chinese = /[\u4e00-\u9fff]/;

describe('shared catalogs (src/common)', () => {
  it('give every status of every entity a Chinese label and a colour, and nothing else', () => {
    const cases: Array<[StatusMap, readonly string[]]> = [
      [MEMBER_STATUS, MEMBER_STATUSES], [APPLICATION_STATUS, APPLICATION_STATUSES], [TRANSFER_STATUS, TRANSFER_STATUSES],
      [TICKET_STATUS, TICKET_STATUSES], [REVIEW_STEP_STATUS, REVIEW_STEP_STATUSES], [IMPORT_STATUS, ['queued', 'running', 'done', 'failed']],
    ];
    for (const [map, statuses] of cases) {
      expect(Object.keys(map).sort()).toEqual([...statuses].sort());
      for (const s of Object.values(map)) {
        expect(s.label).toMatch(chinese);
        expect(s.color.length).toBeGreaterThan(0);
      }
    }
  });

  it('label every audit action in Chinese, each label once', () => {
    const labels = Object.values(AUDIT_ACTIONS);
    for (const l of labels) expect(l).toMatch(chinese);
    expect(new Set(labels).size).toBe(labels.length);
    expect(auditActionLabel('member.reveal')).toBe('查看完整证件号或手机号');
    expect(auditActionLabel('legacy.code')).toBe('legacy.code');
  });
});
