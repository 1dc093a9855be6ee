/**
 * Shows or clears the message beside a form control. The message element is found through the
 * control's aria-describedby, and aria-invalid tells screen readers the field needs attention.
 */
export function setFieldError(control: HTMLElement, message: string | null): void {
  const id = control
    .getAttribute('aria-describedby')
    ?.split(/\s+/)
    .find((x) => x.endsWith('-error'));
  const box = id ? control.ownerDocument.getElementById(id) : null;
  if (message) {
    control.setAttribute('aria-invalid', 'true');
    if (box) {
      box.textContent = message;
      box.hidden = false;
    }
  } else {
    control.removeAttribute('aria-invalid');
    if (box) {
      box.textContent = '';
      box.hidden = true;
    }
  }
}
