import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ApiError } from './api/client.js';
import { Spin } from 'antd';

// the console, its login and the phone pages are separate chunks: a worker's phone loads no admin code
const AdminApp = lazy(() => import('./admin/AdminApp.js').then((m) => ({ default: m.AdminApp })));
const LoginPage = lazy(() => import('./admin/pages/login/index.js').then((m) => ({ default: m.LoginPage })));
const MobileApp = lazy(() => import('./m/MobileApp.js').then((m) => ({ default: m.MobileApp })));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: (n, err) => !(err instanceof ApiError && err.status < 500) && n < 2, refetchOnWindowFocus: false },
  },
});

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} theme={{ token: { colorPrimary: '#c8161d', borderRadius: 4 } }}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <Suspense fallback={<Spin fullscreen />}>
            <Routes>
              <Route path="/admin/login" element={<LoginPage />} />
              <Route path="/admin/*" element={<AdminApp />} />
              <Route path="/m/*" element={<MobileApp />} />
              <Route path="*" element={<Navigate to="/admin/" replace />} />
            </Routes>
            </Suspense>
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
