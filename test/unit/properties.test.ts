/** Properties that must hold for every shape, stride, padding and dilation (fast-check, seeded). */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  Rng,
  conv1d,
  conv1dLength,
  conv2d,
  conv2dBackward,
  gradCheck,
  outputSize,
  pool2d,
  pool2dBackward,
  randomTensor,
  resolvePadding,
  tensor,
  type Conv1dKind,
  type Conv1dMode,
  type Conv2dOptions,
  type Padding2d,
  type PoolKind,
  type Tensor,
} from '../../src/lib/index.ts';
import { expectClose } from './helpers.ts';

const RUNS = { seed: 42, numRuns: 120 };

const dot = (a: Tensor, b: Tensor) => a.data.reduce((s, v, i) => s + v * b.data[i]!, 0);
const axpby = (a: number, x: Tensor, b: number, y: Tensor) =>
  tensor(
    x.shape,
    x.data.map((v, i) => a * v + b * y.data[i]!),
  );

/** A random conv2d setup that always fits: sizes, stride, dilation, any padding form, and a seed for values. */
const convSetup = fc
  .record({
    C: fc.integer({ min: 1, max: 3 }),
    K: fc.integer({ min: 1, max: 3 }),
    kh: fc.integer({ min: 1, max: 4 }),
    kw: fc.integer({ min: 1, max: 4 }),
    sy: fc.integer({ min: 1, max: 3 }),
    sx: fc.integer({ min: 1, max: 3 }),
    dy: fc.integer({ min: 1, max: 3 }),
    dx: fc.integer({ min: 1, max: 3 }),
    extraH: fc.integer({ min: 0, max: 6 }),
    extraW: fc.integer({ min: 0, max: 6 }),
    padding: fc.oneof(
      fc.constant<Padding2d>('same'),
      fc.constant<Padding2d>('valid'),
      fc.integer({ min: 0, max: 3 }),
      fc.record({ top: fc.nat(3), bottom: fc.nat(3), left: fc.nat(3), right: fc.nat(3) }),
    ),
    kind: fc.constantFrom('cross-correlation' as const, 'convolution' as const),
    seed: fc.nat(),
  })
  .map((s) => {
    const H = s.dy * (s.kh - 1) + 1 + s.extraH;
    const W = s.dx * (s.kw - 1) + 1 + s.extraW;
    const opts: Conv2dOptions = { stride: [s.sy, s.sx], dilation: [s.dy, s.dx], padding: s.padding, kind: s.kind };
    return { ...s, H, W, opts };
  });

const describeSetup = (s: {
  C: number;
  H: number;
  W: number;
  K: number;
  kh: number;
  kw: number;
  opts: Conv2dOptions;
}) => `x=[${s.C},${s.H},${s.W}] k=[${s.K},${s.C},${s.kh},${s.kw}] ${JSON.stringify(s.opts)}`;

