/* The new-cycle form: the running total of the dimension weights (must be 100). */
(function () {
  var inputs = document.querySelectorAll("[data-testid=dimensions] input[name$='-weight']");
  var out = document.getElementById("weight-total");
  function sum() {
    var total = 0;
    inputs.forEach(function (i) { var v = parseFloat(i.value); if (!isNaN(v)) { total += v; } });
    out.textContent = (Math.round(total * 100) / 100) + " / 100";
    out.className = Math.abs(total - 100) < 0.005 ? "text-success fw-semibold" : "text-danger fw-semibold";
  }
  inputs.forEach(function (i) { i.addEventListener("input", sum); });
  sum();
})();
