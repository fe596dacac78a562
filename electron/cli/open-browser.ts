/**
 * Open an address in the user's browser, where there is one to open: never on a machine without
 * a display (a server, CI), where the caller prints the address for the user to open elsewhere.
 * MAILWRIGHT_NO_BROWSER=1 keeps it printed only (the tests drive their own browser).
 */
export async function openBrowser(url: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const display = process.platform !== 'linux' || !!(env.DISPLAY || env.WAYLAND_DISPLAY);
  if (!display || env.MAILWRIGHT_NO_BROWSER === '1') return false;
  try {
    const { default: open } = await import('open');
    const child = await open(url, { wait: false });
    child.once('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
