import { X } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import { useLatest } from '../../lib/useLatest';
import { checkMailbox, describeMailboxProblem, formatMailbox, type Mailbox } from '../../../../shared/model/mailbox';
import { isClosed, splitRecipients, splitTyped } from '../../../../shared/model/recipients';
import { api } from '../../lib/api';
import { useT } from '../../lib/i18n';

interface Props {
  /** The text input's id, so the field's `<label htmlFor>` names it. */
  id: string;
  /** The field's name as its label shows it ("To", "Reply-To"), for the chips' list and the suggestions. */
  label: string;
  /** Every recipient as the composer keeps them: "A <a@x>, b@y", including the one being typed. */
  value: string;
  onChange: (next: string) => void;
  /** One address only (Reply-To): a new one replaces the old, and separators do not split. */
  single?: boolean;
  placeholder?: string;
}

const SUGGEST_DELAY_MS = 120;

/** Two texts for one recipient compare equal: the address, whatever its case or name. */
const sameRecipient = (text: string) => {
  const checked = checkMailbox(text);
  return checked.ok ? checked.address.toLowerCase() : text.trim();
};

/**
 * A recipient field: committed recipients as chips, each checked in place with the same checker
 * main uses, a text input for the one being typed, and suggestions from recently used recipients.
 * The composer keeps a plain string; the chips are derived from it, so drafts, undo and
 * "move them to Bcc" need nothing new.
 */
