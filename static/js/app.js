// Small behaviours, wired by data attributes so no inline script is needed (strict CSP).
document.addEventListener("DOMContentLoaded", () => {
  // <form data-confirm="Are you sure?">: ask before submitting.
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
  // <select data-autosubmit>: submit the form when the choice changes.
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.requestSubmit());
  });
});
// htmx requests carry the CSRF token from the cookie-free meta tag or form.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});
