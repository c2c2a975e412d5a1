/* The live total mirrors certification/scoring.py exactly: Σ wᵢ·sᵢ/maxᵢ ÷ Σ wᵢ × 100 over the
   committee dimensions, in exact fractions (BigInt), rounded half-up to 2 places; "—" until
   every dimension holds a number within its range. */
(function () {
  var inputs = document.querySelectorAll("#sheet-form input.score");
  var out = document.getElementById("live-total");
  if (!inputs.length || !out) return;
  function dec(text) {
    text = String(text).trim();
    if (!/^\d+(\.\d+)?$/.test(text)) return null;
    var parts = text.split("."), frac = parts[1] || "";
    return [BigInt(parts[0] + frac), BigInt(10) ** BigInt(frac.length)];
  }
  function cmp(a, b) { var l = a[0] * b[1], r = b[0] * a[1]; return l < r ? -1 : l > r ? 1 : 0; }
  function update() {
    var n = BigInt(0), d = BigInt(1), wn = BigInt(0), wd = BigInt(1), ok = true;
    inputs.forEach(function (el) {
      var w = dec(el.dataset.weight), m = dec(el.dataset.max), s = dec(el.value);
      if (!w || !m || !s || cmp(s, m) > 0) { ok = false; return; }
      var tn = w[0] * s[0] * m[1], td = w[1] * s[1] * m[0];   /* w·s/max */
      n = n * td + tn * d; d = d * td;
      wn = wn * w[1] + w[0] * wd; wd = wd * w[1];
    });
    if (!ok || wn === BigInt(0)) { out.textContent = "—"; return; }
    /* hundredths = round_half_up(n/d ÷ (wn/wd) × 100 × 100) */
    var num = n * wd * BigInt(10000), den = d * wn;
    var h = (num * BigInt(2) + den) / (BigInt(2) * den);
    var cents = String(h % BigInt(100)).padStart(2, "0");
    out.textContent = String(h / BigInt(100)) + "." + cents;
  }
  inputs.forEach(function (el) { el.addEventListener("input", update); });
})();
