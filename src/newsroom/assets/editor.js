// The article form's enhancements, where JavaScript runs: the toolbar, pictures
// from the library, paste as Markdown and the live preview. Without them the
// form is plain HTML and works the same.
import { livePreview } from "./live-preview.js";
import { ACTIONS, picture } from "./markdown-edit.js";
import { convertPastes } from "./paste.js";

const form = document.querySelector("form.article");
const body = document.getElementById("body");
if (form && body && !body.readOnly) {
  const toolbar = document.querySelector(".toolbar");
  if (toolbar) {
    toolbar.hidden = false;
    toolbar.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-md]");
      if (!button) return;
      event.preventDefault();
      const name = button.dataset.md;
      if (name === "picture") {
        const library = document.getElementById("pictures");
        if (library) {
          library.open = true;
          library.querySelector("button[data-src], a")?.focus();
        }
        return;
      }
      ACTIONS[name]?.(body);
    });
  }
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-src]");
    if (!button) return;
    event.preventDefault();
    picture(body, button.dataset.src, button.dataset.alt ?? "");
  });
  for (const button of document.querySelectorAll("button[data-src]")) button.hidden = false;
  convertPastes(body);
  const target = document.getElementById("live-preview");
  if (target && form.dataset.preview) {
    target.closest("section").hidden = false;
    livePreview(form, target, form.dataset.preview);
  }
}
