import type { Evaluation } from '../../src/ml/index.ts';
import type { Lab } from './context.ts';
import { pct } from './lab-format.ts';
import { digitCanvas } from './pixels.ts';
import { describeEvaluation, renderConfusion } from './view.ts';
import { nextFrame } from '../internal/next-frame.ts';

/** How many misclassified digits the gallery shows. */
export const GALLERY_SIZE = 24;

/**
 * Fills the results section: summary sentence, confusion matrix, per-digit error chart, misclassified gallery. Each
 * part is drawn in its own frame (nextFrame), so the page answers input between them and no frame lays out more than
 * one part (none takes 50 ms on its own).
 */
export async function showEvaluation(root: Pick<Lab, 'byId' | 'say'>, e: Evaluation): Promise<void> {
  root.say('results-text', describeEvaluation(e));
  await nextFrame();
  root.byId('confusion').innerHTML = renderConfusion(e);
  await nextFrame();
  const gallery = root.byId('gallery');
  const items = e.misclassified.slice(0, GALLERY_SIZE).map((m) => {
    const li = document.createElement('li');
    const label = `Test digit ${m.index}: true ${m.label}, the model said ${m.predicted} (${pct(m.confidence, 0)} sure)`;
    li.append(digitCanvas(m.pixels, label, 2));
    const cap = document.createElement('span');
    cap.innerHTML = `<strong>${m.label}</strong> → ${m.predicted} <small>${pct(m.confidence, 0)}</small>`;
    li.append(cap);
    return li;
  });
  if (items.length === 0) {
    const li = document.createElement('li');
    li.className = 'placeholder';
    li.textContent = 'No mistakes to show.';
    items.push(li);
  }
  gallery.replaceChildren(...items);
  const charts = await import('./charts.ts');
  await nextFrame();
  charts.renderPerClass(root.byId('perclass-chart'), e);
}
