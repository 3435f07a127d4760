// DaoYue progressive enhancement. Every page works without this file; it
// only adds conveniences (and the booking form's proof of work, which lets
// a booking skip the tighter limits): the client's own time beside the studio's, a
// confirmation before destructive actions, and showing only the service
// fields that apply, and copy buttons for the private meeting details.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function clientZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return ""; }
  }

  // The client's own time zone. When it differs from the studio's, every
  // time list offers a clearly labelled choice: see (and pick) the times
  // in my zone. Off, each studio time carries the client's time in small
  // print; on, the client's time is the big one and the studio's the small
  // print, and the note above the times says which zone is shown. The
  // choice is remembered on this device. Without script the page shows the
  // studio's zone only, as before.
  var zoneKey = "daoyue-times-in-my-zone", zoneListening = false;
  function localTimes() {
    var note = document.querySelector(".tz-local[data-tz]");
    if (!note) return;
    var studio = note.getAttribute("data-tz");
    var mine = clientZone();
    if (!mine || mine === studio) return;
    var lang = document.documentElement.lang || "zh-TW";
    var clock, day, full, studioClock;
    try {
      clock = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: mine });
      day = new Intl.DateTimeFormat(lang, { month: "numeric", day: "numeric", timeZone: mine });
      full = new Intl.DateTimeFormat(lang, { month: "long", day: "numeric", weekday: "short", hour: "2-digit", minute: "2-digit", hour12: false, timeZone: mine });
      studioClock = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: studio });
      var studioDay = new Intl.DateTimeFormat(lang, { month: "numeric", day: "numeric", timeZone: studio });
    } catch (e) { return; }
    var on = false;
    try { on = window.localStorage.getItem(zoneKey) === "1"; } catch (e) {}

    function render() {
      document.querySelectorAll(".tz-local[data-tz]").forEach(function (n) {
        n.textContent = (n.getAttribute(on ? "data-label-mine" : "data-label") || "").replace("{zone}", mine).replace("{studio}", studio);
        n.hidden = false;
      });
      document.querySelectorAll(".tz-note[data-mine]").forEach(function (n) {
        if (!n.hasAttribute("data-orig")) n.setAttribute("data-orig", n.textContent);
        n.textContent = on ? n.getAttribute("data-mine").replace("{zone}", mine) : n.getAttribute("data-orig");
        n.classList.toggle("tz-mine", on);
      });
      document.querySelectorAll("[data-start]").forEach(function (el) {
        var d = new Date(el.getAttribute("data-start"));
        if (isNaN(d.getTime())) return;
        var target = el.tagName === "INPUT" ? el.parentNode.querySelector("span") : el;
        if (!target) return;
        var small = target.querySelector(".local-time");
        if (!small) {
          small = document.createElement("span");
          small.className = "local-time";
          target.appendChild(small);
        }
        var main = target.querySelector(".main-time");
        if (!main) {
          main = document.createElement("span");
          main.className = "main-time";
          main.setAttribute("data-orig", target.firstChild ? target.firstChild.textContent : "");
          if (target.firstChild && target.firstChild !== small) target.removeChild(target.firstChild);
          target.insertBefore(main, small);
        }
        var isFull = el.tagName === "STRONG";
        var localText = isFull ? full.format(d) : clock.format(d);
        if (!isFull && day.format(d) !== studioDay.format(d)) localText += " (" + day.format(d) + ")";
        if (on) {
          main.textContent = localText;
          small.textContent = (target.closest("[data-studio-label]") || document.querySelector("[data-studio-label]")).getAttribute("data-studio-label").replace("{time}", main.getAttribute("data-orig"));
        } else {
          main.textContent = main.getAttribute("data-orig");
          small.textContent = localText;
        }
        el.setAttribute("data-zone-shown", on ? mine : studio);
      });
      document.querySelectorAll(".tz-toggle").forEach(function (box) { box.checked = on; });
    }
    document.querySelectorAll(".tz-choice").forEach(function (p) {
      var label = p.querySelector(".tz-choice-label");
      if (label) label.textContent = label.textContent.replace("{zone}", mine);
      p.hidden = false;
    });
    if (!zoneListening) {
      zoneListening = true;
      document.addEventListener("change", function (ev) {
        if (!ev.target.classList || !ev.target.classList.contains("tz-toggle")) return;
        try { window.localStorage.setItem(zoneKey, ev.target.checked ? "1" : "0"); } catch (e) {}
        localTimes();
      });
    }
    render();
  }

  // After a refused form, the first field to fix gets the focus (on a
  // phone the fields are below the fold).
  function focusFirstInvalid() {
    var bad = document.querySelector("main [aria-invalid=true]");
    if (!bad) return;
    var target = bad;
    if (bad.tagName === "FIELDSET") target = bad.querySelector("input") || bad;
    try { target.focus({ preventScroll: true }); } catch (e) { target.focus(); }
    bad.scrollIntoView({ block: "center" });
  }

  // Tapping a day (or a month) of the booking calendar fetches that page
  // and swaps in its calendar and times, where the client is looking,
  // instead of a full reload that starts at the top. Links still work as
  // links (with #times) without script.
  function calendarInPlace() {
    var cal = document.getElementById("calendar");
    if (!cal || !window.fetch || !window.DOMParser || !window.history.pushState) return;
    document.addEventListener("click", function (ev) {
      var a = ev.target.closest ? ev.target.closest("#calendar a.cal-day, #calendar a.cal-nav") : null;
      if (!a || ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
      ev.preventDefault();
      var href = a.getAttribute("href");
      fetch(href, { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.text(); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var newCal = doc.getElementById("calendar");
          if (!newCal) throw new Error("no calendar");
          var oldCal = document.getElementById("calendar");
          oldCal.innerHTML = newCal.innerHTML;
          var oldTimes = document.getElementById("times"), newTimes = doc.getElementById("times");
          if (oldTimes && newTimes) oldTimes.innerHTML = newTimes.innerHTML;
          else if (newTimes) oldCal.parentNode.insertBefore(document.importNode(newTimes, true), oldCal.nextSibling);
          else if (oldTimes) oldTimes.parentNode.removeChild(oldTimes);
          window.history.pushState({}, "", href);
          localTimes();
          var head = document.getElementById(href.indexOf("#times") >= 0 ? "times-h" : "calendar");
          if (head) {
            head.setAttribute("tabindex", "-1");
            try { head.focus({ preventScroll: true }); } catch (e) { head.focus(); }
            head.scrollIntoView({ block: "start", behavior: "smooth" });
          }
        })
        .catch(function () { window.location.href = href; });
    });
    window.addEventListener("popstate", function () { window.location.reload(); });
  }

  // The pay page's checkout form posts itself to the payment provider
  // (its button stays for browsers without JavaScript).
  function autoSubmit() {
    var form = document.querySelector("form[data-autosubmit]");
    if (form) form.submit();
  }

  // Ask before cancelling, declining or removing.
  function confirmations() {
    document.addEventListener("click", function (ev) {
      var btn = ev.target.closest ? ev.target.closest("[data-confirm]") : null;
      if (btn && !window.confirm(btn.getAttribute("data-confirm"))) ev.preventDefault();
    });
  }

  // A form posts once: a double tap must not submit a booking twice.
  function submitOnce() {
    document.addEventListener("submit", function (ev) {
      var form = ev.target;
      if ((form.getAttribute("method") || "").toLowerCase() !== "post") return;
      if (form.getAttribute("data-sent")) { ev.preventDefault(); return; }
      form.setAttribute("data-sent", "1");
      var btn = form.querySelector("button[type=submit]");
      if (btn) btn.setAttribute("aria-busy", "true");
    });
    // Coming back with the Back button: the form may be sent again.
    window.addEventListener("pageshow", function (ev) {
      if (!ev.persisted) return;
      document.querySelectorAll("form[data-sent]").forEach(function (f) {
        f.removeAttribute("data-sent");
        var btn = f.querySelector("button[aria-busy]");
        if (btn) btn.removeAttribute("aria-busy");
      });
    });
  }

  // Copy buttons (hidden without this file): copy the text of the element
  // named by data-copy, and say so on the button for a moment.
  function copyButtons() {
    var buttons = document.querySelectorAll("button[data-copy]");
    if (!buttons.length) return;
    buttons.forEach(function (b) { b.hidden = false; });
    function fallback(text) {
      var ta = document.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.className = "copy-buffer";
      document.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(ta);
      return ok;
    }
    document.addEventListener("click", function (ev) {
      var btn = ev.target.closest ? ev.target.closest("button[data-copy]") : null;
      if (!btn) return;
      var el = document.getElementById(btn.getAttribute("data-copy"));
      if (!el) return;
      var text = (el.textContent || "").trim();
      function done() {
        if (!btn.hasAttribute("data-label")) btn.setAttribute("data-label", btn.innerHTML);
        btn.textContent = btn.getAttribute("data-copied") || "✓";
        window.setTimeout(function () { btn.innerHTML = btn.getAttribute("data-label"); }, 1600);
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { if (fallback(text)) done(); });
      } else if (fallback(text)) {
        done();
      }
    });
  }

  // Service form: show the fields that apply to the choices made.
  function serviceForm() {
    var form = document.querySelector(".service-form");
    if (!form) return;
    function field(name) {
      var el = form.querySelector("[name='" + name + "']");
      return el ? el.closest(".field") : null;
    }
    function val(name) {
      var el = form.querySelector("[name='" + name + "']:checked");
      return el ? el.value : "";
    }
    function sync() {
      var online = val("mode") === "online";
      var toggles = [
        [field("online_instructions"), online],
        [field("location"), !online],
        [field("designated_host_id"), val("meeting_host") === "designated"],
        [field("payment_deadline_minutes"), val("payment") === "before_confirmation"]
      ];
      toggles.forEach(function (t) {
        if (t[0] && !t[0].classList.contains("has-error")) t[0].hidden = !t[1];
      });
    }
    form.addEventListener("change", sync);
    sync();
  }

  // Date overrides: the hours apply only to "special hours".
  function overrideForm() {
    var hours = document.querySelector(".special-hours");
    if (!hours) return;
    var form = hours.closest("form");
    function sync() {
      var k = form.querySelector("[name='kind']:checked");
      if (!hours.querySelector(".field-error")) hours.hidden = !(k && k.value === "hours");
    }
    form.addEventListener("change", sync);
    sync();
  }

  // The booking form's proof of work (package proof): find n such that
  // SHA-256(challenge ":" n) starts with the challenge's number of zero
  // bits. It runs in small slices from the moment the form is shown, so it
  // is done long before the client has typed a name; a submit that comes
  // sooner waits for it. Without this file the booking still goes through
  // (the server applies tighter limits to such submissions).
  var K = new Int32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);
  var W = new Int32Array(64);

  // One SHA-256 compression of the 16 words of m from off into state h.
  function compress(h, m, off) {
    var t;
    for (t = 0; t < 16; t++) W[t] = m[off + t];
    for (t = 16; t < 64; t++) {
      var x = W[t - 15], y = W[t - 2];
      W[t] = (W[t - 16] + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) +
        W[t - 7] + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10))) | 0;
    }
    var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (t = 0; t < 64; t++) {
      var t1 = (k + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
        ((e & f) ^ (~e & g)) + K[t] + W[t]) | 0;
      var t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
        ((a & b) ^ (a & c) ^ (b & c))) | 0;
      k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
    h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
  }

  // zeroCounter(prefix)(s) counts the leading zero bits of SHA-256 of the
  // ASCII string prefix+s. The prefix's whole blocks are hashed once.
  function zeroCounter(prefix) {
    var whole = prefix.length >> 6, mid = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]), pm = new Int32Array(16), i, blk;
    for (blk = 0; blk < whole; blk++) {
      pm.fill(0);
      for (i = 0; i < 64; i++) pm[i >> 2] |= (prefix.charCodeAt(blk * 64 + i) & 0xff) << (24 - (i & 3) * 8);
      compress(mid, pm, 0);
    }
    var rest = prefix.slice(whole * 64), m = new Int32Array(32), h = new Int32Array(8);
    return function (s) {
      var str = rest + s, n = str.length, blocks = ((n + 8) >> 6) + 1;
      m.fill(0);
      for (i = 0; i < n; i++) m[i >> 2] |= (str.charCodeAt(i) & 0xff) << (24 - (i & 3) * 8);
      m[n >> 2] |= 0x80 << (24 - (n & 3) * 8);
      m[blocks * 16 - 1] = (prefix.length + s.length) * 8;
      h.set(mid);
      for (blk = 0; blk < blocks; blk++) compress(h, m, blk * 16);
      return h[0] === 0 ? 32 + Math.clz32(h[1]) : Math.clz32(h[0]);
    };
  }

  function proofOfWork() {
    var form = document.querySelector("form[data-proof]");
    if (!form) return;
    var challenge = form.querySelector("input[name=proof_challenge]");
    var answer = form.querySelector("input[name=proof_solution]");
    if (!challenge || !answer || !challenge.value) return;
    var need = parseInt(challenge.value.split(".")[2], 10) || 18;
    var zeroBits = zeroCounter(challenge.value + ":");
    var n = 0, done = false, waiting = false;
    function slice() {
      var until = Date.now() + 30;
      while (Date.now() < until) {
        for (var end = n + 500; n < end; n++) {
          if (zeroBits(String(n)) >= need) {
            answer.value = String(n);
            done = true;
            if (waiting) {
              if (form.requestSubmit) form.requestSubmit(); else form.submit();
            }
            return;
          }
        }
      }
      window.setTimeout(slice, 0);
    }
    form.addEventListener("submit", function (ev) {
      if (done) return;
      ev.preventDefault();
      ev.stopPropagation(); // not yet "sent": submitOnce must not mark it
      waiting = true;
      var btn = form.querySelector("button[type=submit]");
      if (btn) btn.setAttribute("aria-busy", "true");
    });
    window.setTimeout(slice, 0);
  }

  // While a booking's meeting is syncing, ask its tiny status endpoint
  // every few seconds; once the sync has settled, reload the page so the
  // outcome (and the meeting details) show. Nobody is interrupted: the
  // reload waits while a form field has the focus or has been edited.
  function meetingPoll() {
    var card = document.querySelector("[data-poll]");
    if (!card || !window.fetch) return;
    var url = card.getAttribute("data-poll"), edited = false, delay = 1500, started = Date.now();
    document.addEventListener("input", function () { edited = true; });
    function busy() {
      var a = document.activeElement;
      return edited || (a && /^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName));
    }
    function tick() {
      if (Date.now() - started > 10 * 60 * 1000) return;
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (st) {
          if (st && st.settled && !busy()) { window.location.reload(); return; }
          delay = Math.min(delay * 1.5, 10000);
          window.setTimeout(tick, delay);
        })
        .catch(function () { window.setTimeout(tick, 10000); });
    }
    window.setTimeout(tick, delay);
  }

  ready(function () {
    document.documentElement.classList.add("js");
    meetingPoll();
    proofOfWork();
    localTimes();
    calendarInPlace();
    focusFirstInvalid();
    confirmations();
    submitOnce();
    serviceForm();
    overrideForm();
    copyButtons();
    autoSubmit();
  });
})();
