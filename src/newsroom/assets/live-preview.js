// The live preview: the server renders the draft with the public page's own
// template, and the article part of that page is shown beside the form.

const DELAY_MS = 600;

/** Keeps `target` showing what readers would see for the form's current content. */
export function livePreview(form, target, url) {
  let timer = 0;
  let sent = 0;
  const refresh = async () => {
    const ticket = ++sent;
    const body = new URLSearchParams(new FormData(form));
    body.delete("action");
    try {
      const response = await fetch(url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      if (!response.ok || ticket !== sent) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const article = page.querySelector("article");
      // Only the latest answer is shown: an older, slower one would show old text.
      if (article && ticket === sent) {
        target.replaceChildren(document.importNode(article, true));
        target.setAttribute("aria-busy", "false");
      }
    } catch {
      // Offline for a moment: the next keystroke tries again; the form still works.
    }
  };
  const schedule = () => {
    target.setAttribute("aria-busy", "true");
    clearTimeout(timer);
    timer = setTimeout(refresh, DELAY_MS);
  };
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  refresh();
}