export function RecipientField({ id, label, value, onChange, single = false, placeholder }: Props) {
  const { t } = useT();
  const [pending, setPending] = useState('');
  const [answer, setAnswer] = useState<{ query: string; suggestions: Mailbox[] }>({ query: '', suggestions: [] });
  const [active, setActive] = useState(-1);
  const [dismissed, setDismissed] = useState(false);
  const [focused, setFocused] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const chipRefs = useRef<Array<HTMLButtonElement | null>>([]);
  const uid = useId();
  const listId = `${uid}-suggestions`;

  // The value holds the chips and, last, the text being typed; anything else means the composer
  // put new recipients in (a draft opened, a message sent): then nothing is being typed any more.
  const all = single ? (value.trim() ? [value.trim()] : []) : splitRecipients(value);
  const typed = pending.trim();
  const typing = !!typed && all.at(-1) === typed;
  const chips = typing ? all.slice(0, -1) : all;
  if (typed && !typing) setPending('');

  const emit = (list: string[], text: string) => {
    setPending(text);
    const items = [...list, text.trim()].filter(Boolean);
    onChange((single ? items.slice(-1) : items).join(', '));
  };
  /** Make chips of these texts; `rest` stays in the input. A recipient already here is not added twice. */
  const commit = (texts: string[], rest = '') => {
    const known = new Set(chips.map(sameRecipient));
    const pieces = texts.map((t) => t.trim()).filter(Boolean);
    // A piece with an open quote or bracket stays in the input to be finished: as a chip it would
    // swallow whatever is typed after it (the value is one comma-separated string).
    const unfinished = single ? [] : pieces.filter((t) => !isClosed(t));
    const added = pieces.filter((t) => !unfinished.includes(t) && !known.has(sameRecipient(t)) && !!known.add(sameRecipient(t)));
    emit(single ? added.slice(-1) : [...chips, ...added], [...unfinished, rest].filter(Boolean).join(' '));
    setAnswer({ query: '', suggestions: [] });
  };
  const remove = (index: number) => {
    emit(
      chips.filter((_, i) => i !== index),
      pending,
    );
    input.current?.focus();
  };
  const edit = (index: number) => {
    emit(
      chips.filter((_, i) => i !== index),
      chips[index]!,
    );
    input.current?.focus();
  };

  // Suggestions for what is typed, a moment after the last keystroke; a late answer to an older query is dropped.
  const latest = useLatest(typed);
  const chipsNow = useLatest(chips);
  useEffect(() => {
    if (!typed || !focused) return;
    const timer = setTimeout(() => {
      void api()['recipients:suggest']({ query: typed.slice(0, 200) }).then((r) => {
        if (latest.current !== typed || !r.ok) return;
        // Chips only filter the answer (a new query is what asks again): those of now, not of the question.
        const here = new Set(chipsNow.current.map(sameRecipient));
        const fresh = r.value.filter((m) => !here.has(m.address.toLowerCase()));
        setAnswer({ query: typed, suggestions: fresh });
        // Enter takes the first suggestion, unless what is typed is already a whole address.
        setActive(fresh.length && !checkMailbox(typed).ok ? 0 : -1);
      });
    }, SUGGEST_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed, focused, latest, chipsNow]);
  // An answer is for the text it was asked about, in a field being typed in.
  const suggestions = typed && focused && answer.query === typed ? answer.suggestions : [];

  const open = focused && !dismissed && suggestions.length > 0;
  const pick = (m: Mailbox) => {
    commit([formatMailbox(m)]);
    input.current?.focus();
  };

  const onInput = (text: string) => {
    setDismissed(false);
    if (single) return emit(chips, text);
    const { complete, rest } = splitTyped(text);
    if (complete.length) commit(complete, rest);
    else emit(chips, text);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return; // Ctrl+Enter sends: the typed recipient is already in the value
    const chosen = open && active >= 0 ? suggestions[active] : undefined;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!open) return;
      e.preventDefault();
      // Round the options and, between the last and the first, what is typed (-1).
      const slots = suggestions.length + 1;
      setActive((a) => ((a + 1 + (e.key === 'ArrowDown' ? 1 : -1) + slots) % slots) - 1);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      e.stopPropagation(); // closes the list, not the dialog or view around it
      setDismissed(true);
    } else if ((e.key === 'Enter' || (e.key === 'Tab' && !e.shiftKey)) && typed) {
      if (e.key === 'Enter') e.preventDefault(); // Tab still moves on, with the recipient committed
      if (chosen) pick(chosen);
      else commit([pending]);
    } else if ((e.key === 'Backspace' || e.key === 'ArrowLeft') && !pending && chips.length) {
      e.preventDefault();
      chipRefs.current[chips.length - 1]?.focus(); // selected first; a second Backspace removes it
    }
  };

  const onPaste = (e: React.ClipboardEvent<HTMLInputElement>) => {
    if (single) return;
    const text = e.clipboardData.getData('text/plain');
    const pieces = splitRecipients(text);
    if (pieces.length < 2 && !/[,;\n]/.test(text)) return; // one address: pasted into the input as usual
    e.preventDefault();
    commit([...(typed ? [pending] : []), ...pieces]);
  };

  const onChipKeyDown = (e: React.KeyboardEvent<HTMLButtonElement>, index: number) => {
    if (e.key === 'Backspace' || e.key === 'Delete') {
      // Back to the input: one more Backspace there selects the next chip, so nothing goes by accident.
      e.preventDefault();
      remove(index);
    } else if (e.key === 'Enter' || e.key === 'F2') {
      e.preventDefault();
      edit(index);
    } else if (e.key === 'ArrowLeft' && index > 0) {
      e.preventDefault();
      chipRefs.current[index - 1]?.focus();
    } else if (e.key === 'ArrowRight' || e.key === 'Escape') {
      e.preventDefault();
      (index < chips.length - 1 ? chipRefs.current[index + 1] : input.current)?.focus();
    }
  };

  return (
    <div className="recipient-field" onClick={(e) => e.target === e.currentTarget && input.current?.focus()}>
      {chips.length > 0 && (
        <ul className="recipient-chips" aria-label={t('recipients.list', { field: label })}>
          {chips.map((text, i) => {
            const checked = checkMailbox(text);
            const reasonId = `${uid}-reason-${i}`;
            const shown = checked.ok ? checked.name || checked.address : text;
            const full = checked.ok ? formatMailbox(checked) : text;
            const problem = checked.ok ? '' : describeMailboxProblem(checked.problem, t);
            return (
              <li key={`${i}-${text}`} className="recipient-chip" data-value={text} data-invalid={checked.ok ? undefined : 'true'}>
                <button
                  type="button"
                  ref={(el) => {
                    chipRefs.current[i] = el;
                  }}
                  className="recipient-chip-text"
                  tabIndex={-1}
                  aria-label={checked.ok ? full : t('recipients.invalid', { text })}
                  aria-describedby={checked.ok ? undefined : reasonId}
                  title={checked.ok ? t('recipients.editHint', { mailbox: full }) : t('recipients.problem', { text, problem })}
                  onDoubleClick={() => edit(i)}
                  onKeyDown={(e) => onChipKeyDown(e, i)}
                >
                  {!checked.ok && <span aria-hidden="true">! </span>}
                  {shown}
                </button>
                {!checked.ok && (
                  <span id={reasonId} className="recipient-chip-reason">
                    {problem}
                  </span>
                )}
                <button type="button" className="chip-remove" tabIndex={-1} aria-label={t('recipients.remove', { mailbox: full })} onClick={() => remove(i)}>
                  <X size={12} aria-hidden="true" />
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <input
        id={id}
        ref={input}
        value={pending}
        placeholder={chips.length ? undefined : placeholder}
        autoComplete="off"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
        onChange={(e) => onInput(e.target.value)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        onFocus={() => setFocused(true)}
        onBlur={() => {
          setFocused(false);
          if (typed) commit([pending]); // what was typed becomes a chip, checked, when the field is left
        }}
      />
      <ul id={listId} role="listbox" aria-label={t('recipients.suggestions', { field: label })} className="recipient-suggestions" hidden={!open}>
        {open &&
          suggestions.map((m, i) => (
            <li
              key={m.address}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              // mousedown, not click: the input keeps focus, so leaving it does not commit the half-typed text first
              onMouseDown={(e) => {
                e.preventDefault();
                pick(m);
              }}
              onMouseEnter={() => setActive(i)}
            >
              {m.name && <span className="recipient-suggestion-name">{m.name}</span>}
              <span className="recipient-suggestion-address">{m.address}</span>
            </li>
          ))}
      </ul>
    </div>
  );
}
