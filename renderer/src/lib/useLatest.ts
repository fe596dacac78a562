import { useLayoutEffect, useRef } from 'react';

/**
 * A ref that holds the value of the last render, for callbacks made once (a listener, a stable
 * callback) that must act on what is current when they run. Updated in a layout effect, before
 * any effect or event can read it; never during render, which React may repeat or throw away.
 */
export function useLatest<T>(value: T) {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}
