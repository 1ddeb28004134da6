// "Add to compare" without a page reload.  Without this file the same forms post and the
// server redirects back, so nothing here is needed for the feature to work.
(() => {
  let liveRegion = null;

  // One polite live region, present before anything is said, so screen readers hear it.
  function announcer() {
    if (!liveRegion) {
      liveRegion = document.createElement("p");
      liveRegion.className = "visually-hidden";
      liveRegion.setAttribute("role", "status");
      document.body.append(liveRegion);
    }
    return liveRegion;
  }

  // The visible note goes beside the control that was used, where the eyes are.
  function showNote(control, message, category) {
    document.querySelectorAll(".compare-note").forEach((note) => note.remove());
    const note = document.createElement("p");
    note.className = `compare-note flash-${category}`;
    note.textContent = message;
    control.after(note);
    announcer().textContent = message;
  }

  function replaceWith(element, html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    const replacement = template.content.firstElementChild;
    if (replacement) element.replaceWith(replacement);
    return replacement;
  }

  async function submit(form, hadFocus) {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(`compare: ${response.status}`);
    const data = await response.json();
    const tray = document.querySelector("[data-compare-tray]");
    if (tray && data.tray) replaceWith(tray, data.tray);
    const control = (data.toggle && replaceWith(form, data.toggle)) || form;
    showNote(control, data.message, data.category);
    const button = control.querySelector("button");
    if (button) {
      button.disabled = false;
      if (hadFocus) button.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", announcer);

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-compare-form]");
    if (!form || !window.fetch) return;
    event.preventDefault();
    const button = event.submitter || form.querySelector("button");
    const hadFocus = button === document.activeElement;
    if (button) button.disabled = true;
    submit(form, hadFocus).catch(() => {
      // Whatever went wrong, the plain form still works: send it the ordinary way.
      form.submit();
    });
  });
})();
