import { Rng, dropout, tensor } from '../../src/lib/index.ts';
import { fmt } from '../internal/format.ts';
import { texMatrix } from '../internal/tex.ts';

/**
 * The engine's inverted dropout on a small vector, as labelled TeX blocks: the input, one seeded training mask, the
 * training output, its mean over `draws` seeded masks (back to x), and the test-time output.
 */
export function dropoutItems(
  values: readonly number[],
  rate: number,
  seed: number,
  draws: number,
): { caption: string; tex: string }[] {
  const x = tensor([values.length], values);
  const rng = new Rng(seed);
  const one = dropout(x, rate, 'train', rng);
  const test = dropout(x, rate, 'test');
  const mean = new Float64Array(values.length);
  for (let i = 0; i < draws; i++) {
    const y = dropout(x, rate, 'train', rng).y;
    for (let j = 0; j < mean.length; j++) mean[j] = mean[j]! + y.data[j]! / draws;
  }
  const row = (d: ArrayLike<number>) => texMatrix(d, 1, values.length);
  return [
    { caption: 'the input', tex: `x = ${row(x.data)}` },
    { caption: `one training mask (rate ${fmt(rate)}: 0 or 1/(1 − ${fmt(rate)}))`, tex: `m = ${row(one.mask.data)}` },
    { caption: 'training output', tex: `x \\odot m = ${row(one.y.data)}` },
    {
      caption: `mean over ${draws.toLocaleString('en-US')} seeded masks`,
      tex: `\\overline{x \\odot m} = ${row(mean)}`,
    },
    { caption: 'test time: no mask, no scaling', tex: `y_{\\mathrm{test}} = ${row(test.y.data)}` },
  ];
}
