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
  /** The scope is one county's subtree (its pages read the county index, repo.ensureCountyIndexes). */
  countyScope: boolean;
  /** The county head (the county's path) of a scope that is one subtree at or below a county (else null). */
  countyHead: string | null;
  /**
   * The plans this service may take (all of them, `ALL_PLANS`, in production). A plan left out
   * falls back to the next simpler one: the benchmark measures each plan beside its fallback and
   * tests take the plainest plans for a reference. 'planned' is always available.
   */
  plans: ReadonlySet<PlanKind>;
}

export type PlanKind = ListPlan['kind'];

/** Every plan. */
export const ALL_PLANS: ReadonlySet<PlanKind> = new Set<PlanKind>(['exact', 'name', 'county', 'countyWalk', 'idWalk', 'initialWalk', 'initial', 'planned']);

/** The shares of members a plan depends on: of the whole deployment, of the scope's county. */
export type Share = 'walk' | 'countyWalk' | 'initialWalk';

export type ListPlan =
  /** Searched ids (person ids, last four), prepared: the page of the matches, newest first. */
  | { kind: 'exact' }
  /** A name prefix as a range of the name index, prepared. */
  | { kind: 'name' }
  /** One county's plain page or one-character search, from the county indexes, prepared. */
  | { kind: 'county'; head: string }
  /** A plain page of a scope below one county holding a good share of it: the county's newest entries walked. */
  | { kind: 'countyWalk'; head: string }
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
  const has = (k: PlanKind) => f.plans.has(k);
  const county = has('county') && f.countyScope && f.countyHead !== null;
  if (f.search === 'none' && f.walkableStatus) {
    if (county) return [];
    const shares: Share[] = [];
    if (has('countyWalk') && f.countyHead !== null) shares.push('countyWalk');
    if (has('idWalk')) shares.push('walk');
    return shares;
  }
  if (f.search === 'initial' && f.preparedName && !county && f.walkableStatus && has('initialWalk')) return ['initialWalk'];
  return [];
}

/**
 * The plan of one page. `shares` holds the shares the scope reaches (its county's for countyWalk,
 * the deployment's for walk and initialWalk); a share not in `sharesNeeded` is never read.
 */
export function choosePlan(f: ListFacts, shares: ReadonlySet<Share>): ListPlan {
  const has = (k: PlanKind) => f.plans.has(k);
  if (f.search === 'exact') return has('exact') ? { kind: 'exact' } : { kind: 'planned' };
  if (f.search === 'name') return f.preparedName && has('name') ? { kind: 'name' } : { kind: 'planned' };
  if (f.search === 'initial') {
    if (!f.preparedName) return { kind: 'planned' };
    if (has('county') && f.countyScope && f.countyHead !== null) return { kind: 'county', head: f.countyHead };
    if (has('initialWalk') && f.walkableStatus && shares.has('initialWalk')) return { kind: 'initialWalk' };
    return has('initial') ? { kind: 'initial' } : { kind: 'planned' };
  }
  if (!f.walkableStatus) return { kind: 'planned' };
  if (has('county') && f.countyScope && f.countyHead !== null) return { kind: 'county', head: f.countyHead };
  if (has('countyWalk') && f.countyHead !== null && shares.has('countyWalk')) return { kind: 'countyWalk', head: f.countyHead };
  if (has('idWalk') && shares.has('walk')) return { kind: 'idWalk' };
  return { kind: 'planned' };
}

/** Plans that read a bounded walk: a page that comes back short is planned instead (it may have run out of budget). */
export function isWalk(p: ListPlan): boolean {
  return p.kind === 'idWalk' || p.kind === 'countyWalk';
}