describe('conv2d properties', () => {
  test('output shape is [K, outputSize(H), outputSize(W)] with the resolved padding', () => {
    fc.assert(
      fc.property(convSetup, (s) => {
        const rng = new Rng(s.seed);
        const y = conv2d(randomTensor([s.C, s.H, s.W], rng), randomTensor([s.K, s.C, s.kh, s.kw], rng), null, s.opts);
        const p = resolvePadding(s.padding, s.H, s.W, s.kh, s.kw, [s.sy, s.sx], [s.dy, s.dx]);
        const oh = outputSize(s.H, s.kh, [p.top, p.bottom], s.sy, s.dy).size;
        const ow = outputSize(s.W, s.kw, [p.left, p.right], s.sx, s.dx).size;
        expect(y.shape, describeSetup(s)).toEqual([s.K, oh, ow]);
      }),
      RUNS,
    );
  });

  test('linear in x and in w: conv(a x1 + b x2, w) = a conv(x1, w) + b conv(x2, w), and likewise for w', () => {
    fc.assert(
      fc.property(
        convSetup,
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        (s, a, b) => {
          const rng = new Rng(s.seed);
          const x1 = randomTensor([s.C, s.H, s.W], rng),
            x2 = randomTensor([s.C, s.H, s.W], rng);
          const w1 = randomTensor([s.K, s.C, s.kh, s.kw], rng),
            w2 = randomTensor([s.K, s.C, s.kh, s.kw], rng);
          const lhs = conv2d(axpby(a, x1, b, x2), w1, null, s.opts);
          expectClose(lhs, axpby(a, conv2d(x1, w1, null, s.opts), b, conv2d(x2, w1, null, s.opts)), 1e-12);
          const lhsW = conv2d(x1, axpby(a, w1, b, w2), null, s.opts);
          expectClose(lhsW, axpby(a, conv2d(x1, w1, null, s.opts), b, conv2d(x1, w2, null, s.opts)), 1e-12);
        },
      ),
      RUNS,
    );
  });

  test('adjointness: <conv(x), y> = <x, conv^T(y)> and <conv_x(w), y> = <w, dW(y)> using the backward pass', () => {
    fc.assert(
      fc.property(convSetup, (s) => {
        const rng = new Rng(s.seed);
        const x = randomTensor([s.C, s.H, s.W], rng);
        const w = randomTensor([s.K, s.C, s.kh, s.kw], rng);
        const out = conv2d(x, w, null, s.opts);
        const y = randomTensor(out.shape, rng);
        const { dx, dw, db } = conv2dBackward(x, w, y, s.opts);
        const lhs = dot(out, y);
        expectClose(lhs, dot(x, dx), 1e-11);
        expectClose(lhs, dot(w, dw), 1e-11);
        // The bias adds b[k] to every output of filter k, so its adjoint sums y over each filter's map.
        const perFilter = out.data.length / s.K;
        db.data.forEach((v, k) =>
          expectClose(
            v,
            y.data.subarray(k * perFilter, (k + 1) * perFilter).reduce((t, u) => t + u, 0),
            1e-12,
          ),
        );
      }),
      RUNS,
    );
  });

  test('full 2D convolution commutes: x * w = w * x (single channel, padding k-1 on every side)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.nat(),
        (H, W, kh, kw, seed) => {
          const rng = new Rng(seed);
          const a = randomTensor([1, H, W], rng);
          const b = randomTensor([1, 1, kh, kw], rng);
          const full = (x: Tensor, k: Tensor) => {
            const [h, w] = [k.shape[2]!, k.shape[3]!];
            return conv2d(x, k, null, {
              kind: 'convolution',
              padding: { top: h - 1, bottom: h - 1, left: w - 1, right: w - 1 },
            });
          };
          const ab = full(a, b);
          const ba = full(tensor([1, kh, kw], b.data), tensor([1, 1, H, W], a.data));
          expect(ab.shape).toEqual([1, H + kh - 1, W + kw - 1]);
          expectClose(ab, ba, 1e-12);
        },
      ),
      RUNS,
    );
  });

  test('full 1D convolution commutes and its length is N + K - 1', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 1, maxLength: 8 }),
        (x, w) => {
          const xw = conv1d(x, w, { mode: 'full', kind: 'convolution' }).y;
          expect(xw).toEqual(conv1d(w, x, { mode: 'full', kind: 'convolution' }).y);
          expect(xw).toHaveLength(x.length + w.length - 1);
        },
      ),
      RUNS,
    );
  });

  test('gradCheck passes on tanh(conv2d) with a squared loss at random shapes (float64, rel. error < 1e-7)', () => {
    fc.assert(
      fc.property(convSetup, (s) => {
        const rng = new Rng(s.seed);
        const x = randomTensor([s.C, s.H, s.W], rng);
        const w = randomTensor([s.K, s.C, s.kh, s.kw], rng);
        const b = randomTensor([s.K], rng);
        const loss = () => conv2d(x, w, b, s.opts).data.reduce((t, v) => t + 0.5 * Math.tanh(v) ** 2, 0);
        const y = conv2d(x, w, b, s.opts);
        const dy = tensor(
          y.shape,
          y.data.map((v) => Math.tanh(v) * (1 - Math.tanh(v) ** 2)),
        );
        const g = conv2dBackward(x, w, dy, s.opts);
        const report = gradCheck({ x, w, b }, loss, { x: g.dx, w: g.dw, b: g.db }, { maxEntries: 12 });
        expect(report.passed, `${describeSetup(s)} maxRelError ${report.maxRelError}`).toBe(true);
      }),
      { seed: 42, numRuns: 40 },
    );
  });
});

