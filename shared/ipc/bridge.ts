import type { Result } from '../errors';
import type { EventName, EventPayloadOf, RequestOf, ResponseOf, WindowChannel } from './contract';

/** The shape of `window.mailwright`: derived from the contract, so it cannot drift from the preload. */
export type MailwrightApi = {
  [C in WindowChannel]: RequestOf<C> extends undefined ? () => Promise<Result<ResponseOf<C>>> : (request: RequestOf<C>) => Promise<Result<ResponseOf<C>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void;
};
