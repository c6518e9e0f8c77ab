// Meeting pages: print button, and live minutes that never lose what was typed.
(() => {
  const statusBox = () => document.getElementById("minutes-status");
  const draftKey = (form) => `minutes-draft:${window.location.pathname}:${form.dataset.item}`;

  const say = (html) => {
    const box = statusBox();
    if (!box) return;
    box.innerHTML = html;
    box.classList.remove("d-none");
  };

  const showTaskFields = (form) => {
    const kind = form.querySelector(".minutes-kind");
    const isTask = kind && kind.value === "task";
    form.querySelectorAll(".task-field").forEach((field) => field.classList.toggle("d-none", !isTask));
  };

  const prepare = (root) => {
    root.querySelectorAll("form.minutes-form").forEach((form) => {
      showTaskFields(form);
      const text = form.querySelector("textarea[name=text]");
      const saved = window.localStorage.getItem(draftKey(form));
      if (text && !text.value && saved) text.value = saved;
    });
  };

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-print]").forEach((button) => {
      button.addEventListener("click", () => window.print());
    });
    prepare(document);
  });

  document.addEventListener("change", (event) => {
    if (event.target.matches(".minutes-kind")) showTaskFields(event.target.form);
  });

  // Keep a copy of each unsaved line in the browser until the server has it.
  document.addEventListener("input", (event) => {
    const form = event.target.closest("form.minutes-form");
    if (form && event.target.name === "text") window.localStorage.setItem(draftKey(form), event.target.value);
  });

  // Ctrl+Enter (or Cmd+Enter) saves the line.
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      const form = event.target.closest("form.minutes-form");
      if (form) {
        event.preventDefault();
        form.requestSubmit();
      }
    }
  });

  // A deleted line takes its button with it: move keyboard focus to that item's box first.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const entry = event.detail.elt.closest && event.detail.elt.closest("li[id^=entry-]");
    const section = entry && event.detail.xhr.status === 200 && entry.closest("section.minutes-item");
    const box = section && section.querySelector("textarea[name=text]");
    if (box) box.focus();
  });

  document.addEventListener("htmx:beforeSwap", (event) => {
    const xhr = event.detail.xhr;
    if (xhr.responseURL && xhr.responseURL.includes("/accounts/login/")) {
      // The session ended: the server kept the text; keep it on screen too.
      event.detail.shouldSwap = false;
      const next = encodeURIComponent(window.location.pathname);
      say(`Your session ended before this was saved. Your text is kept: <a href="/accounts/login/?next=${next}">sign in again</a> and it will be waiting.`);
    } else if (xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSwap", (event) => {
    const section = event.detail.target && event.detail.target.id ? document.getElementById(event.detail.target.id) : null;
    const root = section || document;
    const form = root.querySelector ? root.querySelector("form.minutes-form") : null;
    if (form && event.detail.xhr.status === 200) {
      window.localStorage.removeItem(draftKey(form));
      const box = statusBox();
      if (box) box.classList.add("d-none");
    }
    if (root.querySelectorAll) prepare(root);
    if (form) {
      const text = form.querySelector("textarea[name=text]");
      if (text) text.focus();
    }
  });

  const failed = () => say("Not saved: the server could not be reached. Your text is still in the box; try Save again.");
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
})();
