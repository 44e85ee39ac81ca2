import { createContext, useContext, type ReactNode } from 'react';
import type { Me } from '../api/index.js';

const MeContext = createContext<Me | null>(null);

/** Provides the signed-in officer to the pages under it (AdminApp, once /api/auth/me answered). */
export function MeProvider({ me, children }: { me: Me; children: ReactNode }) {
  return <MeContext.Provider value={me}>{children}</MeContext.Provider>;
}

/** The signed-in officer, with roles and permissions (from /api/auth/me). */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside MeProvider');
  return me;
}

/** Whether the officer holds `permission` somewhere (menus and buttons; the server checks every call). */
export const can = (me: Me, permission: string) => me.permissions.includes(permission);
