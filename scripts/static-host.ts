/**
 * A plain static host, as an instructor's web server would be, for the e2e tests and `npm run bench`: it serves a built site's files under a
 * sub-path (e.g. `/course/`), sends `index.html` for a folder, 404 for anything else (including every path outside the
 * sub-path), a Content-Type by extension, and none of the headers `astro preview` adds (no COOP/COEP, no compression).
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
  '.txt': 'text/plain; charset=utf-8',
};

/** A running host; `close()` stops it. */
export interface StaticHost {
  server: Server;
  close(): Promise<void>;
}

/**
 * Serves `root` at `http://localhost:<port><prefix>` (prefix starts and ends with "/"). `transform`, when given,
 * may change a file's bytes on the way (a test's stand-in for a new deployment). `headers` go with every file (the
 * bench's cross-origin isolated host, for threaded wasm).
 */
export async function serveStatic(
  root: string,
  prefix: string,
  port: number,
  transform?: (path: string, body: Buffer) => Buffer,
  headers: Record<string, string> = {},
): Promise<StaticHost> {
  const server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname);
      if (!path.startsWith(prefix)) return notFound(res);
      let file = normalize(join(root, path.slice(prefix.length)));
      if (!file.startsWith(normalize(root) + sep) && file !== normalize(root)) return notFound(res);
      try {
        if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
        const raw = await readFile(file);
        const body = transform ? transform(path, raw) : raw;
        res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch {
        notFound(res);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, 'localhost', resolve);
  });
  return {
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function notFound(res: import('node:http').ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('Not found');
}
