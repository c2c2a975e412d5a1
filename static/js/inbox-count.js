// The counts next to navigation entries that have one ("To do", "Notifications"), read from
// their API after the page has loaded (so no page pays for those queries). The API answers a
// list (its length is the count) or a page of a list (its "count").
(function () {
  "use strict";
  if (!window.fetch) {
    return;
  }
  document.querySelectorAll("[data-inbox-count]").forEach(function (badge) {
    fetch(badge.getAttribute("data-inbox-count"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        var count = Array.isArray(answer) ? answer.length : answer && answer.count;
        if (typeof count === "number" && count > 0) {
          badge.textContent = String(count);
          badge.hidden = false;
        }
      })
      .catch(function () {
        // No badge when the count cannot be read; the page itself still works.
      });
  });
})();
