import { ApartmentOutlined, AuditOutlined, BookOutlined, TeamOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { AuditPage } from './pages/audit/index.js';
import { DictionariesPage } from './pages/dictionaries/index.js';
import { OrgsPage } from './pages/orgs/index.js';
import { UsersPage } from './pages/users/index.js';

/** The one route/menu/access table of the admin shell: the menu and the route guard both read it. */
export interface AdminRoute { path: string; label: string; icon: ReactNode; permission: string; element: ReactNode }

export const adminRoutes: AdminRoute[] = [
  { path: 'orgs', label: '组织管理', icon: <ApartmentOutlined />, permission: 'org.read', element: <OrgsPage /> },
  { path: 'users', label: '账号管理', icon: <TeamOutlined />, permission: 'user.read', element: <UsersPage /> },
  { path: 'audit', label: '审计日志', icon: <AuditOutlined />, permission: 'audit.read', element: <AuditPage /> },
  { path: 'dictionaries', label: '数据字典', icon: <BookOutlined />, permission: 'dictionary.update', element: <DictionariesPage /> },
];
