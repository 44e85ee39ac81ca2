import { describe, expect, it } from 'vitest';
import { TICKET_STATUSES, type TicketStatus } from './schemas.js';
import { ACTIONS, transition, type Action } from './service.js';

// Expected result of every action in every state: the next state, or '-' for an illegal move (409).
const expected: Record<TicketStatus, Record<Action, TicketStatus | '-'>> = {
  accepted: { dispatch: 'dispatched', sign: '-', return: '-', resolve: 'resolved', evaluate: '-', close: '-', reopen: '-', supervise: 'accepted' },
  dispatched: { dispatch: 'dispatched', sign: 'signed', return: 'returned', resolve: '-', evaluate: '-', close: '-', reopen: '-', supervise: 'dispatched' },
  signed: { dispatch: 'dispatched', sign: '-', return: 'returned', resolve: 'resolved', evaluate: '-', close: '-', reopen: '-', supervise: 'signed' },
  returned: { dispatch: 'dispatched', sign: '-', return: '-', resolve: 'resolved', evaluate: '-', close: '-', reopen: '-', supervise: 'returned' },
  resolved: { dispatch: '-', sign: '-', return: '-', resolve: '-', evaluate: 'evaluated', close: 'closed', reopen: '-', supervise: '-' },
  evaluated: { dispatch: '-', sign: '-', return: '-', resolve: '-', evaluate: '-', close: 'closed', reopen: 'accepted', supervise: '-' },
  closed: { dispatch: '-', sign: '-', return: '-', resolve: '-', evaluate: '-', close: '-', reopen: 'accepted', supervise: '-' },
};

describe('work-order transition table: every state × action', () => {
  const cases = TICKET_STATUSES.flatMap((s) => ACTIONS.map((a) => [s, a, expected[s][a]] as const));
  it('covers all 56 pairs', () => expect(cases).toHaveLength(56));
  it.each(cases)('%s + %s → %s', (status, action, next) => {
    expect(transition(status, action) ?? '-').toBe(next);
  });
});
