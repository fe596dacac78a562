import { useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import type { Account } from '../../../../shared/model/account';
import type { AttachmentInfo } from '../../../../shared/model/draft';
import { THROTTLE_PRESETS, type MergeCheck, type MergeInput, type ThrottlePreset } from '../../../../shared/model/merge';
import type { DeliveredPreview } from '../../../../shared/model/message-view';
import type { TemplateSummary } from '../../../../shared/model/template';
import { api } from '../../lib/api';
import { ErrorBox } from '../../lib/ErrorBox';
import { useT } from '../../lib/i18n';
import { useAttachmentPicker } from '../composer/Attachments';
import { DeliveredPreviewDialog } from '../composer/DeliveredPreviewDialog';
import { MergeCheckResult } from './MergeCheckResult';
import { MergeList } from './MergeList';

const PRESETS = Object.keys(THROTTLE_PRESETS) as ThrottlePreset[];
const positive = (text: string) => (/^\d+$/.test(text) && Number(text) > 0 ? Number(text) : undefined);

/**
 * "Send to a list": a message (a saved template, or written here) and a data file; every row
 * checked before anything is sent, any row previewed as delivered, then the merge started at the
 * pace chosen, and followed below with its counts, pause, resume, cancel and the report.
 */
export function MergeView({ accounts }: { accounts: Account[] }) {
  const { t, lang } = useT();
  const [accountId, setAccountId] = useState(() => accounts.find((a) => a.isDefault)?.id ?? accounts[0]?.id ?? '');
  const [templates, setTemplates] = useState<TemplateSummary[]>([]);
  const [template, setTemplate] = useState('');
  const [subject, setSubject] = useState('');
  const [html, setHtml] = useState('');
  const [data, setData] = useState<AttachmentInfo>();
  const [toColumn, setToColumn] = useState('email');
  const [nameColumn, setNameColumn] = useState('');
  const [preset, setPreset] = useState<ThrottlePreset>('none');
  const [perMinute, setPerMinute] = useState('');
  const [perDay, setPerDay] = useState('');
  const [unsubscribe, setUnsubscribe] = useState('');
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [check, setCheck] = useState<MergeCheck>();
  const [previewRow, setPreviewRow] = useState('1');
  const [preview, setPreview] = useState<DeliveredPreview>();
  const [templateName, setTemplateName] = useState('');
  const [error, setError] = useState<ErrorInfo>();
  const [notice, setNotice] = useState('');
  const [refresh, setRefresh] = useState(0);
  const body = useRef<HTMLTextAreaElement>(null);

  useEffect(() => void api()['templates:list']().then((r) => r.ok && setTemplates(r.value)), []);
  // A file just chosen is checked at once: its columns fill the mapping.
  const picker = useAttachmentPicker({
    onAdd: (items) => {
      setData(items[0]);
      if (items[0]) void doCheck({ data: { handle: items[0].handle } });
    },
    onError: setError,
  });

  const request = (over: Partial<MergeInput> = {}): MergeInput => ({
    accountId,
    ...(template ? { template } : { message: { subject, html } }),
    data: { handle: data?.handle ?? '' },
    toColumn,
    ...(nameColumn ? { nameColumn } : {}),
    ...(preset !== 'none' ? { preset } : {}),
    ...(positive(perMinute) ? { perMinute: positive(perMinute) } : {}),
    ...(positive(perDay) ? { perDay: positive(perDay) } : {}),
    ...(unsubscribe.trim() ? { listUnsubscribe: unsubscribe.trim() } : {}),
    skipInvalid,
    locale: lang,
    ...over,
  });
  const run = async <T,>(call: () => Promise<{ ok: true; value: T } | { ok: false; error: ErrorInfo }>, then: (value: T) => void) => {
    setError(undefined);
    setNotice('');
    const r = await call();
    if (r.ok) then(r.value);
    else setError(r.error);
  };
  const doCheck = (over: Partial<MergeInput> = {}) =>
    run(
      () => api()['merge:check'](request(over)),
      (c) => {
        setCheck(c);
        // The address column guessed (or typed) is not in this file: offer the first that looks like one.
        if (c.missingColumns.includes(toColumn)) setToColumn(c.columns.find((col) => /e-?mail|correo|почт/i.test(col)) ?? c.columns[0] ?? toColumn);
      },
    );

  const insert = (column: string) => {
    const el = body.current;
    const at = el?.selectionStart ?? html.length;
    const variable = `{{ ${column} }}`;
    setHtml(html.slice(0, at) + variable + html.slice(el?.selectionEnd ?? at));
    requestAnimationFrame(() => el?.focus());
  };

  const columns = check?.columns ?? [];
  return (
    <section className="view merge" aria-label={t('nav.merge')}>
      <header className="view-header">
        <h1 tabIndex={-1}>{t('nav.merge')}</h1>
        <span className="muted">{t('merge.subtitle')}</span>
      </header>
      <div className="card merge-setup">
        <h2>{t('merge.setup')}</h2>
        <div className="form-grid">
          <label>
            {t('merge.from')}
            <select value={accountId} onChange={(e) => setAccountId(e.target.value)}>
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} — {a.email}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('merge.message')}
            <select value={template} onChange={(e) => setTemplate(e.target.value)}>
              <option value="">{t('merge.message.new')}</option>
              {templates.map((x) => (
                <option key={x.name} value={x.name}>
                  {x.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        {!template && (
          <div className="merge-message">
            <label>
              {t('merge.subject')}
              <input value={subject} onChange={(e) => setSubject(e.target.value)} />
            </label>
            <label>
              {t('merge.body')}
              <textarea ref={body} rows={7} value={html} onChange={(e) => setHtml(e.target.value)} spellCheck={false} />
            </label>
            {columns.length > 0 && (
              <p className="merge-insert small">
                {t('merge.insert')}{' '}
                {columns.map((c) => (
                  <button key={c} type="button" className="btn btn-small" aria-label={t('merge.insert.label', { column: c })} onClick={() => insert(c)}>
                    {c}
                  </button>
                ))}
              </p>
            )}
            <div className="merge-row">
              <input aria-label={t('merge.templateName')} placeholder={t('merge.templateName')} value={templateName} onChange={(e) => setTemplateName(e.target.value)} />
              <button
                type="button"
                className="btn btn-small"
                onClick={() =>
                  void run(
                    () => api()['templates:save']({ name: templateName, accountId, subject, html, attachments: [], ...(unsubscribe.trim() ? { listUnsubscribe: unsubscribe.trim() } : {}) }),
                    (saved) => {
                      setTemplates((list) => [...list.filter((x) => x.name.toLowerCase() !== saved.name.toLowerCase()), saved].sort((a, b) => a.name.localeCompare(b.name)));
                      setNotice(t('merge.savedTemplate', { name: saved.name }));
                    },
                  )
                }
              >
                {t('merge.saveTemplate')}
              </button>
            </div>
          </div>
        )}
        <div className="merge-row">
          <span className="merge-label">{t('merge.data')}</span>
          <button type="button" className="btn" onClick={() => void picker.pick()}>
            {t('merge.data.choose')}
          </button>
          <span className="muted">{data ? data.name : t('merge.data.none')}</span>
          {picker.fileInput}
        </div>
        <div className="form-grid">
          <label>
            {t('merge.toColumn')}
            <select value={toColumn} onChange={(e) => setToColumn(e.target.value)} disabled={!columns.length}>
              {(columns.includes(toColumn) ? columns : [toColumn, ...columns]).map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('merge.nameColumn')}
            <select value={nameColumn} onChange={(e) => setNameColumn(e.target.value)} disabled={!columns.length}>
              <option value="">{t('merge.column.none')}</option>
              {columns.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('merge.pace')}
            <select value={preset} onChange={(e) => setPreset(e.target.value as ThrottlePreset)}>
              {PRESETS.map((p) => (
                <option key={p} value={p}>
                  {t(`merge.preset.${p}`)}
                </option>
              ))}
            </select>
          </label>
          <div className="merge-pair">
            <label>
              {t('merge.perMinute')}
              <input inputMode="numeric" value={perMinute} onChange={(e) => setPerMinute(e.target.value)} />
            </label>
            <label>
              {t('merge.perDay')}
              <input inputMode="numeric" value={perDay} onChange={(e) => setPerDay(e.target.value)} />
            </label>
          </div>
          <label className="merge-wide">
            {t('merge.unsubscribe')}
            <input value={unsubscribe} onChange={(e) => setUnsubscribe(e.target.value)} placeholder="https://…" />
          </label>
        </div>
        <label className="merge-check-option">
          <input type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} /> {t('merge.skipInvalid')}
        </label>
        <div className="merge-row merge-buttons">
          <button type="button" className="btn" disabled={!data} onClick={() => void doCheck()}>
            {t('merge.check')}
          </button>
          <label className="merge-preview-row">
            {t('merge.previewRow')}
            <input inputMode="numeric" value={previewRow} onChange={(e) => setPreviewRow(e.target.value)} />
          </label>
          <button type="button" className="btn" disabled={!data || !positive(previewRow)} onClick={() => void run(() => api()['merge:preview']({ merge: request(), row: positive(previewRow)! }), setPreview)}>
            {t('merge.preview')}
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={!data || !check || check.missingColumns.length > 0 || (check.invalidCount > 0 && !skipInvalid)}
            onClick={() =>
              void run(
                () => api()['merge:start'](request()),
                () => {
                  setNotice(t('merge.started'));
                  setRefresh((n) => n + 1);
                },
              )
            }
          >
            {t('merge.start')}
          </button>
        </div>
        {notice && <p role="status">{notice}</p>}
        {error && <ErrorBox error={error} />}
        {check && <MergeCheckResult check={check} />}
      </div>
      <MergeList refresh={refresh} />
      {preview && <DeliveredPreviewDialog preview={preview} onClose={() => setPreview(undefined)} />}
    </section>
  );
}
