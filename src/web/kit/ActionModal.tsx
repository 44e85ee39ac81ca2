import { Alert, Form, Modal } from 'antd';
import { useState, type ReactNode } from 'react';
import { applyServerError } from '../components/forms.js';

/**
 * A dialog with a form that performs one action: required fields checked on the spot, the server's
 * field errors put on their inputs and any other error shown above the form, closed only when the
 * action succeeded.
 */
export function ActionModal<V extends object>({ title, okText = '确定', initialValues, onSubmit, onClose, onDone, children }: {
  title: ReactNode; okText?: string; initialValues?: Partial<V>; onSubmit: (values: V) => Promise<unknown>; onClose: () => void; onDone: () => void | Promise<void>; children: ReactNode;
}) {
  const [form] = Form.useForm<V>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: V) => {
    setBusy(true);
    setError(null);
    try {
      await onSubmit(v);
      await onDone();
    } catch (e) {
      setError(applyServerError(form, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={title} okText={okText} confirmLoading={busy} onOk={() => form.submit()} onCancel={onClose} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} {...(initialValues ? { initialValues } : {})}>{children}</Form>
    </Modal>
  );
}
