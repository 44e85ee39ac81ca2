import { AlertOutlined, ApartmentOutlined, AuditOutlined, BarChartOutlined, BookOutlined, CalendarOutlined, CheckSquareOutlined, EyeOutlined, FileDoneOutlined, FileExcelOutlined, IdcardOutlined, PhoneOutlined, SolutionOutlined, SwapOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { lazy, type ReactNode } from 'react';

// each page is its own chunk, loaded when first opened (the shell and the kit load once)
const AuditPage = lazy(() => import('./pages/audit/index.js').then((m) => ({ default: m.AuditPage })));
const DictionariesPage = lazy(() => import('./pages/dictionaries/index.js').then((m) => ({ default: m.DictionariesPage })));
const OrgsPage = lazy(() => import('./pages/orgs/index.js').then((m) => ({ default: m.OrgsPage })));
const UsersPage = lazy(() => import('./pages/users/index.js').then((m) => ({ default: m.UsersPage })));
const HotlineDeskPage = lazy(() => import('./pages/hotline/desk.js').then((m) => ({ default: m.HotlineDeskPage })));
const CalendarPage = lazy(() => import('./pages/calendar/index.js').then((m) => ({ default: m.CalendarPage })));
const TicketQueuePage = lazy(() => import('./pages/hotline/queue.js').then((m) => ({ default: m.TicketQueuePage })));
const HotlineStatsPage = lazy(() => import('./pages/hotline/stats.js').then((m) => ({ default: m.HotlineStatsPage })));
const TicketPage = lazy(() => import('./pages/hotline/ticket.js').then((m) => ({ default: m.TicketPage })));
const ApplicationsPage = lazy(() => import('./pages/members/applications.js').then((m) => ({ default: m.ApplicationsPage })));
const MemberPage = lazy(() => import('./pages/members/detail.js').then((m) => ({ default: m.MemberPage })));
const ImportsPage = lazy(() => import('./pages/members/imports.js').then((m) => ({ default: m.ImportsPage })));
const MembersPage = lazy(() => import('./pages/members/index.js').then((m) => ({ default: m.MembersPage })));
const TransfersPage = lazy(() => import('./pages/members/transfers.js').then((m) => ({ default: m.TransfersPage })));
const ReviewsPage = lazy(() => import('./pages/reviews/index.js').then((m) => ({ default: m.ReviewsPage })));

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
