// The home page's slots ([data-home-fragment]): each is replaced by the cards its fragment
// answers (the to-do summary, one app's cards), or removed when the fragment has none for the
// user. The slots' container is aria-busy until every fragment has answered; then the status
// line says so for screen readers. A fragment that fails leaves a short note in its slot.
(function () {
  "use strict";
  var container = document.querySelector("[data-home-cards]");
  if (!container || !window.fetch) {
    return;
  }
  var status = document.querySelector("[data-home-status]");
  var slots = Array.prototype.slice.call(container.querySelectorAll("[data-home-fragment]"));

  function fill(slot, html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    if (template.content.children.length === 0) {
      slot.remove();
    } else {
      slot.replaceWith(template.content);
    }
  }

  function fail(slot) {
    slot.replaceChildren();
    var note = document.createElement("p");
    note.className = "text-body-secondary small mb-0";
    note.setAttribute("data-testid", "home-fragment-failed");
    note.textContent = container.getAttribute("data-failed-text");
    slot.appendChild(note);
  }

  var pending = slots.map(function (slot) {
    return fetch(slot.getAttribute("data-home-fragment"), {
      credentials: "same-origin",
      headers: { Accept: "text/html", "X-Fragment": "1" },
    })
      .then(function (response) {
        if (!response.ok || response.redirected) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        fill(slot, html);
      })
      .catch(function () {
        fail(slot);
      });
  });

  Promise.all(pending).then(function () {
    container.setAttribute("aria-busy", "false");
    if (status) {
      status.textContent = status.getAttribute("data-loaded-text");
    }
    // the cards' tables may scroll (static/js/app.js marks them when the window resizes)
    window.dispatchEvent(new Event("resize"));
  });
})();
