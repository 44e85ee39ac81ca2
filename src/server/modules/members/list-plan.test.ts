import { describe, expect, it } from 'vitest';
import { ALL_PLANS, choosePlan, isWalk, sharesNeeded, type ListFacts, type ListPlan, type PlanKind, type Share } from './list-plan.js';

const without = (...kinds: PlanKind[]) => new Set([...ALL_PLANS].filter((k) => !kinds.includes(k)));

const base: ListFacts = { search: 'none', preparedName: false, walkableStatus: true, countyScope: false, countyHead: null, plans: ALL_PLANS };
const county = { countyScope: true, countyHead: '/1/2/3/4/' };
const belowCounty = { countyHead: '/1/2/3/4/' };

/** [what, facts, shares the scope reaches, shares asked for, plan] */
const cases: Array<[string, Partial<ListFacts>, Share[], Share[], ListPlan['kind']]> = [
  ['an exact search of any scope', { search: 'exact' }, [], [], 'exact'],
  ['an exact search, even of a county and a status that is not walkable', { search: 'exact', ...county, walkableStatus: false }, [], [], 'exact'],
  ['a name search the prepared range takes', { search: 'name', preparedName: true }, [], [], 'name'],
  ['a name search it cannot take', { search: 'name' }, [], [], 'planned'],
  ['a surname in one county', { search: 'initial', preparedName: true, ...county }, [], [], 'county'],
  ['a surname in one county, any status', { search: 'initial', preparedName: true, ...county, walkableStatus: false }, [], [], 'county'],
  ['a surname in a large scope', { search: 'initial', preparedName: true }, ['initialWalk'], ['initialWalk'], 'initialWalk'],
  ['a surname in a small scope', { search: 'initial', preparedName: true }, [], ['initialWalk'], 'initial'],
  ['a surname with a status not walkable', { search: 'initial', preparedName: true, walkableStatus: false }, ['initialWalk'], [], 'initial'],
  ['a surname the prepared search cannot take', { search: 'initial' }, [], [], 'planned'],
  ['a surname in one county with the county indexes off', { search: 'initial', preparedName: true, ...county, plans: without('county', 'countyWalk') }, ['initialWalk'], ['initialWalk'], 'initialWalk'],
  ['a plain page of one county', { ...county }, [], [], 'county'],
  ['a plain page below a county holding a share of it', { ...belowCounty }, ['countyWalk', 'walk'], ['countyWalk', 'walk'], 'countyWalk'],
  ['a plain page below a county with a share of the province only', { ...belowCounty }, ['walk'], ['countyWalk', 'walk'], 'idWalk'],
  ['a plain page of a small union below a county', { ...belowCounty }, [], ['countyWalk', 'walk'], 'planned'],
  ['a plain page of the province or a city', {}, ['walk'], ['walk'], 'idWalk'],
  ['a plain page of a small scope above counties', {}, [], ['walk'], 'planned'],
  ['a plain page of ended memberships', { ...county, walkableStatus: false }, ['walk'], [], 'planned'],
  ['a plain page of one county with the county indexes off', { ...county, plans: without('county', 'countyWalk') }, ['walk'], ['walk'], 'idWalk'],
  // each plan left out falls back to the next simpler one
  ['an exact search without its prepared plan', { search: 'exact', plans: without('exact') }, [], [], 'planned'],
  ['a name search without its prepared plan', { search: 'name', preparedName: true, plans: without('name') }, [], [], 'planned'],
  ['a surname in one county without the county plan', { search: 'initial', preparedName: true, ...county, plans: without('county') }, [], ['initialWalk'], 'initial'],
  ['a surname in a large scope without its walk', { search: 'initial', preparedName: true, plans: without('initialWalk') }, ['initialWalk'], [], 'initial'],
  ['a surname in a small scope without the first-character plan', { search: 'initial', preparedName: true, plans: without('initial') }, [], ['initialWalk'], 'planned'],
  ['a plain page below a county without the county walk', { ...belowCounty, plans: without('countyWalk') }, ['countyWalk', 'walk'], ['walk'], 'idWalk'],
  ['a plain page of the province without the id walk', { plans: without('idWalk') }, ['walk'], [], 'planned'],
  ['a plain page of one county with only the planned query', { ...county, plans: new Set<PlanKind>(['planned']) }, ['walk'], [], 'planned'],
];

describe('member-list planner', () => {
  it.each(cases)('%s', (_what, facts, reached, asked, kind) => {
    const f = { ...base, ...facts };
    expect(sharesNeeded(f)).toEqual(asked);
    const mine = reached.filter((s) => asked.includes(s));
    const plan = choosePlan(f, new Set(mine));
    expect(plan.kind).toBe(kind);
    // only the shares it asked for may decide: the ones it did not ask for (never counted) change nothing
    const unasked = (['walk', 'countyWalk', 'initialWalk'] as const).filter((s) => !asked.includes(s));
    expect(choosePlan(f, new Set([...mine, ...unasked]))).toEqual(plan);
    // and the first share asked for that the scope reaches decides alone (the service stops counting there)
    const first = asked.find((s) => reached.includes(s));
    expect(choosePlan(f, new Set(first ? [first] : []))).toEqual(plan);
  });

  it('falls back to the planned query only for the walks (a short walk may have run out of budget)', () => {
    expect((['exact', 'name', 'initial', 'initialWalk', 'planned'] as const).map((kind) => isWalk({ kind }))).toEqual([false, false, false, false, false]);
    expect(isWalk({ kind: 'county', head: '/1/2/3/4/' })).toBe(false);
    expect(isWalk({ kind: 'idWalk' }) && isWalk({ kind: 'countyWalk', head: '/1/2/3/4/' })).toBe(true);
  });
});
