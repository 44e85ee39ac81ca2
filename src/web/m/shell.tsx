import { useEffect } from 'react';
/** The frame of every worker page (职工端): a phone-width column with the union red title bar. */
export function MobileShell({ title, children }: { title: string; children: React.ReactNode }) {
  useEffect(() => { document.title = `${title} · 智慧工会`; }, [title]);
  return (
    <div style={{ maxWidth: 480, margin: '0 auto', minHeight: '100vh', background: '#f5f5f5' }}>
      <div style={{ background: '#c8161d', color: '#fff', padding: '14px 16px', fontSize: 17, fontWeight: 600 }}>{title}</div>
      <div style={{ padding: 12 }}>{children}</div>
    </div>
  );
}
