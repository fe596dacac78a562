import { checkMailbox, describeMailboxProblem, type Mailbox } from '../../../shared/model/mailbox';
import { invalidInput } from '../errors';

export type { Mailbox };

/** Parse one mailbox ("Name <a@b>" or "a@b") strictly, with the checker the composer's chips use. */
export function parseMailbox(text: string, field: string): Mailbox {
  const checked = checkMailbox(text);
  if (!checked.ok) {
    const reason = describeMailboxProblem(checked.problem);
    const what = checked.problem.code === 'two-addresses' ? reason : `is not a valid email address: ${reason}`;
    throw invalidInput(`${field}: "${text}" ${what}.`, 'Write each address as name@example.com or "Name <name@example.com>".');
  }
  return { name: checked.name, address: checked.address };
}
