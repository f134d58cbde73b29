// A small path router over the History API: every screen has its own
// address (links in e-mails open the right screen).
import { useEffect, useState } from "preact/hooks";

const CHANGE = "designa:navigate";

export function navigate(to: string): void {
  if (to === location.pathname + location.search) return;
  history.pushState(null, "", to);
  dispatchEvent(new Event(CHANGE));
  scrollTo(0, 0);
}

export function useLocation(): URL {
  const [url, setUrl] = useState(() => new URL(location.href));
  useEffect(() => {
    const update = () => setUrl(new URL(location.href));
    addEventListener(CHANGE, update);
    addEventListener("popstate", update);
    return () => {
      removeEventListener(CHANGE, update);
      removeEventListener("popstate", update);
    };
  }, []);
  return url;
}

/** Follows a same-origin link without reloading the page. */
export function onLinkClick(event: MouseEvent): void {
  const anchor = (event.target as Element).closest("a");
  if (!anchor || anchor.target || anchor.origin !== location.origin) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(anchor.pathname + anchor.search);
}

/** Goes to `path` with `query` changed: each filter set, or dropped when empty. */
export function navigateWithFilters(path: string, query: URLSearchParams, changes: Record<string, string>): void {
  const next = new URLSearchParams(query);
  for (const [key, value] of Object.entries(changes)) {
    if (value) next.set(key, value);
    else next.delete(key);
  }
  const text = next.toString();
  navigate(text ? `${path}?${text}` : path);
}
