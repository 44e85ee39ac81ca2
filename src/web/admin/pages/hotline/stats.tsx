import { useQuery } from '@tanstack/react-query';
import { Card, Col, DatePicker, Empty, Row, Statistic } from 'antd';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import { getHotlineStats } from '../../../api/index.js';
import { formatFen } from '../../../../common/money.js';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

function Chart({ option, height = 300 }: { option: echarts.EChartsCoreOption; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current);
    chart.setOption(option);
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => { window.removeEventListener('resize', onResize); chart.dispose(); };
  }, [option]);
  return <div ref={el} style={{ height }} />;
}

/** 热线统计: figures of the officer's subtree for a period, by category and by union. */
export function HotlineStatsPage() {
  // No range: the server's default, this year up to today in Asia/Shanghai.
  const [range, setRange] = useState<[string, string] | null>(null);
  const s = useQuery({ queryKey: ['hotline-stats', range], queryFn: () => getHotlineStats(range ? { from: range[0], to: range[1] } : {}) });
  const d = s.data;
  const pct = (n: number, of: number) => (of ? `${((n / of) * 100).toFixed(1)}%` : '—');
  return (
    <Card title={d ? `12351 热线统计（${d.from} 至 ${d.to}）` : '12351 热线统计'} loading={s.isPending} extra={
      <DatePicker.RangePicker allowClear={false} onChange={(v) => { const a = v?.[0]; const b = v?.[1]; if (a && b) setRange([a.format('YYYY-MM-DD'), b.format('YYYY-MM-DD')]); }} />
    }>
      {d && <>
        <Row gutter={16}>
          <Col xs={12} md={4}><Statistic title="受理" value={d.received} /></Col>
          <Col xs={12} md={4}><Statistic title="办结" value={d.resolved} suffix={<small>（办结率 {pct(d.resolved, d.received)}）</small>} /></Col>
          <Col xs={12} md={4}><Statistic title="按时办结" value={d.resolvedOnTime} suffix={<small>（{pct(d.resolvedOnTime, d.resolved)}）</small>} /></Col>
          <Col xs={12} md={4}><Statistic title="当前超期" value={d.overdue} styles={{ content: { color: d.overdue ? '#cf1322' : undefined } }} /></Col>
          <Col xs={12} md={4}><Statistic title="满意率" value={d.satisfactionRate === null ? '—' : `${(d.satisfactionRate * 100).toFixed(1)}%`} /></Col>
          <Col xs={12} md={4}><Statistic title="追回欠薪" value={formatFen(d.amountRecoveredFen)} /></Col>
        </Row>
        <Row gutter={16} style={{ marginTop: 24 }}>
          <Col xs={24} lg={12}>
            <Card size="small" title="按类别">
              {d.byCategory.every((c) => c.received === 0 && c.resolved === 0) ? <Empty description="该期间没有工单" data-testid="empty-category" /> : (
                <Chart option={{
                  tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { top: 36, left: 80, right: 20, bottom: 30 },
                  xAxis: { type: 'value', minInterval: 1 }, yAxis: { type: 'category', data: d.byCategory.map((c) => c.label) },
                  series: [{ name: '受理', type: 'bar', data: d.byCategory.map((c) => c.received) }, { name: '办结', type: 'bar', data: d.byCategory.map((c) => c.resolved) }],
                }} />
              )}
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card size="small" title="按下级工会">
              {d.byOrg.length === 0 ? <Empty description="该期间没有工单" data-testid="empty-org" /> : (
                <Chart option={{
                  tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { top: 36, left: 130, right: 20, bottom: 30 },
                  xAxis: { type: 'value', minInterval: 1 }, yAxis: { type: 'category', data: d.byOrg.map((o) => o.orgName), axisLabel: { width: 120, overflow: 'truncate' } },
                  series: [
                    { name: '受理', type: 'bar', data: d.byOrg.map((o) => o.received) },
                    { name: '办结', type: 'bar', data: d.byOrg.map((o) => o.resolved) },
                    { name: '超期', type: 'bar', data: d.byOrg.map((o) => o.overdue), itemStyle: { color: '#cf1322' } },
                  ],
                }} />
              )}
            </Card>
          </Col>
        </Row>
      </>}
    </Card>
  );
}
