/**
 * tf.train.adam with the update done in one WebAssembly SIMD call (adam-kernel.ts) instead of 14 TF.js kernels per
 * variable. Same arithmetic in the same order, so the same weights to the bit: a seeded run is unchanged to the last
 * digit, only faster. (Its m and v hold zeros where TF.js's would hold subnormals, which never move a weight;
 * adam-kernel.ts says why.) Used on the CPU backends (wasm, cpu), whose tensors live in memory JavaScript can read; on a GPU backend a
 * read would stall the pipeline each step, so those keep TF.js's own Adam (makeAdam).
 */
import * as tf from '@tensorflow/tfjs-core';
import { AdamKernel } from './adam-kernel.ts';
import { assignFloats, readFloats } from './heap.ts';

const f32 = Math.fround;

export class FusedAdam extends tf.Optimizer {
  static get className(): string {
    // Not 'Adam': this class cannot read TF.js's serialized Adam state, and nothing should try.
    return 'ConvNotebookFusedAdam';
  }

  /** beta1^t and beta2^t as float32, as tfjs-core keeps them in scalar variables. */
  private acc1: number;
  private acc2: number;

  constructor(
    /** Read at every step, so a schedule can set it between steps (train.ts setLearningRate). */
    public learningRate: number,
    private readonly beta1: number,
    private readonly beta2: number,
    private readonly epsilon: number,
    private readonly kernel: AdamKernel,
  ) {
    super();
    this.acc1 = f32(beta1);
    this.acc2 = f32(beta2);
  }

  override applyGradients(variableGradients: Parameters<tf.Optimizer['applyGradients']>[0]): void {
    const named = Array.isArray(variableGradients)
      ? variableGradients.map((v) => [v.name, v.tensor] as const)
      : Object.entries(variableGradients);
    this.update(
      named.flatMap(([name, gradient]) => {
        const variable = tf.engine().registeredVariables[name];
        if (!variable) throw new Error(`Adam: no variable named ${name}.`);
        return gradient ? [{ variable, gradient: () => readFloats(gradient) }] : [];
      }),
    );
  }

  /**
   * The same update from one flat buffer holding the gradients of `variables` one after another (gradients.ts's
   * layout for data-parallel steps), without making a tensor of each gradient only to read it back.
   */
  applyFlat(variables: readonly tf.Variable[], flat: Float32Array): void {
    let at = 0;
    const items = variables.map((variable) => {
      const part = flat.subarray(at, at + variable.size);
      at += variable.size;
      return { variable, gradient: () => part };
    });
    if (at !== flat.length) throw new Error(`Adam: ${flat.length} gradient values for ${at} weights.`);
    this.update(items);
  }

  private update(items: { variable: tf.Variable; gradient: () => Float32Array }[]): void {
    const todo = items.map((t) => ({ ...t, slot: this.kernel.slot(t.variable.name, t.variable.size) }));
    // Views after every slot exists: a new slot can grow the module's memory, which detaches older views.
    const [g, , , w] = this.kernel.regions();
    for (const t of todo) {
      g.set(t.gradient(), t.slot.at);
      w.set(readFloats(t.variable), t.slot.at);
    }
    this.kernel.step({
      beta1: f32(this.beta1),
      beta2: f32(this.beta2),
      oneMinusBeta1: f32(1 - this.beta1),
      oneMinusBeta2: f32(1 - this.beta2),
      correction1: f32(1 - this.acc1),
      correction2: f32(1 - this.acc2),
      epsilon: f32(this.epsilon),
      minusLr: f32(-this.learningRate),
    });
    for (const t of todo) assignFloats(t.variable, w.subarray(t.slot.at, t.slot.at + t.slot.length));
    this.acc1 = f32(this.acc1 * f32(this.beta1));
    this.acc2 = f32(this.acc2 * f32(this.beta2));
    this.incrementIterations();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/**
 * Whether `o` is a FusedAdam. (`instanceof` cannot tell: tf.Optimizer's Symbol.hasInstance accepts any optimizer.)
 */
export function isFusedAdam(o: tf.Optimizer): o is FusedAdam {
  return o.getClassName() === FusedAdam.className;
}

/** Adam for the active backend: FusedAdam on wasm and cpu when the browser has WebAssembly SIMD, else TF.js's. */
export function makeAdam(learningRate: number, beta1: number, beta2: number, epsilon: number): tf.Optimizer {
  const backend = tf.getBackend();
  const kernel = backend === 'wasm' || backend === 'cpu' ? AdamKernel.create() : null;
  return kernel
    ? new FusedAdam(learningRate, beta1, beta2, epsilon, kernel)
    : tf.train.adam(learningRate, beta1, beta2, epsilon);
}
