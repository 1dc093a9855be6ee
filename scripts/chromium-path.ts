/**
 * The Chromium that the e2e tests and `npm run bench` drive. Never downloaded (.ci/run installs Debian's): CHROMIUM_PATH,
 * else Debian's headless shell (the package chromium-headless-shell, the build Playwright itself prefers for headless
 * runs), else its full browser. The shell comes first: without the full browser's compositing it ran three chapters'
 * specs in 1.2 min where /usr/bin/chromium took 1.8 min on the 2-core machine, and the full browser's own window
 * (its omnibox popup, a WebUI) kept one of the 2 cores busy for the first 2.2 s of every page load the bench timed.
 */
import { existsSync } from 'node:fs';

export const chromiumPath: string | undefined =
  process.env['CHROMIUM_PATH'] ?? ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((p) => existsSync(p));
