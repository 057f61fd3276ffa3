// The key arrives in the URL fragment (never sent to the server, never in its logs). The page moves
// it to sessionStorage at once and takes it out of the address bar, so it is not copied with a link.
const STORAGE = 'runtools.key';

/** Reads `#key=…` (possibly followed by a route) into sessionStorage and returns the key in force. */
export function takeKeyFromLocation(): string | undefined {
  const match = /^#key=([^&/]*)(.*)$/.exec(location.hash);
  if (match) {
    const key = decodeURIComponent(match[1] ?? '');
    if (key) sessionStorage.setItem(STORAGE, key);
    const rest = match[2]?.replace(/^&/, '') ?? '';
    history.replaceState(
      null,
      '',
      `${location.pathname}${location.search}#${rest.startsWith('/') ? rest : '/runs'}`,
    );
  }
  return sessionStorage.getItem(STORAGE) ?? undefined;
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE);
}
