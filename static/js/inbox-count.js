// The number of to-do items next to the "To do" entry of the navigation bar, read from the
// inbox API after the page has loaded (so no page pays for the inbox's queries).
(function () {
  "use strict";
  var badge = document.querySelector("[data-inbox-count]");
  if (!badge || !window.fetch) {
    return;
  }
  fetch(badge.getAttribute("data-inbox-count"), {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  })
    .then(function (response) {
      return response.ok ? response.json() : null;
    })
    .then(function (items) {
      if (Array.isArray(items) && items.length > 0) {
        badge.textContent = String(items.length);
        badge.hidden = false;
      }
    })
    .catch(function () {
      // No badge when the count cannot be read; the page itself still works.
    });
})();
