// The shift and handover page (prise de poste): my shift, the handover waiting for me, the handover I
// write (prepared by Tocsin, edited here), and for supervisors who is on shift and whom the dead-man is
// asking. Plain script, no inline code (the CSP forbids it); refreshed every 10 s.
(function () {
  "use strict";
  var T = JSON.parse(document.getElementById("room-strings").textContent);
  var CSRF = document.querySelector('meta[name="csrf-token"]').content;
  var SUPERVISOR = document.body.dataset.supervisor === "yes";
  var EVERY = 10000;
  var errorLine = document.getElementById("room-error");
  var doneLine = document.getElementById("room-done");
  var text = document.getElementById("handover-text");

  function t(key, params) {
    var s = Object.prototype.hasOwnProperty.call(T, key) ? T[key] : key;
    Object.keys(params || {}).forEach(function (k) { s = s.split("{" + k + "}").join(String(params[k])); });
    return s;
  }
  var LOCALE = document.documentElement.lang === "fr" ? "fr-FR" : "en-GB"; // 24-hour clock, day first
  function when(iso) { return iso ? new Date(iso).toLocaleString(LOCALE) : ""; }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else if (k === "testid") { node.dataset.testid = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }
  function say(ok, message) {
    errorLine.hidden = ok; doneLine.hidden = !ok;
    (ok ? doneLine : errorLine).textContent = message;
  }
  function call(method, url, body) {
    var headers = { Accept: "application/json" };
    if (method !== "GET") { headers["X-CSRF-Token"] = CSRF; }
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    return fetch(url, { method: method, credentials: "same-origin", headers: headers, body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) {
        return r.json().then(function (data) {
          if (!r.ok) { throw new Error(data.detail || String(r.status)); }
          return data;
        });
      });
  }

  function showShift(data) {
    var mine = document.getElementById("my-shift");
    var on = data.shift !== null;
    mine.textContent = on ? t("room.on_shift_since", { time: when(data.shift.started_at) }) : t("room.off_shift");
    mine.dataset.state = on ? "on" : "off";
    document.getElementById("shift-start").hidden = on;
    document.getElementById("shift-end").hidden = !on;
  }

  function showPending(items) {
    var list = document.getElementById("pending-list");
    if (!items.length) { list.replaceChildren(el("p", { text: t("room.pending_none"), testid: "pending-none" })); return; }
    list.replaceChildren.apply(list, items.map(function (h) {
      var button = el("button", { type: "button", text: t("room.acknowledge"), testid: "handover-acknowledge" });
      button.addEventListener("click", function () {
        call("POST", "/api/v1/handovers/" + h.id + "/acknowledge").then(function () {
          say(true, t("room.acknowledged")); refresh();
        }).catch(function (e) { say(false, t("room.error", { detail: e.message })); });
      });
      return el("article", { class: "handover", testid: "pending-handover" }, [
        el("h3", { text: t("room.from", { name: h.from_name, time: when(h.submitted_at) }) }),
        el("pre", { class: "handover-text", text: h.text, testid: "pending-text" }),
        button,
      ]);
    }));
  }

  function showRoom(room) {
    var rows = document.getElementById("on-shift-rows");
    if (!room.on_shift.length) {
      rows.replaceChildren(el("tr", {}, [el("td", { colspan: "2", text: t("room.nobody") })]));
    } else {
      rows.replaceChildren.apply(rows, room.on_shift.map(function (s) {
        var tr = el("tr", { testid: "on-shift-row" }, [el("td", { text: s.name }), el("td", { text: when(s.started_at) })]);
        tr.dataset.username = s.username;
        return tr;
      }));
    }
    var asked = document.getElementById("asked-list");
    var now = room.asked.filter(function (a) { return a.stage === "asked"; });
    if (!now.length) { asked.replaceChildren(el("li", { text: t("room.no_alerts") })); return; }
    asked.replaceChildren.apply(asked, now.map(function (a) {
      return el("li", { text: t("deadman.title") + " " + a.name + " · " + when(a.due_at), testid: "asked-row" });
    }));
  }

  function draft() {
    return call("GET", "/api/v1/handovers/draft").then(function (d) { text.value = d.text; });
  }

  function refresh() {
    var reads = [call("GET", "/api/v1/shifts/me").then(showShift), call("GET", "/api/v1/handovers").then(showPending)];
    if (SUPERVISOR) { reads.push(call("GET", "/api/v1/shifts").then(showRoom)); }
    return Promise.all(reads).then(function () { document.body.dataset.roomLoaded = "yes"; })
      .catch(function (e) { say(false, t("room.error", { detail: e.message })); });
  }

  document.getElementById("shift-start").addEventListener("click", function () {
    call("POST", "/api/v1/shifts/start").then(refresh).catch(function (e) { say(false, t("room.error", { detail: e.message })); });
  });
  document.getElementById("shift-end").addEventListener("click", function () {
    call("POST", "/api/v1/shifts/end").then(refresh).catch(function (e) { say(false, t("room.error", { detail: e.message })); });
  });
  document.getElementById("handover-refresh").addEventListener("click", function () { draft(); });
  document.getElementById("handover-form").addEventListener("submit", function (event) {
    event.preventDefault();
    call("POST", "/api/v1/handovers", { text: text.value }).then(function () {
      say(true, t("room.submitted")); refresh();
    }).catch(function (e) { say(false, t("room.error", { detail: e.message })); });
  });

  draft();
  refresh();
  window.setInterval(refresh, EVERY);
})();
