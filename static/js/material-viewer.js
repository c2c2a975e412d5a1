/* The committee dossier's materials viewer: a PDF opens in a frame, an image in place. */
(function () {
  var viewer = document.getElementById("material-viewer");
  var frame = viewer.querySelector("iframe"), img = viewer.querySelector("img");
  var title = document.getElementById("material-viewer-title");
  document.querySelectorAll("[data-preview]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var pdf = btn.dataset.kind === "pdf";
      title.textContent = btn.dataset.title;
      frame.classList.toggle("d-none", !pdf); img.classList.toggle("d-none", pdf);
      if (pdf) { frame.src = btn.dataset.preview; img.removeAttribute("src"); }
      else { img.src = btn.dataset.preview; img.alt = btn.dataset.title; frame.removeAttribute("src"); }
      viewer.classList.remove("d-none");
    });
  });
  viewer.querySelector(".btn-close").addEventListener("click", function () {
    viewer.classList.add("d-none"); frame.removeAttribute("src"); img.removeAttribute("src");
  });
})();
