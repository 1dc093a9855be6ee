import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import * as activations from '../../src/lib/activations.ts';
import * as conv1d from '../../src/lib/conv1d.ts';
import * as conv2d from '../../src/lib/conv2d.ts';
import * as conv2dTrace from '../../src/lib/conv2d-trace.ts';
import * as dense from '../../src/lib/dense.ts';
import * as errors from '../../src/lib/errors.ts';
import * as gradcheck from '../../src/lib/gradcheck.ts';
import * as index from '../../src/lib/index.ts';
import * as init from '../../src/lib/init.ts';
import * as loss from '../../src/lib/loss.ts';
import * as network from '../../src/lib/network.ts';
import * as optim from '../../src/lib/optim.ts';
import * as outputSize from '../../src/lib/output-size.ts';
import * as params from '../../src/lib/params.ts';
import * as pool from '../../src/lib/pool.ts';
import * as rng from '../../src/lib/rng.ts';
import * as tensor from '../../src/lib/tensor.ts';

const core = {
  errors,
  tensor,
  rng,
  outputSize,
  conv1d,
  conv2d,
  conv2dTrace,
  pool,
  activations,
  dense,
  loss,
  params,
  init,
  optim,
  network,
  gradcheck,
};
const doc = readFileSync(new URL('../../docs/ENGINE.md', import.meta.url), 'utf8');

describe('docs/ENGINE.md covers the core engine API', () => {
  for (const [module, exports] of Object.entries(core)) {
    test(`every runtime export of ${module} is documented and re-exported by index.ts`, () => {
      for (const name of Object.keys(exports)) {
        expect(doc, `${name} is not mentioned in docs/ENGINE.md`).toMatch(new RegExp(`\`(new )?${name}\\b`));
        expect(name in index, `${name} is not exported by src/lib/index.ts`).toBe(true);
      }
    });
  }
});
