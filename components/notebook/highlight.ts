/**
 * Build-time highlighting of TypeScript for the cells' static code: the same parser (Lezer) and the same token
 * classes (`tok-keyword`, …) the editor uses, so the code looks the same before and after the editor loads, and
 * one stylesheet colours both in light and dark mode. Runs in Astro's build, never in the browser.
 */
import { classHighlighter, highlightCode } from '@lezer/highlight';
import { parser } from '@lezer/javascript';
import { esc } from '../internal/format.ts';

const ts = parser.configure({ dialect: 'ts' });

/** HTML for `code` with token spans; text is escaped. */
export function highlightTs(code: string): string {
  let html = '';
  highlightCode(
    code,
    ts.parse(code),
    classHighlighter,
    (text, classes) => {
      html += classes ? `<span class="${classes}">${esc(text)}</span>` : esc(text);
    },
    () => {
      html += '\n';
    },
  );
  return html;
}
