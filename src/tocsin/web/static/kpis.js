// The KPI page: reads /api/v1/kpis (the last 24 hours every 30 s and, through the live socket, within
// 5 s of an alarm being opened, taken, settled or closed; or a fixed period chosen in the form)
// and draws two uPlot charts (signals and alarms per hour; the share of alarms taken within a time,
// against the targets; each NFPA 1225 interval's p90 against its target) beside tables whose every figure is also in words. Plain script, no inline code.
(function () {
  "use strict";
  var T = JSON.parse(document.getElementById("kpis-strings").textContent);
  var form = document.getElementById("kpis-period");
  var fromInput = document.getElementById("kpis-from");
  var toInput = document.getElementById("kpis-to");
  var note = document.getElementById("kpis-note");
  var empty = document.getElementById("kpis-empty");
  var EVERY = 30000;
  var timer = null;
  var query = "";
  var charts = {};

  function t(key, fallback) { return Object.prototype.hasOwnProperty.call(T, key) ? T[key] : (fallback || key); }
  function cls(name) { return name === "*" ? t("kpis.all") : t("class." + name, name); }
  function secs(v) { return v === null || v === undefined ? "—" : (Math.round(v * 10) / 10).toLocaleString() + " s"; }
  function pc(v) { return (Math.round(v * 1000) / 10).toLocaleString() + " %"; }

  function cells(tag, values) {
    var tr = document.createElement("tr");
    values.forEach(function (v, i) {
      var c = document.createElement(i === 0 && tag === "td" ? "th" : tag);
      if (c.tagName === "TH") { c.scope = tag === "th" ? "col" : "row"; }
      c.textContent = v;
      tr.append(c);
    });
    return tr;
  }

  function fill(id, head, rows) {
    var body = document.getElementById(id);
    var out = head ? [cells("th", head)] : [];
    rows.forEach(function (r) { out.push(cells("td", r)); });
    body.replaceChildren.apply(body, out);
  }

  function within(w) {
    return w.map(function (x) {
      return pc(x.share) + " ≤ " + x.seconds + " s (" + (x.met ? t("kpis.met") : t("kpis.missed")) + ", " + x.target_percent + " %)";
    }).join(" · ");
  }

  function rates(id, list, words) {
    fill(id, [t("kpis.name"), t("kpis.settled"), t("kpis.false_rate"), t("kpis.rate")],
      list.map(function (r) { return [words ? cls(r.label) : r.label, String(r.settled), String(r.false), pc(r.rate)]; }));
  }

  function chart(id, opts, data) {
    var box = document.getElementById(id);
    if (charts[id]) { charts[id].destroy(); delete charts[id]; }
    if (!window.uPlot) { return; }
    opts.width = Math.max(box.clientWidth || 600, 320);
    opts.height = 220;
    charts[id] = new window.uPlot(opts, data, box);
  }

  var AXIS = { stroke: "#c9d1da", grid: { stroke: "#2a3340" }, ticks: { stroke: "#2a3340" } };

  function hoursChart(k) {
    var xs = k.per_hour.map(function (h) { return Date.parse(h.hour) / 1000; });
    chart("kpis-hours", {
      scales: { x: { time: true }, n: {} },
      axes: [AXIS, Object.assign({ scale: "n" }, AXIS)],
      series: [
        {},
        { label: t("kpis.signals"), scale: "n", stroke: "#6fa8dc", fill: "rgba(111,168,220,0.35)",
          paths: window.uPlot && window.uPlot.paths.bars ? window.uPlot.paths.bars({ size: [0.8, 40] }) : undefined },
        { label: t("kpis.alarms"), scale: "n", stroke: "#ffb347", width: 2 }
      ]
    }, [xs, k.per_hour.map(function (h) { return h.signals; }), k.per_hour.map(function (h) { return h.alarms; })]);
  }

  function curveChart(k) {
    var xs = k.take_curve.map(function (p) { return p.seconds; });
    var goals = {};
    k.targets.take.forEach(function (g) { goals[g.seconds] = g.percent; });
    chart("kpis-curve", {
      scales: { x: { time: false }, y: { range: [0, 100] } },
      axes: [AXIS, AXIS],
      series: [
        { label: "s" },
        { label: t("kpis.measure.take") + " %", stroke: "#7fd18b", width: 2 },
        { label: t("kpis.targets"), stroke: "#ff8a7a", width: 0, points: { show: true, size: 9, fill: "#ff8a7a" },
          paths: function () { return null; } }
      ]
    }, [xs, k.take_curve.map(function (p) { return p.share * 100; }),
        xs.map(function (s) { return Object.prototype.hasOwnProperty.call(goals, s) ? goals[s] : null; })]);
  }

  // NFPA 1225: the section is absent from an older server's answer; draw nothing then.
  function dispatch(k) {
    var d = k.dispatch;
    if (!d) { return; }
    fill("kpis-dispatch-summary", null, [
      [t("kpis.events"), String(d.events)],
      [t("kpis.no_unit"), String(d.no_unit)],
      [t("kpis.inconsistent"), String(d.inconsistent)]
    ]);
    fill("kpis-dispatch", null, d.intervals.map(function (x) {
      return [t("kpis.interval." + x.interval, x.interval), String(x.samples), secs(x.p50), secs(x.p90),
        x.target_percent + " % ≤ " + x.target_seconds + " s",
        x.samples ? pc(x.share) + " (" + (x.met ? t("kpis.met") : t("kpis.missed")) + ")" : "—"];
    }));
    var names = d.intervals.map(function (x) { return t("kpis.interval." + x.interval, x.interval); });
    var bars = window.uPlot && window.uPlot.paths.bars ? window.uPlot.paths.bars({ size: [0.5, 60] }) : undefined;
    chart("kpis-dispatch-chart", {
      scales: { x: { time: false, range: [-0.5, names.length - 0.5] }, y: { range: function (u, lo, hi) { return [0, Math.max(hi || 0, 60) * 1.1]; } } },
      axes: [Object.assign({ values: function (u, splits) { return splits.map(function (v) { return names[v] || ""; }); }, splits: function () { return names.map(function (_, i) { return i; }); } }, AXIS), AXIS],
      series: [
        {},
        { label: "p90", stroke: "#6fa8dc", fill: "rgba(111,168,220,0.35)", paths: bars },
        { label: t("kpis.target"), stroke: "#ff8a7a", width: 0, points: { show: true, size: 11, fill: "#ff8a7a" },
          paths: function () { return null; } }
      ]
    }, [d.intervals.map(function (_, i) { return i; }),
        d.intervals.map(function (x) { return x.p90; }),
        d.intervals.map(function (x) { return x.target_seconds; })]);
    document.body.dataset.kpisEvents = String(d.events);
  }

  function render(k) {
    empty.hidden = !k.empty;
    if (k.truncated) { note.textContent = t("kpis.truncated"); }
    fill("kpis-summary", null, [
      [t("kpis.alarms"), String(k.alarms)],
      [t("kpis.settled"), String(k.settled)],
      [t("kpis.false_rate"), k.settled ? pc(k.false_rate) + " (" + k.false + ")" : "—"],
      [t("kpis.signals"), String(k.signals) + " · " + k.signals_per_hour_mean.toLocaleString() + " " + t("kpis.per_hour")]
    ]);
    fill("kpis-timings", null, k.timings.map(function (x) {
      return [cls(x.alarm_class), t("kpis.measure." + x.measure), String(x.alarms), String(x.measured),
        secs(x.p50), secs(x.p90), x.measured ? within(x.within) || "—" : "—"];
    }));
    rates("kpis-by-class", k.false_by_class, true);
    rates("kpis-by-site", k.false_by_site, false);
    rates("kpis-by-client", k.false_by_client, false);
    fill("kpis-causes", [t("kpis.cause"), t("kpis.outcome"), t("kpis.count"), t("kpis.share")],
      k.causes.map(function (c) { return [c.cause || "—", t("kpis.outcome." + c.outcome, c.outcome), String(c.count), pc(c.share)]; }));
    hoursChart(k);
    curveChart(k);
    dispatch(k);
    document.body.dataset.kpisLoaded = String(Date.now());
    document.body.dataset.kpisAlarms = String(k.alarms); // for scripts and tests waiting on a figure
  }

  var pending = null;
  var lastLoad = 0;
  var GAP = 5000; // at most one read per 5 s, however many alarms a storm moves
  var ALARM_KINDS = /^alarm\.(opened|taken|settled|closed|reopened)$/;
  var failures = 0;

  function soon() {
    if (query || pending) { return; }
    pending = setTimeout(function () { pending = null; load(); }, Math.max(0, lastLoad + GAP - Date.now()));
  }

  // Only what happens from now on: an 'after' past any sequence asks the hub for no catch-up.
  function follow() {
    var scheme = location.protocol === "https:" ? "wss:" : "ws:";
    var socket;
    try { socket = new WebSocket(scheme + "//" + location.host + "/api/v1/live?after=9007199254740991"); } catch (e) { return; }
    socket.addEventListener("open", function () { failures = 0; });
    socket.addEventListener("message", function (event) {
      var m;
      try { m = JSON.parse(event.data); } catch (e) { return; }
      if (m && m.type === "entries" && (m.entries || []).some(function (x) { return ALARM_KINDS.test(x.kind || ""); })) { soon(); }
    });
    socket.addEventListener("close", function (event) {
      failures += 1;
      if (event.code !== 4401 && failures < 6) { setTimeout(follow, 10000); } // the 30 s reads go on regardless
    });
  }

  function load() {
    lastLoad = Date.now();
    fetch("/api/v1/kpis" + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) { return r.json().then(function (e) { throw new Error(e.detail || r.statusText); }); }
        return r.json();
      })
      .then(function (k) {
        render(k);
        var stamp = new Date().toLocaleTimeString();
        note.textContent = (query ? t("kpis.fixed") : t("kpis.refresh")) + " · " + stamp;
      })
      .catch(function (e) { note.textContent = e && e.message && e.message !== "Failed to fetch" ? e.message : t("kpis.unreachable"); });
  }

  function links() {
    document.getElementById("kpis-csv").href = "/api/v1/kpis/csv" + query;
    document.getElementById("kpis-pdf").href = "/api/v1/kpis/pdf" + query;
  }

  function live() {
    query = "";
    links();
    if (timer) { clearInterval(timer); }
    timer = setInterval(load, EVERY);
    load();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var from = new Date(fromInput.value), to = new Date(toInput.value);
    if (!fromInput.value || !toInput.value || isNaN(from) || isNaN(to) || from >= to) {
      note.textContent = t("kpis.bad_period");
      return;
    }
    if (timer) { clearInterval(timer); timer = null; }
    query = "?from=" + encodeURIComponent(from.toISOString()) + "&to=" + encodeURIComponent(to.toISOString());
    links();
    load();
  });
  document.getElementById("kpis-live").addEventListener("click", live);
  window.addEventListener("resize", function () { if (charts["kpis-hours"]) { load(); } });
  live();
  follow();
})();
