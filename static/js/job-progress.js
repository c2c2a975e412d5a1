/* A job's progress page polls the job (JSON) and reloads when it has finished.
   The URL and the refresh interval come from the progress bar's data attributes. */
(function () {
  var el = document.getElementById("job-progress");
  var url = el.dataset.url, every = Number(el.dataset.refresh) * 1000;
  function tick() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (j) {
        var bar = document.getElementById("job-bar");
        bar.style.width = j.progress + "%";
        bar.textContent = j.progress + "%";
        document.getElementById("job-progress").setAttribute("aria-valuenow", j.progress);
        document.getElementById("job-processed").textContent = j.done + j.failed + j.skipped;
        document.getElementById("job-done").textContent = j.done;
        document.getElementById("job-skipped").textContent = j.skipped;
        document.getElementById("job-failed").textContent = j.failed;
        var status = document.getElementById("job-status-label");
        if (!document.querySelector("[data-testid=worker-down]")) { status.textContent = j.state_label; }
        if (j.status === "done" || j.status === "failed") { window.location.reload(); }
        else { window.setTimeout(tick, every); }
      })
      .catch(function () { window.setTimeout(tick, every); });
  }
  window.setTimeout(tick, every);
})();
