/**
 * Returns a function that delays calling `fn` until `wait` ms have passed without another call.
 * Used by the search box so that every keystroke does not hit the server.
 */
export function debounce<Args extends unknown[]>(fn: (...args: Args) => void, wait: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: Args) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn(...args);
    }, wait);
  };
}

/** Cancels in-flight requests when a newer query starts. */
export class LatestOnly {
  private controller?: AbortController;

  async fetch(url: string): Promise<Response | undefined> {
    this.controller?.abort();
    this.controller = new AbortController();
    try {
      return await fetch(url, { signal: this.controller.signal });
    } catch (error) {
      if ((error as Error).name === "AbortError") return undefined;
      throw error;
    }
  }
}