describe('pooling properties', () => {
  const poolSetup = fc.record({
    C: fc.integer({ min: 1, max: 3 }),
    size: fc.integer({ min: 1, max: 4 }),
    stride: fc.integer({ min: 1, max: 4 }),
    pad: fc.nat(3),
    extraH: fc.nat(6),
    extraW: fc.nat(6),
    kind: fc.constantFrom<PoolKind>('max', 'avg', 'sum'),
    ceilMode: fc.boolean(),
    seed: fc.nat(),
  });
  test('output shape matches poolOutputSize (floor and ceil mode) and backward is the adjoint of forward', () => {
    fc.assert(
      fc.property(poolSetup, (s) => {
        // PyTorch's rule: at most half the window on each side.
        const padding = Math.min(s.pad, Math.floor(s.size / 2));
        const H = s.size + s.extraH,
          W = s.size + s.extraW;
        const rng = new Rng(s.seed);
        const x = randomTensor([s.C, H, W], rng);
        const opts = { size: s.size, stride: s.stride, padding, ceilMode: s.ceilMode };
        const { y } = pool2d(x, s.kind, opts);
        expect(y.shape).toEqual([
          s.C,
          outputSize(H, s.size, padding, s.stride, 1, s.ceilMode).size,
          outputSize(W, s.size, padding, s.stride, 1, s.ceilMode).size,
        ]);
        const g = randomTensor(y.shape, rng);
        const dx = pool2dBackward(x, s.kind, opts, g);
        // avg and sum are linear; max is linear in x once the argmax is fixed, so the identity holds for all three.
        expectClose(dot(y, g), dot(x, dx), 1e-11);
      }),
      RUNS,
    );
  });
});

describe('conv1d properties', () => {
  const values = (max: number) =>
    fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: max });
  const mode = fc.constantFrom<Conv1dMode>('full', 'same', 'valid');
  const kind = fc.constantFrom<Conv1dKind>('convolution', 'cross-correlation');
  const scalar = fc.double({ min: -3, max: 3, noNaN: true });
  const lin = (a: number, u: readonly number[], b: number, v: readonly number[]) =>
    u.map((ui, i) => a * ui + b * v[i]!);

  test('linear in x and in w: conv(a x1 + b x2, w) = a conv(x1, w) + b conv(x2, w), and likewise for w', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 6 }),
        mode,
        kind,
        scalar,
        scalar,
        (seed, N, K, m, k, a, b) => {
          if (m === 'valid' && K > N) return;
          const rng = new Rng(seed);
          const draw = (n: number) => Array.from({ length: n }, () => rng.uniform(-5, 5));
          const [x1, x2, w1, w2] = [draw(N), draw(N), draw(K), draw(K)];
          const y = (x: number[], w: number[]) => conv1d(x, w, { mode: m, kind: k }).y;
          expectClose(y(lin(a, x1, b, x2), w1), lin(a, y(x1, w1), b, y(x2, w1)), 1e-12);
          expectClose(y(x1, lin(a, w1, b, w2)), lin(a, y(x1, w1), b, y(x1, w2)), 1e-12);
        },
      ),
      RUNS,
    );
  });

  test('same mode gives N outputs and valid mode N - K + 1, as conv1dLength says', () => {
    fc.assert(
      fc.property(values(10), values(10), kind, (x, w, k) => {
        const N = x.length;
        const K = w.length;
        const same = conv1d(x, w, { mode: 'same', kind: k }).y;
        expect(same).toHaveLength(N);
        expect(conv1dLength(N, K, 'same')).toBe(N);
        if (K <= N) {
          const valid = conv1d(x, w, { mode: 'valid', kind: k }).y;
          expect(valid).toHaveLength(N - K + 1);
          expect(conv1dLength(N, K, 'valid')).toBe(N - K + 1);
          // valid keeps exactly the full outputs where the kernel lies wholly inside the input.
          expect(valid).toEqual(conv1d(x, w, { mode: 'full', kind: k }).y.slice(K - 1, N));
        } else {
          expect(() => conv1dLength(N, K, 'valid')).toThrow(/must not be longer than the input/);
        }
      }),
      RUNS,
    );
  });
});
