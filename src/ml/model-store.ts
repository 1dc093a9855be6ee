/**
 * Keeping a trained model: IndexedDB (`indexeddb://convnotebook-lenet`) for reloads, and files for export/import.
 * The training history and preset travel inside the model's userDefinedMetadata, so one save holds everything.
 * Failures become an MlError with a code the page can act on (storage-full, storage-corrupt, ...).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { ExportedFile, TrainHistory } from './protocol.ts';
import type { PresetName } from './presets.ts';
import { MlError } from './errors.ts';

/** Where the model lives in IndexedDB. */
export const MODEL_URL = 'indexeddb://convnotebook-lenet';
const FILE_BASE = 'convnotebook-lenet';

/** What we add to the saved model. */
interface Metadata {
  convnotebook: 1;
  preset: PresetName;
  history: TrainHistory | null;
}

/**
 * A full disk, not any error that mentions the disk: Chrome names it QuotaExceededError, and older engines only say
 * so in the message ("quota exceeded", "disk is full", "no space left").
 */
function isQuota(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name ?? '';
  const msg = err instanceof Error ? err.message : String(err);
  return name === 'QuotaExceededError' || /quota|storage.*full|disk.*full|no space/i.test(msg);
}

function attachMetadata(model: tfl.LayersModel, preset: PresetName, history: TrainHistory | null): void {
  const meta: Metadata = { convnotebook: 1, preset, history };
  model.setUserDefinedMetadata(meta as unknown as Record<string, unknown>);
}

function readMetadata(
  model: tfl.LayersModel,
  fallbackPreset: PresetName,
): { preset: PresetName; history: TrainHistory | null } {
  const meta = model.getUserDefinedMetadata() as Partial<Metadata> | undefined;
  if (!meta || meta.convnotebook !== 1) return { preset: fallbackPreset, history: null };
  return { preset: meta.preset ?? fallbackPreset, history: meta.history ?? null };
}

/** Saves to IndexedDB. @throws MlError('storage-full') when the browser refuses for lack of space. */
export async function saveToBrowser(model: tfl.LayersModel, preset: PresetName, history: TrainHistory | null) {
  attachMetadata(model, preset, history);
  try {
    const r = await model.save(MODEL_URL);
    return r.modelArtifactsInfo.dateSaved.toISOString();
  } catch (err) {
    if (isQuota(err)) {
      throw new MlError(
        'storage-full',
        "The browser's storage for this site is full, so the model was not saved. Free some space (or clear this site's data) and save again; export to a file works meanwhile.",
      );
    }
    throw new MlError('internal', `Saving the model failed: ${err instanceof Error ? err.message : String(err)}.`);
  }
}

/** Loads from IndexedDB. @throws MlError('storage-empty') when nothing is saved, 'storage-corrupt' when unreadable. */
export async function loadFromBrowser(): Promise<{
  model: tfl.LayersModel;
  preset: PresetName;
  history: TrainHistory | null;
}> {
  const saved = await tf.io.listModels().catch(() => ({}) as Record<string, unknown>);
  if (!(MODEL_URL in saved)) throw new MlError('storage-empty', 'No saved model yet: train one and press Save.');
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(MODEL_URL);
  } catch (err) {
    throw new MlError(
      'storage-corrupt',
      `The saved model could not be read (${err instanceof Error ? err.message : String(err)}). Reset the saved model to start again.`,
    );
  }
  return { model, ...readMetadata(model, 'lenet5') };
}

/** Deletes the saved model; succeeds when there is none. */
export async function resetBrowserStorage(): Promise<void> {
  try {
    await tf.io.removeModel(MODEL_URL);
  } catch {
    // A corrupt entry may not even be removable through tf.io: drop TF.js's whole database instead.
    await new Promise<void>((resolve) => {
      const req = indexedDB.deleteDatabase('tensorflowjs');
      req.onsuccess = req.onerror = req.onblocked = () => resolve();
    });
  }
}

/** The model as two files, as `downloads://` would write them, plus the metadata inside model.json. */
export async function exportFiles(model: tfl.LayersModel, preset: PresetName, history: TrainHistory | null) {
  attachMetadata(model, preset, history);
  let files: ExportedFile[] = [];
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = tf.io.concatenateArrayBuffers(
        artifacts.weightData === undefined ? [] : ([] as ArrayBuffer[]).concat(artifacts.weightData),
      );
      const modelJson = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        modelTopology: artifacts.modelTopology,
        userDefinedMetadata: artifacts.userDefinedMetadata,
        weightsManifest: [{ paths: [`${FILE_BASE}.weights.bin`], weights: artifacts.weightSpecs ?? [] }],
      };
      const json = new TextEncoder().encode(JSON.stringify(modelJson));
      files = [
        { name: `${FILE_BASE}.json`, mime: 'application/json', data: json.buffer as ArrayBuffer },
        { name: `${FILE_BASE}.weights.bin`, mime: 'application/octet-stream', data: weights },
      ];
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return files;
}

/** Reads files made by exportFiles. @throws MlError('import-invalid') with what is wrong. */
export async function importFiles(files: ExportedFile[]) {
  const bad = (why: string) => new MlError('import-invalid', `These files are not a ConvNotebook model: ${why}.`);
  const jsonFile = files.find((f) => f.name.endsWith('.json'));
  const binFile = files.find((f) => f.name.endsWith('.bin'));
  if (!jsonFile || !binFile) throw bad('choose both the .json and the .weights.bin file');
  let parsed: {
    modelTopology?: object;
    weightsManifest?: { weights?: tf.io.WeightsManifestEntry[] }[];
    userDefinedMetadata?: tf.io.ModelArtifacts['userDefinedMetadata'];
  };
  try {
    parsed = JSON.parse(new TextDecoder().decode(jsonFile.data)) as typeof parsed;
  } catch {
    throw bad(`${jsonFile.name} is not valid JSON`);
  }
  const specs = parsed.weightsManifest?.flatMap((g) => g.weights ?? []);
  if (!parsed.modelTopology || !specs?.length) throw bad(`${jsonFile.name} has no model topology or weight list`);
  const expected = specs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (binFile.data.byteLength !== expected) {
    throw bad(`${binFile.name} holds ${binFile.data.byteLength} bytes but the model needs ${expected}`);
  }
  let model: tfl.LayersModel;
  try {
    const artifacts: tf.io.ModelArtifacts = {
      modelTopology: parsed.modelTopology,
      weightSpecs: specs,
      weightData: binFile.data,
    };
    if (parsed.userDefinedMetadata) artifacts.userDefinedMetadata = parsed.userDefinedMetadata;
    model = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (err) {
    throw bad(err instanceof Error ? err.message : String(err));
  }
  const inShape = model.inputs[0]?.shape;
  if (inShape?.join(',') !== ',28,28,1' || model.outputs[0]?.shape[1] !== 10) {
    model.dispose();
    throw bad('the model does not map 28x28 digits to 10 classes');
  }
  return { model, ...readMetadata(model, 'lenet5') };
}
