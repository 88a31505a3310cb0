// The station health page: reads /api/v1/station every ten seconds and shows one row per part, with its
// state in words (never by colour alone). Plain script, no inline code (the CSP forbids it).
(function () {
  "use strict";
  var T = JSON.parse(document.getElementById("station-strings").textContent);
  var rows = document.getElementById("station-rows");
  var note = document.getElementById("station-note");
  var EVERY = 10000;

  function t(key, fallback) { return Object.prototype.hasOwnProperty.call(T, key) ? T[key] : fallback; }
  function state(name) { return t("station.state." + name, name); }
  function mib(bytes) { return Math.round(bytes / 1048576).toLocaleString() + " MiB"; }
  function seconds(value) { return (Math.round(value * 1000) / 1000).toString() + " s"; }
  function good(name) { return ["ok", "on_line", "off"].indexOf(name) >= 0; }

  function row(testid, label, stateName, detail) {
    var tr = document.createElement("tr");
    tr.dataset.testid = "station-" + testid;
    tr.dataset.state = stateName;
    tr.className = good(stateName) ? "station-ok" : "station-bad";
    var th = document.createElement("th");
    th.scope = "row";
    th.textContent = label;
    var st = document.createElement("td");
    st.className = "station-state";
    st.textContent = state(stateName);
    var td = document.createElement("td");
    td.textContent = detail || "";
    tr.append(th, st, td);
    return tr;
  }

  function render(s) {
    var out = [];
    out.push(row("node", t("station.node"), "ok", s.node.name + " · " + s.node.version + " · pid " + s.node.pid));
    out.push(row("processes", t("station.processes"),
      s.processes.every(function (p) { return p.state === "ok" || p.state === "unmonitored"; }) ? "ok" : "down",
      s.processes.map(function (p) { return p.name + ": " + state(p.state); }).join(" · ")));
    s.heartbeats.forEach(function (p) {
      out.push(row("heartbeat-" + p.node + "-" + p.name, t("station.node") + " " + p.node + " · " + p.name, p.state,
        "pid " + p.pid + " · " + t("station.checked") + " " + new Date(p.seen_at).toLocaleTimeString()));
    });
    out.push(row("processor", t("station.processor"), s.processor.lag_seconds > 60 ? "unknown" : "ok",
      t("station.backlog") + " " + s.processor.backlog + " · " + t("station.lag") + " " + seconds(s.processor.lag_seconds)));
    out.push(row("database", t("station.database"), s.database.ok ? "ok" : "down",
      s.database.kind + " · " + seconds(s.database.read_seconds)));
    var st = s.storage;
    out.push(row("storage", t("station.storage"), st.state,
      st.free_bytes === undefined ? st.path : st.path + " · " + mib(st.free_bytes) + " " + t("station.free") + " / " + mib(st.total_bytes)));
    out.push(row("journal", t("station.journal"), s.journal_backlog > 0 ? "unknown" : "ok", String(s.journal_backlog)));
    out.push(row("consoles", t("station.consoles"), "ok", String(s.consoles)));
    var c = s.clock;
    out.push(row("clock", t("station.clock"), c.state,
      c.offset === undefined || c.offset === null ? (c.servers || []).join(", ") : t("station.offset") + " " + seconds(c.offset) + " · " + (c.servers || []).join(", ")));
    var u = s.ups;
    out.push(row("ups", t("station.ups"), u.state, u.ups ? u.ups + (u.status ? " · " + u.status : "") : ""));
    var total = s.open_alarms.reduce(function (n, a) { return n + a.count; }, 0);
    out.push(row("alarms", t("station.alarms"), "ok", String(total) + (s.conditions.length ? " · " + s.conditions.map(function (k) { return t("class." + k, k); }).join(", ") : "")));
    rows.replaceChildren.apply(rows, out);
    note.textContent = t("station.refresh") + (s.checked_at ? " · " + t("station.checked") + " " + new Date(s.checked_at).toLocaleTimeString() : "");
    document.body.dataset.stationLoaded = "yes";
  }

  function load() {
    fetch("/api/v1/station", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(render)
      .catch(function () { note.textContent = t("station.unreachable"); })
      .finally(function () { window.setTimeout(load, EVERY); });
  }
  load();
})();
