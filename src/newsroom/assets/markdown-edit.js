// Inserting Markdown into the article's textarea at the cursor. Plain
// browser JavaScript served as-is from our own origin (no build step).

/**
 * Replaces the selection with `text`, keeping the browser's undo history
 * where it can (`insertText`), and selects `[selectStart, selectEnd)` of
 * the inserted text afterwards.
 */
export function replaceSelection(
  textarea,
  text,
  selectStart = text.length,
  selectEnd = selectStart,
) {
  const start = textarea.selectionStart;
  const end = textarea.selectionEnd;
  textarea.focus();
  // `execCommand` keeps Ctrl+Z working; where it is gone, `setRangeText` still edits.
  const done =
    typeof document.execCommand === "function" && document.execCommand("insertText", false, text);
  if (!done || textarea.value.slice(start, start + text.length) !== text) {
    textarea.setRangeText(text, start, end, "end");
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }
  textarea.setSelectionRange(start + selectStart, start + selectEnd);
}

/** Wraps the selection in `mark` (e.g. `**`), or inserts `placeholder` wrapped and selects it. */
export function wrap(textarea, mark, placeholder) {
  const selected = textarea.value.slice(textarea.selectionStart, textarea.selectionEnd);
  const inner = selected === "" ? placeholder : selected;
  replaceSelection(textarea, `${mark}${inner}${mark}`, mark.length, mark.length + inner.length);
}

/**
 * Starts every line the selection touches with `prefix(i)` (a heading's
 * `## `, a list's `- ` or `1. `), on lines of their own.
 */
export function prefixLines(textarea, prefix, placeholder) {
  const value = textarea.value;
  const lineStart = value.lastIndexOf("\n", textarea.selectionStart - 1) + 1;
  let lineEnd = value.indexOf("\n", textarea.selectionEnd);
  if (lineEnd === -1) lineEnd = value.length;
  textarea.setSelectionRange(lineStart, lineEnd);
  const lines = value.slice(lineStart, lineEnd).split("\n");
  const text = lines
    .map((line, i) => `${prefix(i)}${line.replace(/^(#{1,6} |[-*+] |\d+\. )/, "") || placeholder}`)
    .join("\n");
  // A block needs an empty line before it, or Markdown reads it as the paragraph's text.
  const before =
    lineStart > 0 &&
    value.slice(0, lineStart).trim() !== "" &&
    !value.slice(0, lineStart).endsWith("\n\n")
      ? "\n"
      : "";
  // One line: its words are selected, ready to be typed over; several: the whole block.
  const from = before.length + (lines.length === 1 ? prefix(0).length : 0);
  replaceSelection(textarea, `${before}${text}`, from, before.length + text.length);
}

/** A link on the selection (or on `placeholder`), with the address selected to be typed. */
export function link(textarea, placeholder) {
  const selected = textarea.value.slice(textarea.selectionStart, textarea.selectionEnd);
  const label = (selected === "" ? placeholder : selected).replace(/[[\]]/g, "");
  const address = "https://";
  const text = `[${label}](${address})`;
  replaceSelection(textarea, text, label.length + 3, label.length + 3 + address.length);
}

/** A picture's Markdown, `![alt](src)`, on a line of its own. */
export function picture(textarea, src, alt) {
  const value = textarea.value;
  const start = textarea.selectionStart;
  const before =
    start > 0 && !value.slice(0, start).endsWith("\n\n")
      ? value.slice(0, start).endsWith("\n")
        ? "\n"
        : "\n\n"
      : "";
  const text = `${before}![${alt.replace(/[[\]]/g, "")}](${src})\n\n`;
  replaceSelection(textarea, text);
}

/** What each toolbar button does, by its `data-md`. */
export const ACTIONS = {
  heading: (t) => prefixLines(t, () => "## ", "Tiêu đề mục"),
  bold: (t) => wrap(t, "**", "chữ đậm"),
  italic: (t) => wrap(t, "*", "chữ nghiêng"),
  bullets: (t) => prefixLines(t, () => "- ", "mục"),
  numbers: (t) => prefixLines(t, (i) => `${i + 1}. `, "mục"),
  link: (t) => link(t, "chữ của liên kết"),
};
