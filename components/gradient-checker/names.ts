import type { CheckTarget, GradCheckProblem } from '../../src/lib/index.ts';

/** How each parameter is written in the table (the engine's keys are plain ASCII). */
const NAMES: Record<string, string> = { x: 'x', w: 'w', b: 'b', z: 'z', w1: 'W₁', b1: 'b₁', w2: 'W₂', b2: 'b₂' };

/** "W₂", "x": the parameter's display name. */
export function paramName(target: CheckTarget, param: string): string {
  if (target === 'dense' && param === 'w') return 'W';
  return NAMES[param] ?? param;
}

/** "x[2,3]", "W₂[1,0]", "b₁": one element, indexed in the tensor's shape without its size-1 axes. */
export function elementName(problem: GradCheckProblem, target: CheckTarget, param: string, index: number): string {
  const t = problem.params[param];
  const name = paramName(target, param);
  if (t === undefined) return name;
  const shape = t.shape.filter((d, i) => d !== 1 || i === t.shape.length - 1);
  if (shape.length === 1 && shape[0] === 1) return name;
  const idx: number[] = [];
  let rest = index;
  for (let i = shape.length - 1; i >= 0; i--) {
    idx.unshift(rest % shape[i]!);
    rest = Math.floor(rest / shape[i]!);
  }
  return `${name}[${idx.join(',')}]`;
}
