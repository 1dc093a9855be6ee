/**
 * ArrowUp / ArrowDown on a text field holding a whole number step it by one within [min, max], like a native
 * number input but keeping the shared text fields (their messages and inputmode). The change is dispatched as an
 * `input` event, so the widget handles it exactly like typing. Returns true when the key was used.
 */
export function stepIntegerField(
  e: KeyboardEvent,
  limits: (field: string) => { min: number; max: number } | undefined,
): boolean {
  if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return false;
  const input = e.target;
  if (!(input instanceof HTMLInputElement)) return false;
  const range = limits(input.dataset['field'] ?? '');
  if (!range) return false;
  const current = Number(input.value.trim());
  if (input.value.trim() === '' || !Number.isInteger(current)) return false;
  const next = Math.max(range.min, Math.min(range.max, current + (e.key === 'ArrowUp' ? 1 : -1)));
  e.preventDefault();
  if (next === current) return true;
  input.value = String(next);
  input.dispatchEvent(new Event('input', { bubbles: true }));
  return true;
}
