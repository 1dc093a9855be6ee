/**
 * Choosing and switching TF.js backends inside the worker. Each backend package is imported only when tried, so a
 * machine that runs wasm never downloads the WebGL or WebGPU code. `auto` tries webgpu, webgl, wasm, cpu in order
 * and keeps the first that initialises, except that a WebGL running on a software rasteriser (SwiftShader,
 * llvmpipe: what a machine without a GPU gets) is passed over, because wasm is ten times faster there.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName, BackendStatus } from './protocol.ts';
import { registerWasmTrainingKernels } from './wasm-kernels.ts';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/**
 * Threads for TF.js's wasm backend, set before it starts (worker.ts, from the `init` request). More than 1 takes
 * effect only where the page is cross-origin isolated (SharedArrayBuffer); `npm run bench` measures it against one.
 */
let threadsWanted = 1;
export function setWasmThreads(n: number): void {
  threadsWanted = Number.isFinite(n) ? Math.max(1, Math.min(8, Math.floor(n))) : 1;
}

let wasmThreadsActive = 1;

/** The threads the active backend computes on: XNNPACK's pool on wasm, 1 elsewhere. */
export function backendThreads(): number {
  return tf.getBackend() === 'wasm' ? wasmThreadsActive : 1;
}

/** The order `auto` tries. */
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

interface NavigatorGpu {
  gpu?: { requestAdapter(): Promise<unknown> };
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|software|basic render/i;
const SOFTWARE_WEBGL = 'WebGL is software-rendered here (no GPU); wasm is faster';

/**
 * Whether this worker's WebGL is a software rasteriser, asked of a throwaway 1 × 1 context before TF.js's WebGL
 * package is imported: on a machine without a GPU, importing it, starting it and only then passing over it cost about
 * 0.9 s of the lab's start-up (bench page, `backend=auto` against `backend=wasm`). `null` when it cannot tell.
 */
function probeSoftwareWebgl(): boolean | null {
  try {
    if (typeof OffscreenCanvas === 'undefined') return null;
    const canvas = new OffscreenCanvas(1, 1);
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return renderer ? SOFTWARE_RENDERER.test(renderer) : null;
  } catch {
    return null;
  }
}

/** Imports the backend's package (registering it with tf) and does any setup it needs; returns a reason to skip. */
async function prepare(name: BackendName, auto: boolean): Promise<string | null> {
  switch (name) {
    case 'webgpu': {
      const gpu = (navigator as Navigator & NavigatorGpu).gpu;
      if (!gpu) return 'this browser has no WebGPU';
      if (!(await gpu.requestAdapter().catch(() => null))) return 'no WebGPU adapter (no suitable GPU)';
      await import('@tensorflow/tfjs-backend-webgpu');
      return null;
    }
    case 'webgl':
      if (auto && probeSoftwareWebgl() === true) return SOFTWARE_WEBGL;
      await import('@tensorflow/tfjs-backend-webgl');
      return null;
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      wasm.setWasmPaths({
        'tfjs-backend-wasm.wasm': wasmPlainUrl,
        'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
        'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
      });
      if (threadsWanted > 1 && globalThis.crossOriginIsolated === true) {
        // TF.js caps its pool at hardwareConcurrency / 2 (it assumes two hyperthreads per core), read once as the
        // module starts: the count asked for is shown it until then (start() puts the real one back).
        wasm.setThreadsCount(threadsWanted);
        // Just the pthreads the pool needs (the calling thread is one of its threads), not the 8 TF.js starts and
        // waits for (scripts/vite-wasm-threads.mjs reads this global).
        (globalThis as { __convnotebookPthreadPool?: number }).__convnotebookPthreadPool = threadsWanted - 1;
        const cores = navigator.hardwareConcurrency || 1;
        Object.defineProperty(navigator, 'hardwareConcurrency', {
          value: Math.max(cores, 2 * threadsWanted),
          configurable: true,
        });
      } else {
        // The single-threaded SIMD build, the lab's: on the 2-core machine the bench runs on, two threads were no
        // faster at its batch of 32 (nine alternated pairs from -11 % to +28 %, median +3 %: the machine's noise)
        // and reached the first batch 0.05-0.15 s later.
        tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      }
      registerWasmTrainingKernels();
      return null;
    }
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      return null;
  }
}

