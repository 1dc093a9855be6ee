/**
 * The page side of offline use: registers the service worker that `npm run build` writes (scripts/build-sw.mjs,
 * src/sw/sw.ts), says in the footer whether the course is available offline, and offers "A new version is available"
 * when a new deployment has installed beside the running one. Nothing switches versions until the reader presses
 * Reload, so a page never mixes files of two deployments. It uses the plain service-worker API rather than
 * workbox-window: this runs on every page before the reader interacts, and the 2 KB (gzip) it saved kept a chapter
 * under its 30 KB budget.
 */
import { afterLoadWhenIdle } from './page-busy.ts';

/** The footer's offline line and the update banner, both rendered hidden by BaseLayout.astro. */
interface Parts {
  status: HTMLElement;
  banner: HTMLElement;
  reload: HTMLButtonElement;
}

function say(status: HTMLElement, text: string): void {
  status.textContent = text;
  status.hidden = false;
}

/**
 * Registers `${base}sw.js` with scope `base`. Does nothing in `astro dev` (there is no service worker there) or in a
 * browser without service workers, except saying so.
 */
export function startOffline(base: string): void {
  const status = document.getElementById('offline-status');
  const banner = document.getElementById('update-banner');
  const reload = banner?.querySelector<HTMLButtonElement>('button[data-action="reload"]');
  if (!status || !banner || !reload) return;
  const parts: Parts = { status, banner, reload };
  if (!('serviceWorker' in navigator)) {
    // Also the case on plain http other than localhost: service workers need a secure origin.
    say(status, 'Offline use: not available here (no service workers); the course needs a connection.');
    return;
  }
  if (!import.meta.env.PROD) return;
  const sw = navigator.serviceWorker;
  say(
    status,
    sw.controller
      ? 'Available offline: this course is saved in your browser.'
      : 'Saving the course in your browser for offline use…',
  );
  // After the page has loaded and been quiet for a moment (page-busy.ts): a first visit saves the whole course, and
  // that must not take the CPU from the page, nor from a training run started at once.
  afterLoadWhenIdle()
    .then(() => sw.register(`${base}sw.js`, { scope: base }))
    .then((reg) => {
      // A new deployment installed beside the running one waits: offer it; it takes over only when the reader asks.
      // Without a controller the installed worker is the first one, not an update.
      if (reg.waiting && sw.controller) offerUpdate(reg.waiting, parts);
      reg.addEventListener('updatefound', () => {
        const next = reg.installing;
        next?.addEventListener('statechange', () => {
          if (next.state === 'installed' && sw.controller) offerUpdate(next, parts);
        });
      });
      return sw.ready;
    })
    .then(() => say(status, 'Available offline: this course is saved in your browser.'))
    .catch(() => say(status, 'Offline use: could not be set up here (the course still works online).'));
}

/** Shows the banner; Reload switches to the waiting version, Not now hides it (the offer returns on the next page). */
function offerUpdate(waiting: ServiceWorker, { banner, reload }: Parts): void {
  if (!banner.hidden) return;
  const text = banner.querySelector('[data-role="text"]');
  banner.hidden = false;
  // Filled only now, so the live region announces it.
  if (text) text.textContent = 'A new version of the course is available:';
  reload.addEventListener(
    'click',
    () => {
      reload.disabled = true;
      navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
      // src/sw/sw.ts answers this message with skipWaiting(), as workbox-window's messageSkipWaiting() would ask.
      waiting.postMessage({ type: 'SKIP_WAITING' });
    },
    { once: true },
  );
  banner.querySelector('button[data-action="later"]')?.addEventListener('click', () => (banner.hidden = true), {
    once: true,
  });
}
