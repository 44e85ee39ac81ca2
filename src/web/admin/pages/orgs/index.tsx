import { DragOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Descriptions, Empty, Input, Row, Space, Statistic, Table, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useCallback, useEffect, useState } from 'react';
import { ORG_KIND_LABELS, ORG_LEVEL_LABELS } from '../../../../common/enums.js';
import { getOrg, getOrgStats, listOrgs, type Org } from '../../../api/index.js';
import { can, useMe } from '../../../kit/me.js';
import { MoveOrgModal, OrgFormModal } from './forms.js';
import { fmtDateTime } from '../../../components/format.js';

interface Node extends DataNode { key: number; org: Org; children?: Node[] }

const toNode = (o: Org): Node => ({ key: o.id, title: o.name, org: o, isLeaf: (o.childCount ?? 0) === 0 });

function replaceChildren(nodes: Node[], key: number, children: Node[]): Node[] {
  return nodes.map((n) => (n.key === key ? { ...n, children, isLeaf: children.length === 0 } : n.children ? { ...n, children: replaceChildren(n.children, key, children) } : n));
}

/** Every child of a union, following keyset pages. */
async function allChildren(parentId: number): Promise<Org[]> {
  const out: Org[] = [];
  let cursor: string | undefined;
  do {
    const page = await listOrgs({ parentId, limit: 200, cursor });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/** 组织管理: the union tree on the left, the selected union with its children on the right. */
export function OrgsPage() {
  const me = useMe();
  const qc = useQueryClient();
  const [tree, setTree] = useState<Node[]>([]);
  const [expanded, setExpanded] = useState<number[]>([]);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [dialog, setDialog] = useState<'create' | 'edit' | 'move' | null>(null);
  const [search, setSearch] = useState('');

  const loadRoots = useCallback(async () => {
    const roots = (await listOrgs({ limit: 200 })).items;
    setTree(roots.map(toNode));
    const first = roots[0];
    if (first) setSelectedId((id) => id ?? first.id);
  }, []);
  useEffect(() => { void loadRoots(); }, [loadRoots]);

  const loadChildren = async (id: number) => {
    const kids = await allChildren(id);
    setTree((t) => replaceChildren(t, id, kids.map(toNode)));
  };

  const selected = useQuery({ queryKey: ['org', selectedId], queryFn: () => getOrg(selectedId as number), enabled: selectedId !== null });
  const stats = useQuery({ queryKey: ['org-stats', selectedId], queryFn: () => getOrgStats(selectedId as number), enabled: selectedId !== null && can(me, 'stats.read') });
  const children = useQuery({ queryKey: ['org-children', selectedId], queryFn: () => allChildren(selectedId as number), enabled: selectedId !== null });
  const found = useQuery({ queryKey: ['org-search', search], queryFn: () => listOrgs({ q: search, limit: 50 }), enabled: search.length > 0 });

  const refresh = async (parentId: number | null) => {
    if (parentId !== null) {
      await loadChildren(parentId);
      setExpanded((e) => (e.includes(parentId) ? e : [...e, parentId]));
    } else {
      await loadRoots();
    }
    await qc.invalidateQueries({ queryKey: ['org'] });
    await qc.invalidateQueries({ queryKey: ['org-children'] });
    await qc.invalidateQueries({ queryKey: ['org-stats'] });
  };

  const org = selected.data;
  return (
    <Row gutter={16}>
      <Col xs={24} md={9} lg={8}>
        <Card title="工会组织" size="small" styles={{ body: { maxHeight: 'calc(100vh - 160px)', overflow: 'auto' } }}>
          <Input.Search placeholder="按名称搜索" allowClear onSearch={(v) => setSearch(v.trim())} style={{ marginBottom: 8 }} />
          {search ? (
            <Table<Org>
              size="small" rowKey="id" pagination={false} loading={found.isFetching}
              dataSource={found.data?.items ?? []}
              onRow={(r) => ({ onClick: () => setSelectedId(r.id), style: { cursor: 'pointer' } })}
              columns={[{ title: '名称', dataIndex: 'name' }, { title: '地区', dataIndex: 'regionName', width: 80 }]}
            />
          ) : (
            <Tree<Node>
              treeData={tree}
              expandedKeys={expanded}
              onExpand={(keys) => setExpanded(keys as number[])}
              selectedKeys={selectedId !== null ? [selectedId] : []}
              onSelect={(keys) => { const k = keys[0]; if (typeof k === 'number') setSelectedId(k); }}
              loadData={(node) => loadChildren(node.key)}
              blockNode
            />
          )}
        </Card>
      </Col>
      <Col xs={24} md={15} lg={16}>
        {!org ? <Card><Empty description="请选择左侧的工会" /></Card> : (
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card
              title={<Space><Typography.Text strong data-testid="org-title">{org.name}</Typography.Text><Tag color="red">{ORG_LEVEL_LABELS[org.level]}</Tag></Space>}
              extra={
                <Space>
                  {can(me, 'org.create') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog('create')}>新建下级工会</Button>}
                  {can(me, 'org.update') && <Button icon={<EditOutlined />} onClick={() => setDialog('edit')}>编辑</Button>}
                  {can(me, 'org.move') && org.parentId !== null && <Button icon={<DragOutlined />} onClick={() => setDialog('move')}>移动</Button>}
                </Space>
              }
            >
              <Descriptions column={{ xs: 1, sm: 2 }} size="small">
                <Descriptions.Item label="组织类别">{ORG_KIND_LABELS[org.kind]}</Descriptions.Item>
                <Descriptions.Item label="所在地区">{org.regionName ? `${org.regionName}（${org.regionCode}）` : '—'}</Descriptions.Item>
                <Descriptions.Item label="统一社会信用代码">{org.creditCode ?? '—'}</Descriptions.Item>
                <Descriptions.Item label="更新时间">{fmtDateTime(org.updatedAt)}</Descriptions.Item>
              </Descriptions>
              {stats.data && (
                <Row gutter={16} style={{ marginTop: 12 }}>
                  <Col span={8}><Statistic title="下级工会总数" value={stats.data.orgCount} /></Col>
                  <Col span={8}><Statistic title="其中基层工会" value={stats.data.grassrootsCount} /></Col>
                  <Col span={8}><Statistic title="直属下级" value={stats.data.childCount} /></Col>
                  <Col span={8}><Statistic title="会员总数（本级及下级）" value={stats.data.memberCount} data-testid="member-count" /></Col>
                  <Col span={8}><Statistic title="本级直属会员" value={stats.data.directMemberCount} /></Col>
                  <Col span={8}><Statistic title="今年新入会" value={stats.data.newMembersThisYear} /></Col>
                </Row>
              )}
            </Card>
            <Card title="直属下级工会" size="small">
              <Table<Org>
                size="small" rowKey="id" loading={children.isFetching} dataSource={children.data ?? []}
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                onRow={(r) => ({ onClick: () => setSelectedId(r.id), style: { cursor: 'pointer' } })}
                columns={[
                  { title: '名称', dataIndex: 'name' },
                  { title: '层级', dataIndex: 'level', width: 110, render: (l: Org['level']) => ORG_LEVEL_LABELS[l] },
                  { title: '地区', dataIndex: 'regionName', width: 100 },
                  { title: '统一社会信用代码', dataIndex: 'creditCode', width: 190, render: (c: string | null) => c ?? '—' },
                  { title: '下级', dataIndex: 'childCount', width: 60 },
                ]}
              />
            </Card>
          </Space>
        )}
      </Col>
      <OrgFormModal open={dialog === 'create'} parent={org} onClose={() => setDialog(null)} onDone={async () => { setDialog(null); await refresh(org?.id ?? null); }} />
      <OrgFormModal open={dialog === 'edit'} editing={org} onClose={() => setDialog(null)} onDone={async (o) => { setDialog(null); await refresh(o.parentId); }} />
      <MoveOrgModal open={dialog === 'move'} org={org} onClose={() => setDialog(null)} onDone={async () => { setDialog(null); await loadRoots(); setExpanded([]); await refresh(null); }} />
    </Row>
  );
}
