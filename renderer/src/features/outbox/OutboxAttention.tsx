import { useT } from '../../lib/i18n';
import { useOutboxAttention } from './useOutboxItems';

/** The id of the description the navigation's Outbox button points to. */
export const OUTBOX_ATTENTION_ID = 'outbox-attention';

/**
 * How many messages need attention, on the navigation's Outbox button: a number to see, and a
 * sentence the button is described by (hidden: read by screen readers as the button's description,
 * never as a line of its own). Renders again only when the number changes.
 */
export function OutboxAttention() {
  const { t } = useT();
  const count = useOutboxAttention();
  if (!count) return null;
  return (
    <>
      <span className="nav-count" aria-hidden="true">
        {count > 99 ? '99+' : count}
      </span>
      <span id={OUTBOX_ATTENTION_ID} hidden>
        {t('nav.outbox.attention', { count })}
      </span>
    </>
  );
}
