import { describe, expect, it } from 'vitest';
import { LazyCharts } from '../../components/internal/lazy-charts.ts';

// A widget's Plot module loads on its first change; the widget paints numbers, status and charts together once it
// is in, so they never describe different states (components/internal/lazy-charts.ts).

/** The attributes LazyCharts sets on a widget, as a record. */
class FakeWidget {
  readonly attrs = new Map<string, string>();
  setAttribute(name: string, value: string): void {
    this.attrs.set(name, value);
  }
  removeAttribute(name: string): void {
    this.attrs.delete(name);
  }
}

/** A module promise the test resolves or rejects by hand, counting how often it was asked for. */
function deferredModule() {
  const calls: { resolve(m: string): void; reject(e: Error): void }[] = [];
  const load = () => new Promise<string>((resolve, reject) => calls.push({ resolve, reject }));
  return { load, calls };
}

const flush = () => new Promise<void>((r) => setTimeout(r, 0));

describe('LazyCharts', () => {
  it('waits for the module (widget busy), then runs every waiting paint with it; later paints run at once', async () => {
    const { load, calls } = deferredModule();
    const charts = new LazyCharts(load);
    const widget = new FakeWidget();
    const painted: (string | null)[] = [];
    charts.paint(widget, (m) => painted.push(m));
    charts.paint(widget, (m) => painted.push(m));
    expect(calls).toHaveLength(1); // one load for both
    expect(painted).toEqual([]);
    expect(widget.attrs.get('aria-busy')).toBe('true');
    calls[0]!.resolve('plot');
    await flush();
    expect(painted).toEqual(['plot', 'plot']);
    expect(widget.attrs.has('aria-busy')).toBe(false);
    // Loaded: the next paint is synchronous, and nothing is marked busy.
    charts.paint(widget, (m) => painted.push(m));
    expect(painted).toEqual(['plot', 'plot', 'plot']);
    expect(widget.attrs.has('aria-busy')).toBe(false);
  });

  it('a module that fails to load: the paint runs without it, and the next change loads it again', async () => {
    const { load, calls } = deferredModule();
    const charts = new LazyCharts(load);
    const widget = new FakeWidget();
    const painted: (string | null)[] = [];
    charts.paint(widget, (m) => painted.push(m));
    calls[0]!.reject(new Error('offline'));
    await flush();
    expect(painted).toEqual([null]);
    expect(widget.attrs.has('aria-busy')).toBe(false);
    charts.paint(widget, (m) => painted.push(m));
    expect(calls).toHaveLength(2);
    calls[1]!.resolve('plot');
    await flush();
    expect(painted).toEqual([null, 'plot']);
  });
});
