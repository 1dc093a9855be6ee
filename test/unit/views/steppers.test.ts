/**
 * The steppers' views in Node: the first state (as the page builds it) and a few stepped states, rendered by the
 * widgets' own pure state/view code and compared with stored snapshots (see snapshot.ts).
 */
import { describe, test } from 'vitest';
import { conv1d } from '../../../src/lib/index.ts';
import { DEFAULT_STATE as S1, type Stepper1dState } from '../../../components/conv-stepper-1d/state.ts';
import { describeStep as describe1d, renderStage as stage1d } from '../../../components/conv-stepper-1d/view.ts';
import {
  DEFAULT_STATE as S2,
  compute as compute2d,
  type Stepper2dState,
} from '../../../components/conv-stepper-2d/state.ts';
import { describeStep as describe2d, renderStage as stage2d } from '../../../components/conv-stepper-2d/view.ts';
import { initialState as mcInitial, type MultiChannelState } from '../../../components/multichannel-stepper/state.ts';
import {
  computeView as mcView,
  describeStep as describeMc,
  renderEditor as mcEditor,
  renderStage as stageMc,
} from '../../../components/multichannel-stepper/view.ts';
import { computePool } from '../../../components/pooling-stepper/compute.ts';
import { EXAMPLE_X, defaultGradient, type PoolStepperState } from '../../../components/pooling-stepper/state.ts';
import { describeStep as describePool, renderStage as stagePool } from '../../../components/pooling-stepper/view.ts';
import {
  DEFAULT_STATE as SB,
  compute as computeBp,
  type BackpropState,
} from '../../../components/backprop-stepper/state.ts';
import { describeStep as describeBp, renderStage as stageBp } from '../../../components/backprop-stepper/view.ts';
import { expectView } from './snapshot.ts';

describe('conv-stepper-1d', () => {
  const view = (s: Stepper1dState) => {
    const r = conv1d(s.x, s.w, { mode: s.mode, kind: s.kind });
    return { stage: stage1d(s, r), status: describe1d(s, r) };
  };
  test('first state: x=(0,1,2,3,4) w=(1,-1,2) full convolution, step 1 of 7', async () => {
    await expectView('conv-stepper-1d', 'first', view(S1));
  });
  test('step 4 and the last step', async () => {
    await expectView('conv-stepper-1d', 'step-4', view({ ...S1, step: 3 }));
    await expectView('conv-stepper-1d', 'last', view({ ...S1, step: 6 }));
  });
  test('valid cross-correlation, step 2', async () => {
    await expectView(
      'conv-stepper-1d',
      'valid-xcorr',
      view({ ...S1, mode: 'valid', kind: 'cross-correlation', step: 1 }),
    );
  });
});

describe('conv-stepper-2d', () => {
  const view = (s: Stepper2dState) => {
    const r = compute2d(s);
    return { stage: stage2d(s, r), status: describe2d(r) };
  };
  test('first state: the worked example, cross-correlation, cell (0, 0)', async () => {
    await expectView('conv-stepper-2d', 'first', view(S2));
  });
  test('an edge kernel: cross-correlation gives -2 at (0, 0), convolution rotates the kernel and gives 2', async () => {
    const edge = { rows: 3, cols: 3, values: [1, 0, -1, 1, 0, -1, 1, 0, -1] };
    await expectView('conv-stepper-2d', 'edge-xcorr', view({ ...S2, w: edge }));
    await expectView('conv-stepper-2d', 'edge-convolution', view({ ...S2, w: edge, kind: 'convolution' }));
  });
  test('step 5 (second row), and true convolution (the kernel rotated)', async () => {
    await expectView('conv-stepper-2d', 'step-5', view({ ...S2, step: 4 }));
    await expectView('conv-stepper-2d', 'convolution', view({ ...S2, kind: 'convolution', step: 2 }));
  });
});

describe('multichannel-stepper', () => {
  const view = (s: MultiChannelState) => {
    const v = mcView(s);
    return { stage: stageMc(s, v), status: describeMc(s, v) };
  };
  test('first state: seeded volumes, padding 1, first channel of the first output', async () => {
    const s = mcInitial();
    await expectView('multichannel-stepper', 'first', { ...view(s), editor: mcEditor('mc', s) });
  });
  test('later steps: next channel, and an output of the second filter', async () => {
    const s = mcInitial();
    await expectView('multichannel-stepper', 'step-2', view({ ...s, step: 1 }));
    await expectView('multichannel-stepper', 'step-20', view({ ...s, step: 19 }));
  });
});

describe('pooling-stepper', () => {
  const base: PoolStepperState = {
    rows: 4,
    cols: 4,
    x: EXAMPLE_X,
    kind: 'max',
    size: 2,
    stride: 2,
    direction: 'forward',
    dy: defaultGradient(4),
    step: 0,
  };
  const view = (s: PoolStepperState) => {
    const r = computePool(s);
    return { stage: stagePool(s, r), status: describePool(s, r) };
  };
  test("first state: CS231n's 4 x 4 example, max 2 x 2, first window", async () => {
    await expectView('pooling-stepper', 'first', view(base));
  });
  test('forward: third window; average pooling', async () => {
    await expectView('pooling-stepper', 'max-window-3', view({ ...base, step: 2 }));
    await expectView('pooling-stepper', 'avg-window-2', view({ ...base, kind: 'avg', step: 1 }));
  });
  test('a tie: flagged forward; backward sends the gradient to the first maximum only', async () => {
    const tie = { ...base, rows: 2, cols: 2, x: [1, 5, 5, 2], dy: [3] };
    await expectView('pooling-stepper', 'tie-forward', view(tie));
    await expectView('pooling-stepper', 'tie-backward', view({ ...tie, direction: 'backward' }));
  });
  test('backward: max routes each gradient to its argmax; avg spreads it', async () => {
    await expectView('pooling-stepper', 'backward-max-2', view({ ...base, direction: 'backward', step: 1 }));
    await expectView(
      'pooling-stepper',
      'backward-avg-4',
      view({ ...base, direction: 'backward', kind: 'avg', step: 3 }),
    );
  });
});

describe('backprop-stepper', () => {
  const view = (s: BackpropState) => {
    const walk = computeBp(s);
    return { stage: stageBp(s, walk), status: describeBp(s, walk) };
  };
  test('first state: seed 1, true class 0, the loss', async () => {
    await expectView('backprop-stepper', 'first', view(SB));
  });
  test('stepped: a dense weight, a pool gradient, a conv weight, the last input gradient', async () => {
    const last = computeBp(SB).steps.length - 1;
    for (const step of [3, 14, 30, last]) {
      await expectView('backprop-stepper', `step-${step === last ? 'last' : step + 1}`, view({ ...SB, step }));
    }
  });
  test('another seed and true class', async () => {
    await expectView('backprop-stepper', 'seed-7-label-2', view({ seed: 7, label: 2, step: 5 }));
  });
});
