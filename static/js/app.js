/* Project script, loaded on every page (no library needed).
   A table that scrolls inside its .table-responsive wrapper (sideways on phones; by a pixel or
   two downwards, since overflow-x: auto makes overflow-y auto too) becomes a keyboard stop, so keyboard users can scroll it too (axe-core: scrollable-region-focusable). */
(function () {
  function markScrollable() {
    document.querySelectorAll(".table-responsive").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight) {
        el.setAttribute("tabindex", "0");
        if (!el.hasAttribute("role")) el.setAttribute("role", "region");
        if (!el.hasAttribute("aria-label")) {
          var caption = el.querySelector("caption");
          el.setAttribute("aria-label", caption ? caption.textContent.trim() : document.title);
        }
      } else if (el.getAttribute("tabindex") === "0") {
        el.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", markScrollable);
  window.addEventListener("resize", markScrollable);
})();

/* Behaviours declared in the markup (the Content-Security-Policy allows no inline handlers):
   <select data-autosubmit> sends its form when changed; <form data-confirm="…"> (or the
   button pressed, <button data-confirm="…">) asks first. */
(function () {
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) el.form.submit();
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    // the button pressed may carry its own question (one form, several steps)
    var button = event.submitter;
    var question = (button && button.dataset && button.dataset.confirm) ||
      (form.dataset && form.dataset.confirm);
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
