/**
 * No typed numbers in the chapters' prose: every digit must sit in a math span, a code span, a component's props or
 * an allow-listed plain fact (test/unit/prose-numbers.ts). A number the course computes must come from a component.
 * The scanner itself is tested first, so the chapter check cannot pass by scanning nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { proseOf, typedNumbers } from './prose-numbers.ts';

const dir = new URL('../../content/', import.meta.url);
const chapters = readdirSync(dir).filter((f) => f.endsWith('.mdx'));

describe('the scanner', () => {
  test('flags a typed result in prose and in a callout or self-check answer', () => {
    const mdx = [
      'The output has 26 positions.',
      '<Callout kind="note">',
      '  A 3-wide kernel gives 24.',
      '</Callout>',
      '<SelfCheck question="How wide is it?">It is 12 wide.</SelfCheck>',
    ].join('\n');
    expect(typedNumbers(mdx).map((n) => [n.line, n.number])).toEqual([
      [1, '26'],
      [3, '3'],
      [3, '24'],
      [5, '12'],
    ]);
  });
  test('passes math, code, component props, fenced code, imports, exports and frontmatter', () => {
    const mdx = [
      '---',
      'title: Pooling 2',
      'order: 8',
      '---',
      "import { OutputSize } from '../components/index.ts';",
      'export const x = [',
      '  [1, 2],',
      '];',
      'A $3 \\times 3$ kernel on $$28 \\times 28$$ with `range(H - 2)` gives <OutputSize i={28} k={3} p={1} />.',
      '<OutputSize',
      '  i={28}',
      '  k={[3, 3]}',
      '/>',
      '```python',
      'y = np.zeros((26, 26))',
      '```',
      '1. A list item is not a number.',
    ].join('\n');
    expect(typedNumbers(mdx)).toEqual([]);
    // Blanking keeps line numbers: the prose has as many lines as the file.
    expect(proseOf(mdx).split('\n')).toHaveLength(mdx.split('\n').length);
  });
  test('allows years, chapter numbers, names with digits, 0 and 1, the 8-bit range and a half turn; not 2 or 0.5', () => {
    const ok =
      'In 1998 (chapters 4 to 6, chapter 10), LeNet-5 in float32 with C3, S2 and F6 read uint8 pixels from 0 to 255 ' +
      'in 2D; a sum of 1 or 0; rotated 180° or by 180 degrees; an L2 penalty; CS231n; ITU-R BT.601.';
    expect(typedNumbers(ok)).toEqual([]);
    expect(typedNumbers('a stride of 2 and a rate of 0.5 and 1.5').map((n) => n.number)).toEqual(['2', '0.5', '1.5']);
  });
  test('allows names with digits from the architecture papers; not the same digits as a count', () => {
    const ok =
      'D2L’s im2col and col2im; ResNet-50, ResNet-18, VGG-16 and CIFAR-10; a top-5 error; AlexNet’s conv2, pool5 and ' +
      'fc6, VGG’s conv1_2, and GoogLeNet’s inception (3a) after block (3a).';
    expect(typedNumbers(ok)).toEqual([]);
    const counts = 'a ResNet with 50 layers, VGG 16, the top 5 classes, conv 2 of them, a block of 3, and (3a)';
    expect(typedNumbers(counts).map((n) => n.number)).toEqual(['50', '16', '5', '2', '3', '3']);
  });
  test('allows 256 only as the 8-bit count of levels or a modulus, not as a size', () => {
    expect(typedNumbers('256 levels, arithmetic modulo 256, 8 bits, from 0 to 255')).toEqual([]);
    expect(typedNumbers('a block reduces 256 channels').map((n) => n.number)).toEqual(['256']);
  });
});

describe('chapters have no typed numbers in their prose', () => {
  test('there are chapters to check', () => {
    expect(chapters.length).toBeGreaterThanOrEqual(11);
  });
  for (const file of chapters) {
    test(file, () => {
      const found = typedNumbers(readFileSync(new URL(file, dir), 'utf8'));
      const report = found.map((n) => `line ${n.line}: "${n.number}" in: ${n.context}`).join('\n');
      expect(found, `typed numbers in ${file} (use a component, a math span or rephrase):\n${report}`).toEqual([]);
    });
  }
});
