import { Rng, derivativeChain, type ActivationName } from '../../src/lib/index.ts';

/** Pre-activations of a deep chain: z = 0 everywhere (sigmoid's best case) or seeded draws from N(0, 1). */
export function chainInputs(layers: number, kind: 'zero' | 'random', seed = 7): number[] {
  if (kind === 'zero') return new Array<number>(layers).fill(0);
  const rng = new Rng(seed);
  return Array.from({ length: layers }, () => rng.normal());
}

/** The surviving gradient factor after each of `layers` layers (engine: derivativeChain). */
export function chainFactors(name: ActivationName, layers: number, kind: 'zero' | 'random', seed = 7): number[] {
  // ReLU's factor on an active path: every unit on it has z > 0.
  const z = chainInputs(layers, kind, seed).map((v) => (name === 'relu' ? Math.abs(v) + 0.1 : v));
  return derivativeChain(name, z);
}

/** 9.54e-7 as "9.5 × 10⁻⁷" for prose. */
export function sci(v: number, digits = 2): string {
  if (v === 0) return '0';
  if (v >= 0.01) return String(Number(v.toPrecision(digits)));
  const [m, e] = v.toExponential(digits - 1).split('e') as [string, string];
  const sup: Record<string, string> = {
    '-': '⁻',
    '0': '⁰',
    '1': '¹',
    '2': '²',
    '3': '³',
    '4': '⁴',
    '5': '⁵',
    '6': '⁶',
    '7': '⁷',
    '8': '⁸',
    '9': '⁹',
  };
  return `${m} × 10${[...String(Number(e))].map((c) => sup[c] ?? c).join('')}`;
}
