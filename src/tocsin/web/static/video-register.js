// The video register screen (/console/video, supervisors): the viewing register read from
// /api/v1/video/register (filtered by camera, period and user; the same filter as CSV), the
// requisitions (POST to enter one, PATCH to mark it delivered) and the exports (POST for a camera's
// time range with a requisition or a reason; each downloaded as a zip). Plain script, no inline code;
// every act is checked again by the API, which writes its logbook entry.
(function () {
  "use strict";
  var T = JSON.parse(document.getElementById("vreg-strings").textContent);
  var CONFIG = JSON.parse(document.getElementById("vreg-config").textContent);
  var CSRF = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var status = document.getElementById("vreg-status");
  var requisitions = [];

  function t(key, fallback) { return Object.prototype.hasOwnProperty.call(T, key) ? T[key] : (fallback || key); }
  var LANG = document.documentElement.lang || undefined;
  function when(iso) { return iso ? new Date(iso).toLocaleString(LANG) : "—"; }
  /** A reason as the register keeps it, its listed kind in words (typed text as typed). */
  function reason(text) { return t("video.reason." + text, text); }
  function say(text, bad) { status.textContent = text; status.className = bad ? "alert" : "notice"; }
  /** A datetime-local value as an ISO time with the browser's offset (the API wants a zone). */
  function iso(value) { return value ? new Date(value).toISOString() : ""; }
  function local(date) {
    var shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
    return shifted.toISOString().slice(0, 19);
  }

  async function call(method, path, body) {
    var options = { method: method, credentials: "same-origin", headers: {} };
    if (method !== "GET") { options.headers["X-CSRF-Token"] = CSRF; }
    if (body !== undefined) { options.headers["Content-Type"] = "application/json"; options.body = JSON.stringify(body); }
    var response = await fetch(path, options);
    var data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) { throw new Error((data && data.detail) || response.statusText); }
    return data;
  }

  function row(values) {
    var tr = document.createElement("tr");
    values.forEach(function (v) {
      var td = document.createElement("td");
      if (v instanceof Node) { td.append(v); } else { td.textContent = v; }
      tr.append(td);
    });
    return tr;
  }

  function fill(id, rows, columns) {
    var body = document.getElementById(id);
    if (!rows.length) {
      var td = document.createElement("td");
      td.colSpan = columns;
      td.className = "vreg-empty";
      td.textContent = t("vreg.empty");
      var tr = document.createElement("tr");
      tr.append(td);
      body.replaceChildren(tr);
      return;
    }
    body.replaceChildren.apply(body, rows);
  }

  // ---------------------------------------------------------------- the register
  var filter = document.getElementById("vreg-filter");
  function query() {
    var params = new URLSearchParams();
    var data = new FormData(filter);
    if (data.get("camera")) { params.set("camera", data.get("camera")); }
    if (data.get("from")) { params.set("from", iso(data.get("from"))); }
    if (data.get("to")) { params.set("to", iso(data.get("to"))); }
    if (String(data.get("user") || "").trim()) { params.set("user", String(data.get("user")).trim()); }
    return params.toString();
  }
  async function loadRegister() {
    var q = query();
    document.getElementById("vreg-csv").href = "/api/v1/video/register.csv" + (q ? "?" + q : "");
    var lines = await call("GET", "/api/v1/video/register" + (q ? "?" + q : ""));
    fill("vreg-register-rows", lines.map(function (x) {
      var tr = row([when(x.recorded_at), x.user, x.camera, t("vreg.mode." + x.mode, x.mode),
        when(x.start) + " — " + when(x.end), reason(x.reason)]);
      tr.dataset.testid = "vreg-line";
      tr.dataset.mode = x.mode;
      return tr;
    }), 6);
  }
  filter.addEventListener("submit", function (event) {
    event.preventDefault();
    loadRegister().catch(function (e) { say(e.message, true); });
  });

  // ---------------------------------------------------------------- requisitions
  var reqForm = document.getElementById("vreg-req-form");
  var reqSelect = document.getElementById("vreg-exp-req");
  function deliverButton(r) {
    if (r.delivered_at) { return when(r.delivered_at) + (r.delivery_note ? " — " + r.delivery_note : ""); }
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = t("vreg.mark_delivered");
    button.dataset.testid = "vreg-deliver";
    button.setAttribute("aria-label", t("vreg.mark_delivered") + " " + r.reference);
    button.addEventListener("click", function () {
      call("PATCH", "/api/v1/video/requisitions/" + encodeURIComponent(r.id), {})
        .then(function () { say(t("vreg.delivered_done")); return loadRequisitions(); })
        .catch(function (e) { say(e.message, true); });
    });
    return button;
  }
  async function loadRequisitions() {
    requisitions = await call("GET", "/api/v1/video/requisitions");
    fill("vreg-req-rows", requisitions.map(function (r) {
      var tr = row([r.reference, r.authority, when(r.received_at), r.request, deliverButton(r)]);
      tr.dataset.testid = "vreg-requisition";
      return tr;
    }), 5);
    var keep = reqSelect.value;
    var options = [reqSelect.options[0]];
    requisitions.forEach(function (r) {
      var o = document.createElement("option");
      o.value = r.id;
      o.textContent = r.reference + " — " + r.authority;
      options.push(o);
    });
    reqSelect.replaceChildren.apply(reqSelect, options);
    reqSelect.value = keep;
  }
  reqForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = new FormData(reqForm);
    call("POST", "/api/v1/video/requisitions", {
      authority: String(data.get("authority") || "").trim(),
      reference: String(data.get("reference") || "").trim(),
      received_at: iso(data.get("received_at")) || null,
      request: String(data.get("request") || "").trim(),
    }).then(function (made) {
      say(t("vreg.req_done").replace("{reference}", made.reference));
      reqForm.reset();
      document.getElementById("vreg-received").value = local(new Date()).slice(0, 16);
      return loadRequisitions().then(function () { reqSelect.value = made.id; });
    }).catch(function (e) { say(e.message, true); });
  });

  // ---------------------------------------------------------------- exports
  var expForm = document.getElementById("vreg-exp-form");
  var cameraSelect = document.getElementById("vreg-exp-camera");
  var filterCamera = document.getElementById("vreg-camera");
  CONFIG.cameras.forEach(function (c) {
    [cameraSelect, filterCamera].forEach(function (select) {
      var o = document.createElement("option");
      o.value = c.id;
      o.textContent = c.site ? c.name + " (" + c.site + ")" : c.name;
      select.append(o);
    });
  });
  async function loadExports() {
    var exports = await call("GET", "/api/v1/video/exports");
    fill("vreg-exp-rows", exports.map(function (x) {
      var link = document.createElement("a");
      link.href = "/api/v1/video/exports/" + encodeURIComponent(x.id) + "/download";
      link.textContent = t("vreg.download");
      link.dataset.testid = "vreg-download";
      link.setAttribute("aria-label", t("vreg.download") + " " + x.camera_name + " " + when(x.exported_at));
      var tr = row([when(x.exported_at), x.camera_name, when(x.start) + " — " + when(x.end), x.reason,
        x.exported_by, link]);
      tr.dataset.testid = "vreg-export";
      return tr;
    }), 6);
  }
  expForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = new FormData(expForm);
    var reason = String(data.get("reason") || "").trim();
    var body = { camera_id: data.get("camera_id"), from: iso(data.get("from")), to: iso(data.get("to")) };
    if (data.get("requisition_id")) { body.requisition_id = data.get("requisition_id"); }
    if (reason) { body.reason = reason; }
    if (!body.requisition_id && !reason) { say(t("vreg.exp_needs"), true); return; }
    var button = expForm.querySelector("button[type=submit]");
    button.disabled = true;
    say(t("vreg.exp_working"));
    call("POST", "/api/v1/video/exports", body).then(function (made) {
      say(t("vreg.exp_done").replace("{frames}", made.frames));
      return Promise.all([loadExports(), loadRequisitions(), loadRegister()]);
    }).catch(function (e) { say(e.message, true); }).finally(function () { button.disabled = false; });
  });

  var now = new Date();
  document.getElementById("vreg-received").value = local(now).slice(0, 16);
  document.getElementById("vreg-exp-to").value = local(now);
  document.getElementById("vreg-exp-from").value = local(new Date(now.getTime() - 3600000));
  Promise.all([loadRegister(), loadRequisitions(), loadExports()])
    .then(function () { document.body.dataset.vregLoaded = "1"; })
    .catch(function (e) { say(e.message, true); });
})();
