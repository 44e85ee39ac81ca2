import { useQuery } from '@tanstack/react-query';
import { Alert } from 'antd';
import { getHealth } from '../api/index.js';

/** A banner while demo accounts with the published password exist (GET /api/health says so). */
export function DemoBanner({ style }: { style?: React.CSSProperties }) {
  const health = useQuery({ queryKey: ['health'], queryFn: getHealth, staleTime: 60_000 });
  if (!health.data?.demo) return null;
  return (
    <Alert
      type="warning" showIcon banner data-testid="demo-banner" style={style}
      title="演示环境：演示账号使用公开密码，数据均为虚构，请勿录入真实个人信息。正式部署请停用演示账号。"
    />
  );
}
