// DaoYue progressive enhancement. Every page works without this file; it
// only adds conveniences: the client's own time beside the studio's, a
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

  // Show the client's own time beside each studio time when the zones differ.
  function localTimes() {
    var note = document.querySelector(".tz-local[data-tz]");
    if (!note) return;
    var studio = note.getAttribute("data-tz");
    var mine = clientZone();
    if (!mine || mine === studio) return;
    var lang = document.documentElement.lang || "zh-TW";
    var fmt;
    try {
      fmt = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: mine });
    } catch (e) { return; }
    var label = note.getAttribute("data-label") || "";
    document.querySelectorAll(".tz-local[data-tz]").forEach(function (n) {
      n.textContent = label.replace("{zone}", mine);
      n.hidden = false;
    });
    document.querySelectorAll("[data-start]").forEach(function (el) {
      var d = new Date(el.getAttribute("data-start"));
      if (isNaN(d.getTime())) return;
      var target = el.tagName === "INPUT" ? el.parentNode.querySelector("span") : el;
      if (!target || target.querySelector(".local-time")) return;
      var span = document.createElement("span");
      span.className = "local-time";
      span.textContent = fmt.format(d);
      target.appendChild(span);
    });
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

  ready(function () {
    document.documentElement.classList.add("js");
    localTimes();
    confirmations();
    submitOnce();
    serviceForm();
    overrideForm();
    copyButtons();
  });
})();
