import { type ExportedFile, isPreset, type PresetName, presetShort, type TrainHistory } from '../../src/ml/index.ts';
import type { SummaryRow } from '../../src/lib/index.ts';
import { codeOf, messageOf, type Lab } from './context.ts';
import { pct } from './lab-format.ts';
import { isBusy } from './state.ts';

/** A note about the saved model kept beside it, so the page can mention it without starting TF.js. */
interface SavedNote {
  savedAt: string;
  preset: PresetName;
  epochs: number;
  testAccuracy: number | null;
}

const noteKey = (id: string) => `convnotebook:${id}:saved`;

function readNote(id: string): SavedNote | null {
  try {
    const n = JSON.parse(localStorage.getItem(noteKey(id)) ?? 'null') as SavedNote | null;
    return n && typeof n.savedAt === 'string' && isPreset(n.preset) ? n : null;
  } catch {
    return null;
  }
}

function writeNote(id: string, note: SavedNote | null): void {
  try {
    if (note) localStorage.setItem(noteKey(id), JSON.stringify(note));
    else localStorage.removeItem(noteKey(id));
  } catch {
    // Storage blocked: the note is a convenience; the saved model itself is in IndexedDB.
  }
}

/**
 * Whether TF.js's IndexedDB database exists (a saved model, perhaps a corrupt one without its note). Where the
 * browser cannot list databases, assume it may, and let the worker look.
 */
async function mayHoldModel(): Promise<boolean> {
  try {
    if (typeof indexedDB.databases !== 'function') return true;
    return (await indexedDB.databases()).some((d) => d.name === 'tensorflowjs');
  } catch {
    return true;
  }
}

const STORAGE_HELP: Record<string, string> = {
  'storage-full': ' Delete the saved model (or free space in your browser settings) and try again.',
  'storage-corrupt': ' Press “Delete saved model” to clear it; then train and save again.',
};

/**
 * Save to IndexedDB, restore after a reload, export/import files, and delete. Failures (storage full, a corrupt or
 * missing saved model, bad files) show a message in the section and offer the reset; nothing here throws.
 */
export class StorageController {
  private readonly lab: Lab;
  private readonly afterLoad: (history: TrainHistory | null) => Promise<void>;

  /** @param afterLoad redraws charts and results for a restored or imported model */
  constructor(lab: Lab, afterLoad: (history: TrainHistory | null) => Promise<void>) {
    this.lab = lab;
    this.afterLoad = afterLoad;
  }

  /** Shows the note about a saved model (from an earlier visit), without touching TF.js. */
  showNote(): void {
    const note = readNote(this.lab.id);
    this.lab.say(
      'saved-note',
      note
        ? `Saved in this browser on ${new Date(note.savedAt).toLocaleString('en-GB')}: ${presetShort(note.preset)}, ` +
            `after ${note.epochs} ${note.epochs === 1 ? 'epoch' : 'epochs'}` +
            `${note.testAccuracy !== null ? `, test accuracy ${pct(note.testAccuracy)}` : ''}. Press “Restore saved model” to bring it back.`
        : 'Nothing saved in this browser yet.',
    );
  }

  private guard(): boolean {
    if (!isBusy(this.lab.state.phase)) return true;
    this.lab.alert('storage-error', 'Wait until training has finished (or stop it) to save, load or delete models.');
    return false;
  }

  private fail(err: unknown): void {
    const code = codeOf(err);
    const message = messageOf(err) + (code ? (STORAGE_HELP[code] ?? '') : '');
    this.lab.alert('storage-error', message);
    this.lab.announce(message);
    this.lab.set({ phase: 'idle' });
  }

  async save(): Promise<void> {
    if (!this.guard()) return;
    if (!this.lab.state.modelPreset) {
      this.lab.alert('storage-error', 'There is no model to save yet: train one first.');
      return;
    }
    this.lab.alert('storage-error', null);
    this.lab.set({ phase: 'busy' });
    try {
      const client = await this.lab.trainer();
      const r = await client.request({ type: 'save' });
      const h = this.lab.state.history;
      const last = h?.epochs.at(-1);
      writeNote(this.lab.id, {
        savedAt: r.savedAt,
        preset: this.lab.state.modelPreset,
        epochs: h?.epochs.length ?? 0,
        testAccuracy: last?.testAccuracy ?? null,
      });
      this.showNote();
      this.lab.set({ phase: 'idle' });
      this.lab.announce('Model and training history saved in this browser.');
    } catch (err) {
      this.fail(err);
    }
  }

