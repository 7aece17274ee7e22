// Select a read-only value as it takes focus, so it can be copied at once (the API token page).
// A file rather than an onfocus attribute: the desk's Content-Security-Policy runs no inline
// script (docs/decisions/0023-hardening.md).
document.addEventListener("focusin", function (event) {
  if (event.target.matches("[data-select-on-focus]")) event.target.select();
});