/** Renderer string of the active WebGL backend, or '' when unknown. */
function webglRenderer(): string {
  try {
    const backend = tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } };
    const gl = backend.gpgpu?.gl;
    if (!gl) return '';
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  } catch {
    return '';
  }
}

/** Whether WebGL runs on the CPU through a software rasteriser. */
function isSoftwareWebgl(): boolean {
  return SOFTWARE_RENDERER.test(webglRenderer());
}

/**
 * Makes `name` the active backend. Resolves with its status (ok false and a reason when it cannot start); never throws.
 * @param auto when true a software-rendered WebGL counts as not ok, so that `auto` moves on to wasm.
 */
export async function trySetBackend(
  name: BackendName,
  auto = false,
  timeoutMs = BACKEND_TIMEOUT_MS,
): Promise<BackendStatus> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = { abandoned: false };
  // A GPU driver can leave requestAdapter or context creation pending for ever; give up and try the next backend.
  const timeout = new Promise<BackendStatus>((resolve) => {
    timer = setTimeout(() => {
      run.abandoned = true;
      resolve({ name, ok: false, reason: `${name} did not start within ${timeoutMs / 1000} s` });
    }, timeoutMs);
  });
  try {
    return await Promise.race([start(name, auto, run), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** How long one backend may take to initialise before `auto` moves on. */
export const BACKEND_TIMEOUT_MS = 20_000;

async function start(name: BackendName, auto: boolean, run: { abandoned: boolean }): Promise<BackendStatus> {
  try {
    const skip = await prepare(name, auto);
    if (skip) return { name, ok: false, reason: skip };
    try {
      // Timed out while preparing: switching now would pull the active backend from under the next one tried.
      if (run.abandoned) return { name, ok: false, reason: 'abandoned' };
      if (!(await tf.setBackend(name))) return { name, ok: false, reason: `${name} failed to initialise` };
      await tf.ready();
    } finally {
      // The core count prepare() showed TF.js's wasm module while it started (an own property over the prototype's).
      const nav = globalThis.navigator as unknown as Record<string, unknown> | undefined;
      if (nav && Object.hasOwn(nav, 'hardwareConcurrency')) delete nav['hardwareConcurrency'];
    }
    if (name === 'wasm') wasmThreadsActive = (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount();
    if (name === 'webgl' && auto && isSoftwareWebgl()) {
      return { name, ok: false, reason: SOFTWARE_WEBGL };
    }
    return { name, ok: true };
  } catch (err) {
    return { name, ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Activates `preferred`, or with `auto` the first backend in BACKEND_ORDER that works. A named backend that fails
 * falls through to the ones after it. Returns the active backend and what happened to each one tried.
 */
export async function chooseBackend(
  preferred: BackendName | 'auto',
): Promise<{ backend: BackendName; statuses: BackendStatus[] }> {
  const auto = preferred === 'auto';
  const start = auto ? 0 : BACKEND_ORDER.indexOf(preferred);
  const statuses: BackendStatus[] = [];
  for (const name of BACKEND_ORDER.slice(start)) {
    const status = await trySetBackend(name, auto);
    statuses.push(status);
    if (status.ok) return { backend: name, statuses };
  }
  throw new Error(`No TensorFlow.js backend could start: ${statuses.map((s) => `${s.name}: ${s.reason}`).join('; ')}.`);
}

/** The backends after `current` in BACKEND_ORDER, for falling back mid-run. */
export function fallbacksAfter(current: BackendName): BackendName[] {
  return BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(current) + 1);
}

/** The active backend's name (as TF.js reports it). */
export function activeBackend(): BackendName {
  return tf.getBackend() as BackendName;
}
