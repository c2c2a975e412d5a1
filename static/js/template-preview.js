/* The letter-template editor: the PDF preview on sample data follows the wording. A change in
   the form sends it (after a short pause) to the preview frame through the form's own "Refresh
   preview" button (formaction/formtarget), so nothing is saved. */
(function () {
  var form = document.querySelector("[data-preview-form]");
  if (!form) return;
  var button = form.querySelector("[data-preview-button]");
  var timer = null;
  function refresh() {
    timer = null;
    if (typeof form.requestSubmit === "function") form.requestSubmit(button);
    else button.click();
  }
  form.addEventListener("input", function () {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 800);
  });
})();
