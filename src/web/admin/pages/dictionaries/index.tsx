import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Card, Col, Input, List, Row, Switch, Table } from 'antd';
import { useState } from 'react';
import { getDict, listDictTypes, putDictItem, type DictItem } from '../../../api/index.js';

/** 数据字典: national code lists; root admins relabel, reorder and disable items. */
export function DictionariesPage() {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const types = useQuery({ queryKey: ['dict-types'], queryFn: listDictTypes });
  const [type, setType] = useState('id_type');
  const items = useQuery({ queryKey: ['dict', type, 'all'], queryFn: () => getDict(type, true) });

  const save = async (item: DictItem, patch: Partial<DictItem>) => {
    try {
      await putDictItem(type, item.code, { label: patch.label ?? item.label, sort: item.sort, enabled: patch.enabled ?? item.enabled });
      message.success('已保存');
      await qc.invalidateQueries({ queryKey: ['dict', type] });
    } catch (e) {
      message.error(e instanceof Error ? e.message : '保存失败');
    }
  };

  return (
    <Row gutter={16}>
      <Col xs={24} md={6}>
        <Card title="字典" size="small">
          <List
            dataSource={types.data ?? []}
            renderItem={(t) => (
              <List.Item onClick={() => setType(t.type)} style={{ cursor: 'pointer', fontWeight: t.type === type ? 600 : 400, color: t.type === type ? '#c8161d' : undefined }}>
                {t.name}
              </List.Item>
            )}
          />
        </Card>
      </Col>
      <Col xs={24} md={18}>
        <Card title={types.data?.find((t) => t.type === type)?.name ?? type} size="small">
          <Table<DictItem>
            rowKey="code" size="small" loading={items.isFetching} dataSource={items.data ?? []} pagination={false}
            columns={[
              { title: '代码', dataIndex: 'code', width: 160 },
              { title: '名称（回车保存）', dataIndex: 'label', render: (l: string, r) => <Input defaultValue={l} key={`${r.code}-${l}`} onPressEnter={(e) => void save(r, { label: e.currentTarget.value })} /> },
              { title: '启用', dataIndex: 'enabled', width: 80, render: (en: boolean, r) => <Switch checked={en} onChange={(v) => void save(r, { enabled: v })} /> },
            ]}
          />
        </Card>
      </Col>
    </Row>
  );
}
