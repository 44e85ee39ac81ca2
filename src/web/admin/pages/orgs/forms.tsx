import { App, Form, Input, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import { ORG_KIND_LABELS, ORG_KINDS, ORG_LEVEL_LABELS, ORG_LEVELS, type OrgLevel } from '../../../../common/enums.js';
import { createOrg, listOrgs, moveOrg, updateOrg, type Org, type OrgInput } from '../../../api/index.js';
import { applyServerError } from '../../../components/forms.js';

const levelOptions = ORG_LEVELS.filter((l) => l !== 'national').map((l) => ({ value: l, label: ORG_LEVEL_LABELS[l] }));
const kindOptions = ORG_KINDS.map((k) => ({ value: k, label: ORG_KIND_LABELS[k] }));
const NEXT_LEVEL: Record<OrgLevel, OrgLevel> = {
  national: 'province', province: 'city', city: 'county', county: 'grassroots', street: 'grassroots', grassroots: 'branch', branch: 'group', group: 'group',
};
const kindFor = (level: OrgLevel) => (['grassroots', 'branch', 'group'].includes(level) ? level : 'federation');

interface OrgFormProps { open: boolean; onClose(): void; onDone(org: Org): void }

/** 新建下级工会 / 编辑工会 in one modal form; server field errors land on the inputs. */
export function OrgFormModal({ open, onClose, onDone, parent, editing }: OrgFormProps & { parent?: Org; editing?: Org }) {
  const [form] = Form.useForm();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);

  const initialValues = editing
    ? { name: editing.name, level: editing.level, kind: editing.kind, regionCode: editing.regionCode ?? '', creditCode: editing.creditCode ?? '' }
    : parent
      ? { level: NEXT_LEVEL[parent.level], kind: kindFor(NEXT_LEVEL[parent.level]), regionCode: parent.regionCode ?? '' }
      : {};

  const submit = async () => {
    const v = await form.validateFields().catch(() => null) as Omit<OrgInput, 'parentId'> | null;
    if (!v) return; // the field errors show on the fields
    const body = { ...v, creditCode: v.creditCode ? v.creditCode : null };
    setSaving(true);
    try {
      const org = editing ? await updateOrg(editing.id, { ...body, version: editing.version }) : await createOrg({ ...body, parentId: parent?.id ?? 0 });
      message.success(editing ? '已保存' : `已创建：${org.name}`);
      onDone(org);
    } catch (e) {
      const msg = applyServerError(form, e);
      if (msg) message.error(msg);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title={editing ? `编辑：${editing.name}` : `新建下级工会（上级：${parent?.name ?? ''}）`}
      open={open} onCancel={onClose} onOk={submit} confirmLoading={saving} okText="保存" cancelText="取消" destroyOnHidden width={560}
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={initialValues}>
        <Form.Item name="name" label="工会名称" rules={[{ required: true, message: '请输入工会名称' }, { min: 2, max: 100, message: '2–100 个字' }]}>
          <Input placeholder="如：沈阳恒通物流有限公司工会委员会" />
        </Form.Item>
        <Form.Item name="level" label="层级" rules={[{ required: true }]}>
          <Select options={levelOptions} onChange={(l: OrgLevel) => form.setFieldValue('kind', kindFor(l))} />
        </Form.Item>
        <Form.Item name="kind" label="组织类别" rules={[{ required: true }]}>
          <Select options={kindOptions} />
        </Form.Item>
        <Form.Item name="regionCode" label="行政区划代码" extra="GB/T 2260 六位代码，须在上级工会所在地区之内" rules={[{ required: true, message: '请输入行政区划代码' }, { pattern: /^\d{6}$/, message: '应为 6 位数字' }]}>
          <Input maxLength={6} />
        </Form.Item>
        <Form.Item name="creditCode" label="统一社会信用代码" extra="工会的代码以 81（基层工会）或 89 开头；可不填">
          <Input maxLength={40} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 移动工会: choose the new parent by name search (within the caller's scope). */
export function MoveOrgModal({ open, onClose, onDone, org }: OrgFormProps & { org?: Org }) {
  const { message } = App.useApp();
  const [options, setOptions] = useState<Array<{ value: number; label: string }>>([]);
  const [target, setTarget] = useState<number | undefined>();
  const [saving, setSaving] = useState(false);

  useEffect(() => { if (open) { setTarget(undefined); setOptions([]); } }, [open]);

  const search = async (q: string) => {
    if (!q.trim()) return;
    const r = await listOrgs({ q: q.trim(), limit: 20 });
    setOptions(r.items.filter((o) => o.id !== org?.id).map((o) => ({ value: o.id, label: `${o.name}（${o.regionName ?? ''}）` })));
  };

  const submit = async () => {
    if (!org || !target) return;
    setSaving(true);
    try {
      const r = await moveOrg(org.id, target);
      message.success(`已移动 ${r.movedCount} 个工会`);
      onDone(r);
    } catch (e) {
      message.error(e instanceof Error ? e.message : '移动失败');
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal title={`移动：${org?.name ?? ''}`} open={open} onCancel={onClose} onOk={submit} okButtonProps={{ disabled: !target }} confirmLoading={saving} okText="移动" cancelText="取消" destroyOnHidden>
      <p>连同全部下级工会一起移动到新的上级工会之下。</p>
      <Select showSearch={{ filterOption: false, onSearch: (q) => void search(q) }} placeholder="输入名称搜索新的上级工会" style={{ width: '100%' }} options={options} value={target} onChange={setTarget} />
    </Modal>
  );
}
