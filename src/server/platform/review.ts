import type { Transaction } from 'kysely';
import { ORG_LEVELS, type OrgLevel } from '../../common/enums.js';
import type { Database } from '../db/types.js';
import type { DeadlineRule } from './calendar.js';
import type { Permission } from './policy.js';

/**
 * A service's review chain (逐级审核): from the union an application is filed with, up the tree to
 * the level the service sets (legal aid: the city; provincial honours: the province; a setting per
 * deployment for hardship files), each step held by one union with a deadline in working days.
 * The module registers one chain per entity type (modules/reviews `register`) and hears the
 * outcome in the decision's transaction.
 */
export interface ReviewChain {
  entityType: string;
  /** 中文, shown in the queue ('困难职工建档'). */
  label: string;
  /** Who reviews, in the union holding the step. */
  permission: Permission;
  /** The highest level that reviews: the chain ends when a union at or above it approves. */
  top: () => OrgLevel;
  /** The levels that review above the first union (default: every level up to `top`). */
  stops?: readonly OrgLevel[];
  /** Each step's deadline. */
  deadline: DeadlineRule;
  /** The web page of the entity, for the queue's link ('/admin/aid/files/:id'). */
  page?: (entityId: number) => string;
  /** The entity's part of a decision, in its transaction: move the entity on, tell the applicant. */
  onDecided(trx: Transaction<Database>, d: ReviewDecision): Promise<void>;
}

export interface ReviewDecision {
  entityId: number;
  provinceCode: string;
  outcome: 'approved' | 'returned' | 'rejected';
  /** An approval at the last level (the chain is done); a return or a rejection always ends the round. */
  final: boolean;
  reason: string | null;
  /** The union that decided. */
  orgId: number;
}

export const levelOrder = (l: string): number => ORG_LEVELS.indexOf(l as OrgLevel);

/**
 * The next union to review after `current` approves, from its ancestors (nearest first), or null
 * when the chain ends there: `current` is at or above the top level, or no ancestor up to the top
 * is a stop.
 */
export function nextReviewer<O extends { level: string }>(current: { level: string }, ancestorsNearestFirst: readonly O[], top: OrgLevel, stops?: readonly OrgLevel[]): O | null {
  const t = levelOrder(top);
  if (levelOrder(current.level) <= t) return null;
  for (const a of ancestorsNearestFirst) {
    const o = levelOrder(a.level);
    if (o < t) return null;
    if (!stops || stops.includes(a.level as OrgLevel) || o === t) return a;
  }
  return null;
}