  async restore(): Promise<void> {
    if (!this.guard()) return;
    this.lab.alert('storage-error', null);
    this.lab.set({ phase: 'busy' });
    this.lab.announce('Restoring the saved model…');
    try {
      const client = await this.lab.trainer();
      const r = await client.request({ type: 'load' });
      await this.loaded(r.preset, r.summary, r.history, 'Restored the saved model');
    } catch (err) {
      this.fail(err);
    }
  }

  async exportFiles(): Promise<void> {
    if (!this.guard()) return;
    if (!this.lab.state.modelPreset) {
      this.lab.alert('storage-error', 'There is no model to export yet: train one first.');
      return;
    }
    this.lab.alert('storage-error', null);
    try {
      const client = await this.lab.trainer();
      const r = await client.request({ type: 'export' });
      for (const f of r.files) download(f);
      this.lab.announce(`Exported ${r.files.length} files: ${r.files.map((f) => f.name).join(', ')}.`);
    } catch (err) {
      this.fail(err);
    }
  }

  async importFiles(input: HTMLInputElement): Promise<void> {
    const list = [...(input.files ?? [])];
    input.value = '';
    if (list.length === 0 || !this.guard()) return;
    // Checked here as well as in the worker, so the reader hears at once, even while the worker is busy testing.
    if (!list.some((f) => f.name.endsWith('.json')) || !list.some((f) => f.name.endsWith('.bin'))) {
      this.lab.alert(
        'storage-error',
        'These files are not a ConvNotebook model: choose both the .json and the .weights.bin file (select the two together).',
      );
      return;
    }
    this.lab.alert('storage-error', null);
    this.lab.set({ phase: 'busy' });
    try {
      const files: ExportedFile[] = await Promise.all(
        list.map(async (f) => ({ name: f.name, mime: f.type, data: await f.arrayBuffer() })),
      );
      const client = await this.lab.trainer();
      const r = await client.request(
        { type: 'import', files },
        undefined,
        files.map((f) => f.data),
      );
      await this.loaded(r.preset, r.summary, r.history, `Imported the model from ${list.length} files`);
    } catch (err) {
      this.fail(err);
    }
  }

  async reset(): Promise<void> {
    if (!this.guard()) return;
    this.lab.alert('storage-error', null);
    if (!readNote(this.lab.id) && !(await mayHoldModel())) {
      const text = 'Nothing is saved in this browser, so there was nothing to delete.';
      this.lab.say('saved-note', text);
      this.lab.announce(text);
      return;
    }
    this.lab.set({ phase: 'busy' });
    try {
      const client = await this.lab.trainer();
      await client.request({ type: 'reset-storage' });
      writeNote(this.lab.id, null);
      this.showNote();
      this.lab.set({ phase: 'idle' });
      this.lab.announce('The saved model was deleted from this browser. The model on the page is untouched.');
    } catch (err) {
      this.fail(err);
    }
  }

  private async loaded(preset: PresetName, summary: SummaryRow[], history: TrainHistory | null, what: string) {
    if (history) this.lab.fillForm(history.config);
    this.lab.set({ modelPreset: preset, summary: { rows: summary, fromModel: true }, history });
    const epochs = history?.epochs.length ?? 0;
    this.lab.say(
      'train-text',
      history
        ? `${what}: its history has ${history.losses.at(-1)?.step ?? 0} batches in ${epochs} ${epochs === 1 ? 'epoch' : 'epochs'}.`
        : `${what} (no training history came with it).`,
    );
    this.lab.announce(`${what}: ${presetShort(preset)}, trained for ${epochs} ${epochs === 1 ? 'epoch' : 'epochs'}.`);
    await this.afterLoad(history);
  }
}

/** Offers a file to the reader as a download (an object URL on a temporary link). */
function download(f: ExportedFile): void {
  const url = URL.createObjectURL(new Blob([f.data], { type: f.mime || 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = f.name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
