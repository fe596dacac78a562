import type { Phrase } from '../../../shared/errors';
import { phrase } from '../../../shared/i18n/errors/phrase';
import { checkMailbox, type Mailbox } from '../../../shared/model/mailbox';
import { invalidInput } from '../errors';

export type { Mailbox };

/** The address fields of a draft, by the name the composer gives them. */
export type AddressField = 'to' | 'cc' | 'bcc' | 'replyTo';

/** Parse one mailbox ("Name <a@b>" or "a@b") strictly, with the checker the composer's chips use. */
export function parseMailbox(text: string, field: AddressField): Mailbox {
  const checked = checkMailbox(text);
  if (!checked.ok) {
    // The same words a recipient chip shows (mailbox.problem.*), after the field and the address.
    const problem: Phrase = { key: `mailbox.problem.${checked.problem.code}`, params: { value: 'value' in checked.problem ? checked.problem.value : '' } };
    const params = { field: phrase(`err.field.${field}`), text, problem };
    const message = checked.problem.code === 'two-addresses' ? phrase('err.address.problem', params) : phrase('err.address.invalid', params);
    throw invalidInput(message, phrase('err.input.notEmail.hint'));
  }
  return { name: checked.name, address: checked.address };
}
