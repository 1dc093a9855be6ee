import { afterLoadWhenIdle } from '../../src/site/page-busy.ts';

/**
 * <lab-offline>: asks the service worker (src/sw/sw.ts) to save the lab's engine files, the part of the course not
 * precached because only this page trains, and reports the size saved. Without a service worker (astro dev, an
 * insecure origin, an old browser) the static note stays as it is.
 */
export function defineLabOffline(): void {
  if (customElements.get('lab-offline')) return;
  customElements.define(
    'lab-offline',
    class extends HTMLElement {
      connectedCallback(): void {
        if (!('serviceWorker' in navigator)) return;
        // Saving TensorFlow.js and its wasm (several MB) waits for a quiet page (src/site/page-busy.ts). On a first
        // visit the registration has already waited; an installed worker is ready at once, so the wait is here too.
        void navigator.serviceWorker.ready
          .then(async (reg) => {
            await afterLoadWhenIdle();
            await this.save(reg);
          })
          .catch(() => undefined);
      }

      private async save(reg: ServiceWorkerRegistration): Promise<void> {
        const text = this.querySelector('p')!;
        const mnist = this.dataset['mnist'] ?? 'about 11 MB';
        const reply = await ask(reg, { type: 'CACHE_LAB' });
        if (!reply) return;
        const size = `${(reply.bytes / 1e6).toFixed(1)} MB`;
        text.textContent = reply.complete
          ? `Saved for offline use: the lab's engine (TensorFlow.js and its WebAssembly, ${size}). MNIST (${mnist}) ` +
            'is saved when you first train; after that the lab trains without a network.'
          : `Offline use: the lab's engine (${size}) could not be saved completely (no connection?); it is saved the ` +
            'next time you open this page online.';
      }
    },
  );
}

/** The service worker's answer to CACHE_LAB (src/sw/sw.ts). */
interface LabCacheReply {
  type: 'LAB_CACHED';
  bytes: number;
  complete: boolean;
}

/** Posts a message to the active worker and resolves with its reply (null when there is none). */
function ask(reg: ServiceWorkerRegistration, message: { type: string }): Promise<LabCacheReply | null> {
  const sw = reg.active;
  if (!sw) return Promise.resolve(null);
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (e: MessageEvent<LabCacheReply>) => resolve(e.data);
    sw.postMessage(message, [channel.port2]);
  });
}
