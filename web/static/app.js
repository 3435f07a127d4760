// DaoYue progressive enhancement. Every page works without this file; it
// only adds conveniences: the client's own time beside the studio's, a
// confirmation before destructive actions, and showing only the service
// fields that apply.
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
    serviceForm();
    overrideForm();
  });
})();
