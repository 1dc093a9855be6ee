/**
 * The cell editor: CodeMirror 6 in TypeScript mode with line numbers, bracket matching, auto-indent, undo/redo,
 * Tab to indent (Escape then Tab leaves, CodeMirror's built-in escape hatch) and Ctrl/Cmd+Enter to run. Token
 * colours come from cell.css through the same classes the static code uses. One line can be marked as the place
 * of an error.
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { bracketMatching, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { EditorState, StateEffect, StateField, type Extension } from '@codemirror/state';
import {
  Decoration,
  EditorView,
  GutterMarker,
  drawSelection,
  gutter,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
  type DecorationSet,
} from '@codemirror/view';
import { classHighlighter } from '@lezer/highlight';

export interface CellEditor {
  view: EditorView;
  code(): string;
  setCode(code: string): void;
  /** Marks a 1-based line as an error (null clears) and scrolls it into view. */
  markError(line: number | null): void;
  focus(): void;
}

const setError = StateEffect.define<number | null>();

class ErrorMarker extends GutterMarker {
  override toDOM(): Node {
    const span = document.createElement('span');
    span.className = 'nb-error-gutter';
    span.textContent = '✗';
    span.setAttribute('aria-hidden', 'true');
    return span;
  }
}

/** The error line as a line decoration plus a gutter mark; cleared when the reader edits. */
const errorLine = StateField.define<number | null>({
  create: () => null,
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setError)) return e.value;
    return tr.docChanged ? null : value;
  },
  provide: (field) => [
    EditorView.decorations.from(field, (line): ((view: EditorView) => DecorationSet) => (view) => {
      if (line === null || line > view.state.doc.lines) return Decoration.none;
      const at = view.state.doc.line(line).from;
      return Decoration.set([Decoration.line({ class: 'nb-error-line' }).range(at)]);
    }),
  ],
});

const errorGutter = gutter({
  class: 'nb-error-gutters',
  lineMarker(view, block) {
    const line = view.state.field(errorLine);
    if (line === null || line > view.state.doc.lines) return null;
    return view.state.doc.lineAt(block.from).number === line ? new ErrorMarker() : null;
  },
  lineMarkerChange: (update) =>
    update.transactions.some((tr) => tr.effects.some((e) => e.is(setError)) || tr.docChanged),
});

export interface EditorOptions {
  doc: string;
  /** Accessible name of the editing area. */
  label: string;
  /** Id of the element explaining the keys. */
  describedBy: string;
  onRun: () => void;
  onChange: (code: string) => void;
}

/** Replaces `host`'s content with an editor. */
export function createEditor(host: HTMLElement, opts: EditorOptions): CellEditor {
  const run = () => {
    opts.onRun();
    return true;
  };
  const extensions: Extension[] = [
    lineNumbers(),
    errorGutter,
    highlightActiveLineGutter(),
    history(),
    drawSelection(),
    indentOnInput(),
    bracketMatching(),
    highlightActiveLine(),
    javascript({ typescript: true }),
    syntaxHighlighting(classHighlighter),
    errorLine,
    EditorState.tabSize.of(2),
    keymap.of([
      { key: 'Mod-Enter', run, preventDefault: true },
      { key: 'Shift-Enter', run, preventDefault: true },
      indentWithTab,
      ...defaultKeymap,
      ...historyKeymap,
    ]),
    EditorView.contentAttributes.of({
      'aria-label': opts.label,
      'aria-describedby': opts.describedBy,
      'aria-multiline': 'true',
    }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) opts.onChange(u.state.doc.toString());
    }),
  ];
  host.textContent = '';
  const view = new EditorView({ state: EditorState.create({ doc: opts.doc, extensions }), parent: host });
  return {
    view,
    code: () => view.state.doc.toString(),
    setCode(code) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
    },
    markError(line) {
      const valid = line !== null && line >= 1 && line <= view.state.doc.lines ? line : null;
      const effects: StateEffect<unknown>[] = [setError.of(valid)];
      if (valid !== null) effects.push(EditorView.scrollIntoView(view.state.doc.line(valid).from, { y: 'nearest' }));
      view.dispatch({ effects });
    },
    focus: () => view.focus(),
  };
}
