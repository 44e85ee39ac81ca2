import { AlertOutlined, ApartmentOutlined, AuditOutlined, BarChartOutlined, BookOutlined, CalendarOutlined, CheckSquareOutlined, EyeOutlined, FileDoneOutlined, FileExcelOutlined, IdcardOutlined, PhoneOutlined, SolutionOutlined, SwapOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { AuditPage } from './pages/audit/index.js';
import { DictionariesPage } from './pages/dictionaries/index.js';
import { OrgsPage } from './pages/orgs/index.js';
import { UsersPage } from './pages/users/index.js';
import { HotlineDeskPage } from './pages/hotline/desk.js';
import { CalendarPage } from './pages/calendar/index.js';
import { TicketQueuePage } from './pages/hotline/queue.js';
import { HotlineStatsPage } from './pages/hotline/stats.js';
import { TicketPage } from './pages/hotline/ticket.js';
import { ApplicationsPage } from './pages/members/applications.js';
import { MemberPage } from './pages/members/detail.js';
import { ImportsPage } from './pages/members/imports.js';
import { MembersPage } from './pages/members/index.js';
import { TransfersPage } from './pages/members/transfers.js';
import { ReviewsPage } from './pages/reviews/index.js';

/** The one route/menu/access table of the admin shell: the menu and the route guard both read it. */
export interface AdminRoute { path: string; label: string; icon: ReactNode; permission: string; element: ReactNode; hidden?: boolean }

export const adminRoutes: AdminRoute[] = [
  { path: 'orgs', label: '组织管理', icon: <ApartmentOutlined />, permission: 'org.read', element: <OrgsPage /> },
  { path: 'members', label: '会员管理', icon: <IdcardOutlined />, permission: 'member.read', element: <MembersPage /> },
  { path: 'members/:id', label: '会员详情', icon: <UserOutlined />, permission: 'member.read', element: <MemberPage />, hidden: true },
  { path: 'join-applications', label: '入会审核', icon: <CheckSquareOutlined />, permission: 'member.read', element: <ApplicationsPage /> },
  { path: 'transfers', label: '转会', icon: <SwapOutlined />, permission: 'member.read', element: <TransfersPage /> },
  { path: 'reviews', label: '待审核', icon: <FileDoneOutlined />, permission: 'member.manage', element: <ReviewsPage /> },
  { path: 'imports', label: '名册导入导出', icon: <FileExcelOutlined />, permission: 'member.manage', element: <ImportsPage /> },
  { path: 'hotline/desk', label: '热线受理', icon: <PhoneOutlined />, permission: 'hotline.create', element: <HotlineDeskPage /> },
  { path: 'hotline/queue', label: '工单办理', icon: <SolutionOutlined />, permission: 'hotline.handle', element: <TicketQueuePage /> },
  { path: 'hotline/supervision', label: '督办', icon: <EyeOutlined />, permission: 'hotline.supervise', element: <TicketQueuePage supervision /> },
  { path: 'hotline/stats', label: '热线统计', icon: <BarChartOutlined />, permission: 'stats.read', element: <HotlineStatsPage /> },
  { path: 'hotline/tickets/:id', label: '工单详情', icon: <AlertOutlined />, permission: 'hotline.read', element: <TicketPage />, hidden: true },
  { path: 'users', label: '账号管理', icon: <TeamOutlined />, permission: 'user.read', element: <UsersPage /> },
  { path: 'audit', label: '审计日志', icon: <AuditOutlined />, permission: 'audit.read', element: <AuditPage /> },
  { path: 'calendar', label: '节假日日历', icon: <CalendarOutlined />, permission: 'calendar.update', element: <CalendarPage /> },
  { path: 'dictionaries', label: '数据字典', icon: <BookOutlined />, permission: 'dictionary.update', element: <DictionariesPage /> },
];
