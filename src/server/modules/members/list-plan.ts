/**
 * The member-list planner (会员列表): which of the list's plans answers one page, as pure
 * functions of what the request asks and how large its scope is. The service gathers the facts
 * (`ListFacts`), asks which shares it must count (`sharesNeeded`, so an exact search counts
 * nothing), counts them (cached) and takes the plan `choosePlan` returns; the repo runs that plan.
 * Each plan and why it exists is in repo.ts (listPrepared, listMembers) and the README.
 */

/** The kind of search a page is. */
export type ListSearch =
  | 'exact' // person ids (full identity number, phone, member number) or the identity number's last four
  | 'initial' // a name prefix of one character (a surname, mostly)
  | 'name' // a longer name prefix
  | 'none'; // a plain page

export interface ListFacts {
  search: ListSearch;
  /** A name prefix the prepared range search can take for this scope (repo.preparedNameSearch). */
  preparedName: boolean;
  /** The statuses asked for cover nearly every row (current or all), so a walk finds matches soon. */
  walkableStatus: boolean;
  /** The scope is one county's subtree (its pages read the county index, migration 0007). */
  countyScope: boolean;
  /** The county head of a scope that is one subtree below a county (else null). */
  countyHead: string | null;
  /** The county indexes may be used (tests turn them off for a reference). */
  countyPages: boolean;
}

/** The shares of members a plan depends on: of the whole deployment, of the scope's county. */
export type Share = 'walk' | 'countyWalk' | 'initialWalk';

export type ListPlan =
  /** Searched ids (person ids, last four), prepared: the page of the matches, newest first. */
  | { kind: 'exact' }
  /** A name prefix as a range of the name index, prepared. */
  | { kind: 'name' }
  /** One county's plain page or one-character search, from the county indexes, prepared. */
  | { kind: 'county' }
  /** A plain page of a scope below one county holding a good share of it: the county's newest entries walked. */
  | { kind: 'countyWalk' }
  /** A plain page of a large scope: the newest ids walked, kept in scope. */
  | { kind: 'idWalk' }
  /** A one-character search of a large scope: that character's newest entries walked. */
  | { kind: 'initialWalk' }
  /** A one-character search of a smaller scope: the first-character and union-path index, prepared. */
  | { kind: 'initial' }
  /** Anything else: an ordinary query, planned by PostgreSQL for its values. */
  | { kind: 'planned' };

/**
 * Which shares `choosePlan` will look at for these facts (none for a search that needs no walk), in
 * order of preference: the first one the scope reaches decides, so the service counts them in
 * order and stops there (a street holding a share of its county never counts the province).
 */
export function sharesNeeded(f: ListFacts): Share[] {
  const plain = f.search === 'none' && f.walkableStatus;
  if (plain) {
    if (f.countyPages && f.countyScope) return [];
    if (f.countyPages && f.countyHead !== null) return ['countyWalk', 'walk'];
    return ['walk'];
  }
  if (f.search === 'initial' && f.preparedName && !(f.countyPages && f.countyScope) && f.walkableStatus) return ['initialWalk'];
  return [];
}

/**
 * The plan of one page. `shares` holds the shares the scope reaches (its county's for countyWalk,
 * the deployment's for walk and initialWalk); a share not in `sharesNeeded` is never read.
 */
export function choosePlan(f: ListFacts, shares: ReadonlySet<Share>): ListPlan {
  if (f.search === 'exact') return { kind: 'exact' };
  if (f.search === 'name') return f.preparedName ? { kind: 'name' } : { kind: 'planned' };
  if (f.search === 'initial') {
    if (!f.preparedName) return { kind: 'planned' };
    if (f.countyPages && f.countyScope) return { kind: 'county' };
    if (f.walkableStatus && shares.has('initialWalk')) return { kind: 'initialWalk' };
    return { kind: 'initial' };
  }
  if (!f.walkableStatus) return { kind: 'planned' };
  if (f.countyPages && f.countyScope) return { kind: 'county' };
  if (f.countyPages && f.countyHead !== null && shares.has('countyWalk')) return { kind: 'countyWalk' };
  if (shares.has('walk')) return { kind: 'idWalk' };
  return { kind: 'planned' };
}

/** Plans that read a bounded walk: a page that comes back short is planned instead (it may have run out of budget). */
export function isWalk(p: ListPlan): boolean {
  return p.kind === 'idWalk' || p.kind === 'countyWalk';
}
