// Tocsin event board: every open dispatch event, most urgent then oldest first, with its age ticking;
// an event's file and timeline on Enter. Plain JavaScript, no build step, nothing from the internet.
//
// The list is read once (GET /api/v1/events) and again after each reconnection; from then on the board
// keeps itself from the live logbook: console.js hands it every entry (window.TocsinEventBoard.entry),
// and each incident.* entry carries the event as it now stands (docs/dispatch.md). No reload, no poll.
// Each event's engaged units (GET /api/v1/units at load, then the unit.* entries: each carries the
// unit's callsign, status, event and timer flag) show in its row with their statuses (docs/units.md).
"use strict";

(() => {
  const root = document.getElementById("event-board");
  if (!root) return;
  const STRINGS = JSON.parse(document.getElementById("ui-strings").textContent);
  const T = (key, params = {}) =>
    (STRINGS[key] ?? key).replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  const LANG = document.documentElement.lang || "en";
  const ZONE = document.body.dataset.roomTimeZone || undefined;
  const LATE_S = { 1: 300, 2: 600 }; // ages of P1 and P2 events turn amber after this, the others after 30 min
  const OVERDUE_S = 1800;

  const el = {
    table: document.getElementById("event-board-table"),
    rows: document.getElementById("event-board-rows"),
    count: document.getElementById("event-board-count"),
    empty: document.getElementById("event-board-empty"),
    file: document.getElementById("event-file"),
  };
  const events = new Map(); // id → the board's fields of an open event
  let selected = null;
  let opened = null; // the id whose file is shown
  let openedLabel = ""; // its type and place, as the note field names its target
  let loading = false;
  let touched = new Set(); // ids an entry changed while the list was being read
  let drawPending = false;
  const rowOf = new Map(); // id → its row
  const ENGAGED = new Set(["alerted", "acknowledged", "en_route", "on_scene", "transporting", "at_destination"]);
  const unitsOf = new Map(); // event id → Map(unit id → {callsign, status, flag})
  const eventOfUnit = new Map(); // unit id → the event it is engaged on

  const node = (tag, className, text) => {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined && text !== null) made.textContent = String(text);
    return made;
  };
  const label = (event) => (LANG === "fr" ? event.type_label_fr : event.type_label_en) || event.type_code;
  const stateWord = (state) => T(`events.state.${state}`);
  const order = (a, b) =>
    (a.priority ?? 9) - (b.priority ?? 9) || String(a.opened_at).localeCompare(String(b.opened_at)) || String(a.id).localeCompare(String(b.id));

  function age(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const pad = (n) => String(n).padStart(2, "0");
    return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
  }

  function fromEntry(data) {
    return {
      id: data.incident_id,
      type_code: data.type_code,
      type_label_en: data.type_label_en,
      type_label_fr: data.type_label_fr,
      priority: data.priority,
      reflex: data.reflex,
      state: data.state,
      address: data.address,
      opened_at: data.opened_at,
      missing: data.missing ?? [],
    };
  }

  function row(event) {
    const tr = node("tr", `event-row prio-row-${Math.min(event.priority, 4)}`);
    tr.dataset.id = event.id;
    tr.dataset.testid = "event-row";
    tr.tabIndex = -1;
    const badge = node("span", `prio prio-${Math.min(Number(event.priority) || 9, 4)}`, `P${event.priority}`);
    const type = node("td", "col-type");
    type.append(node("strong", "", label(event)), " ", node("span", "ref", event.type_code));
    if (event.reflex) type.append(" ", node("span", "reflex-tag", T("events.reflex")));
    const priority = node("td", "col-priority");
    priority.append(badge);
    tr.append(
      priority,
      type,
      node("td", "col-place", event.address || "?"),
      node("td", "col-state", stateWord(event.state)),
      unitsCell(event.id),
      node("td", "num age", ""),
    );
    tr.setAttribute("aria-selected", String(event.id === selected));
    tr.addEventListener("click", () => {
      select(event.id);
      openFile(event.id);
    });
    return tr;
  }

  function unitsCell(id) {
    const cell = node("td", "col-units");
    cell.dataset.testid = "event-units";
    const units = [...(unitsOf.get(id)?.values() ?? [])].sort((a, b) => a.callsign.localeCompare(b.callsign));
    for (const unit of units) {
      const chip = node("span", `unit-chip unit-${unit.status}${unit.flag ? " is-flagged" : ""}`);
      chip.dataset.testid = "unit-chip";
      chip.dataset.unitId = unit.id;
      chip.dataset.status = unit.status;
      chip.append(node("strong", "", unit.callsign), " ", T(`unit.status.${unit.status}`));
      if (unit.flag) chip.append(" ⚠ ", T(`unit.flag.${unit.flag}`));
      cell.append(chip, " ");
    }
    return cell;
  }

  function setUnit(unit) {
    // one unit's news: it leaves the event it was on, and joins one while engaged
    const before = eventOfUnit.get(unit.id);
    if (before) unitsOf.get(before)?.delete(unit.id);
    eventOfUnit.delete(unit.id);
    if (unit.event_id && ENGAGED.has(unit.status)) {
      if (!unitsOf.has(unit.event_id)) unitsOf.set(unit.event_id, new Map());
      unitsOf.get(unit.event_id).set(unit.id, unit);
      eventOfUnit.set(unit.id, unit.event_id);
    }
    for (const id of new Set([before, unit.event_id])) if (id && events.has(id)) place(id);
  }

  async function loadUnits() {
    const answer = await fetch("/api/v1/units", { credentials: "same-origin" });
    if (!answer.ok) return;
    unitsOf.clear();
    eventOfUnit.clear();
    for (const unit of await answer.json()) {
      if (unit.event_id && ENGAGED.has(unit.status)) setUnit(unit);
    }
  }

  function draw() {
    // the whole list, in order (at load and after a reconnection); single changes go through place()
    drawPending = false;
    const sorted = [...events.values()].sort(order);
    rowOf.clear();
    el.rows.replaceChildren(
      ...sorted.map((event) => {
        const tr = row(event);
        rowOf.set(event.id, tr);
        return tr;
      }),
    );
    counted();
    tick();
  }

  function counted() {
    el.count.textContent = String(events.size);
    el.empty.hidden = events.size > 0;
  }

  function drawSoon() {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(draw);
  }

  /** One event changed: its row alone is rebuilt and put in its place (a board of 500 stays quick). */
  function place(id) {
    if (drawPending) return; // a whole redraw is coming
    rowOf.get(id)?.remove();
    rowOf.delete(id);
    const event = events.get(id);
    if (event) {
      const tr = row(event);
      let before = null;
      for (const other of el.rows.children) {
        const known = events.get(other.dataset.id);
        if (known && order(event, known) < 0) {
          before = other;
          break;
        }
      }
      el.rows.insertBefore(tr, before);
      rowOf.set(id, tr);
      tickRow(tr, Date.now());
    }
    counted();
  }

  function tickRow(tr, now) {
    const event = events.get(tr.dataset.id);
    const cell = tr.querySelector(".age");
    if (!event || !cell) return;
    const seconds = (now - Date.parse(event.opened_at)) / 1000;
    cell.textContent = age(seconds);
    cell.classList.toggle("is-late", seconds >= (LATE_S[event.priority] ?? OVERDUE_S) && seconds < OVERDUE_S);
    cell.classList.toggle("is-overdue", seconds >= OVERDUE_S && event.priority <= 2);
  }

  function tick() {
    const now = Date.now();
    for (const tr of el.rows.children) tickRow(tr, now);
  }

  function apply(entry) {
    if (String(entry?.kind ?? "").startsWith("unit.") && entry.data?.unit_id) {
      const data = entry.data;
      setUnit({ id: data.unit_id, callsign: data.callsign, status: data.status, flag: data.flag ?? "", event_id: data.incident_id });
      if (opened && opened === data.incident_id && entry.kind !== "unit.position") refreshSoon(opened);
      return;
    }
    if (!String(entry?.kind ?? "").startsWith("incident.")) return;
    const data = entry.data;
    if (!data?.incident_id) return;
    if (loading) touched.add(data.incident_id);
    if (data.state === "closed") events.delete(data.incident_id);
    else events.set(data.incident_id, fromEntry(data));
    place(data.incident_id);
    if (opened === data.incident_id) refreshSoon(opened);
  }

  async function reload() {
    loading = true;
    touched = new Set();
    try {
      const answer = await fetch("/api/v1/events?limit=1000", { credentials: "same-origin" });
      if (!answer.ok) throw new Error(String(answer.status));
      const listed = await answer.json();
      const seen = new Set();
      for (const event of listed) {
        seen.add(event.id);
        if (!touched.has(event.id)) events.set(event.id, event);
      }
      for (const id of [...events.keys()]) if (!seen.has(id) && !touched.has(id)) events.delete(id);
      await loadUnits().catch(() => undefined);
      drawSoon();
    } catch {
      el.empty.hidden = false;
      el.empty.querySelector(".empty-title").textContent = T("events.load_failed");
      setTimeout(reload, 5000);
    } finally {
      loading = false;
    }
  }

  function select(id) {
    selected = id;
    for (const other of el.rows.children) other.setAttribute("aria-selected", String(other.dataset.id === id));
    const tr = rowOf.get(id);
    tr?.focus({ preventScroll: true });
    tr?.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    const ids = [...el.rows.children].map((r) => r.dataset.id);
    if (ids.length === 0) return;
    const at = ids.indexOf(selected);
    select(ids[at < 0 ? 0 : Math.max(0, Math.min(ids.length - 1, at + step))]);
  }

  function time(iso) {
    const at = new Date(iso);
    if (Number.isNaN(at.getTime())) return "";
    return at.toLocaleTimeString(LANG === "fr" ? "fr-FR" : "en-GB", { timeZone: ZONE, hour12: false });
  }

  /** The parts of an event's file that follow the event itself: its head, its facts, its timeline. */
  function fileParts(event) {
    const head = node("h3", "event-file-title");
    head.append(node("span", `prio prio-${Math.min(event.priority, 4)}`, `P${event.priority}`), " ", label(event));
    if (event.reflex) head.append(" ", node("span", "reflex-tag", T("events.reflex")));
    const debrief = Object.assign(node("a", "event-debrief-link", T("debrief.open")), { href: `/console/events/${encodeURIComponent(event.id)}/debrief`, title: T("debrief.open_hint") });
    debrief.dataset.testid = "event-debrief";
    head.append(" ", debrief, node("kbd", "", "D")); // the timeline replayed on the map (debrief.js)
    const facts = node("dl", "facts");
    const fact = (term, value) => {
      if (!value) return;
      facts.append(node("dt", "", term), node("dd", "", value));
    };
    fact(T("events.state"), stateWord(event.state));
    fact(T("events.place"), event.address);
    fact(T("events.caller"), [event.caller_name, event.caller_phone].filter(Boolean).join(" "));
    fact(T("events.answers"), Object.entries(event.answers ?? {}).map(([k, v]) => `${k}: ${v}`).join(" · "));
    fact(T("events.missing"), (event.missing ?? []).join(", "));
    const timeline = node("ol", "event-timeline");
    timeline.dataset.testid = "event-timeline";
    for (const item of event.timeline ?? []) {
      const li = node("li");
      li.append(node("time", "", time(item.at)), " ", node("span", "", item.text));
      timeline.append(li);
    }
    return { head, facts, timeline };
  }

  function named(event) {
    openedLabel = [label(event), event.address].filter(Boolean).join(" · ");
    window.TocsinConsole?.noteTarget?.(); // with no alarm open, the note field now writes on this event
  }

  /** Open an event's file (a click, Enter, R): drawn whole. Live news about it goes through refreshSoon. */
  async function openFile(id) {
    opened = id;
    window.TocsinConsole?.closeAlarm?.(); // the file takes the centre's place: one item open at a time
    const answer = await fetch(`/api/v1/events/${encodeURIComponent(id)}`, { credentials: "same-origin" });
    if (!answer.ok || opened !== id) return;
    const event = await answer.json();
    const { head, facts, timeline } = fileParts(event);
    const units = await unitsSection(event);
    if (opened !== id) return; // another file was opened meanwhile
    const panel = recommendation.panel(id); // the units to send, by drive time
    el.file.replaceChildren(head, facts, units, panel, node("h4", "", T("events.timeline")), timeline);
    window.TocsinEventPartners?.show(el.file, id); // partners, report and close (event-partners.js)
    el.file.hidden = false;
    recommendation.load(id);
    named(event);
  }

  // A live entry about the open event refreshes what it may have changed (the head, the facts, the units,
  // the timeline) in place, and has the panels read their data again without being rebuilt: the
  // recommendation's status line, a partner form being typed, the focus and the scroll stay as they are.
  // Entries arriving together (an engage writes several) make one refresh; one arriving during a refresh
  // makes one more after it.
  let refreshing = false;
  let refreshNext = null; // the id to refresh once the running refresh ends

  function refreshSoon(id) {
    refreshNext = id;
    if (refreshing) return;
    refreshing = true;
    setTimeout(async () => {
      while (refreshNext) {
        const next = refreshNext;
        refreshNext = null;
        await refreshFile(next).catch(() => undefined); // the next entry tries again
      }
      refreshing = false;
    }, 0);
  }

  const PARTS = { head: ".event-file-title", facts: "dl.facts", units: ".event-units", timeline: ".event-timeline" };

  async function refreshFile(id) {
    if (opened !== id) return;
    const old = Object.fromEntries(Object.entries(PARTS).map(([k, css]) => [k, el.file.querySelector(`:scope > ${css}`)]));
    if (el.file.hidden || Object.values(old).some((part) => !part)) return openFile(id); // nothing to keep
    const answer = await fetch(`/api/v1/events/${encodeURIComponent(id)}`, { credentials: "same-origin" });
    if (!answer.ok || opened !== id) return;
    const event = await answer.json();
    const made = { ...fileParts(event), units: await unitsSection(event, old.units) };
    if (opened !== id || !old.units.isConnected) return; // another file, or drawn whole meanwhile
    const scrolled = [];
    for (let at = el.file; at; at = at.parentElement) if (at.scrollTop) scrolled.push([at, at.scrollTop]);
    const focused = old.units.contains(document.activeElement) ? document.activeElement : null;
    for (const key of Object.keys(PARTS)) old[key].replaceWith(made[key]);
    if (focused) twin(made.units, focused)?.focus({ preventScroll: true });
    for (const [at, top] of scrolled) at.scrollTop = top;
    recommendation.load(id);
    window.TocsinEventPartners?.refresh?.(id);
    named(event);
  }

  /** In a redrawn units section, the control that stands where ``focused`` stood (same role, same unit). */
  function twin(section, focused) {
    const testid = focused.dataset?.testid;
    if (!testid) return null;
    const unitId = focused.dataset.unitId;
    const css = `[data-testid="${testid}"]${unitId ? `[data-unit-id="${CSS.escape(unitId)}"]` : ""}`;
    return section.querySelector(css);
  }

  const CSRF = document.querySelector('meta[name="csrf-token"]')?.content ?? "";

  async function send(url, body) {
    const answer = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": CSRF },
      body: JSON.stringify(body ?? {}),
    });
    if (answer.ok) return null;
    const data = await answer.json().catch(() => ({}));
    return data.detail ?? String(answer.status);
  }

  /** The event's units: each engaged one with its status and a release button; a list of the free units
   * and an engage button (a reinforcement is another engage). Redrawn live, it keeps from ``before`` (the
   * section it replaces) the free unit chosen and what its status line said. */
  async function unitsSection(event, before = null) {
    const section = node("section", "event-units");
    section.dataset.testid = "event-units-panel";
    section.append(node("h4", "", T("units.engaged")));
    if (event.state === "closed") return section;
    const [engaged, all] = await Promise.all([
      fetch(`/api/v1/events/${encodeURIComponent(event.id)}/units`, { credentials: "same-origin" }).then((r) => (r.ok ? r.json() : [])),
      fetch("/api/v1/units", { credentials: "same-origin" }).then((r) => (r.ok ? r.json() : [])),
    ]);
    const status = node("p", "event-units-status", before?.querySelector(".event-units-status")?.textContent);
    status.setAttribute("role", "status");
    const list = node("ul", "event-units-list");
    for (const a of engaged.filter((x) => !x.released_at)) {
      const li = node("li", "", `${a.callsign} · ${T(`unit.status.${a.status}`)} `);
      const release = node("button", "", T("units.release"));
      release.type = "button";
      release.dataset.testid = "release-unit";
      release.dataset.unitId = a.unit_id;
      release.addEventListener("click", async () => {
        const refused = await send(`/api/v1/events/${encodeURIComponent(event.id)}/units/${encodeURIComponent(a.unit_id)}/release`);
        status.textContent = refused ?? "";
        if (!refused) refreshSoon(event.id);
      });
      li.append(release);
      list.append(li);
    }
    const free = all.filter((u) => !u.event_id && (u.status === "available" || u.status === "returning"));
    const select = node("select", "");
    select.dataset.testid = "engage-unit";
    select.setAttribute("aria-label", T("units.choose"));
    for (const unit of free) {
      const option = node("option", "", `${unit.callsign} (${unit.kind}, ${T(`unit.status.${unit.status}`)})`);
      option.value = unit.id;
      select.append(option);
    }
    const chosen = before?.querySelector('[data-testid="engage-unit"]')?.value;
    if (chosen && free.some((unit) => unit.id === chosen)) select.value = chosen;
    const engage = node("button", "", T("units.engage"));
    engage.type = "button";
    engage.dataset.testid = "engage-button";
    engage.disabled = free.length === 0;
    engage.addEventListener("click", async () => {
      const refused = await send(`/api/v1/events/${encodeURIComponent(event.id)}/engage`, { unit_ids: [select.value] });
      status.textContent = refused ?? "";
      if (!refused) refreshSoon(event.id);
    });
    section.append(list, select, " ", engage, status);
    return section;
  }
  // ---------------------------------------------------------------- the units to send (recommendation)
  // GET /api/v1/events/{id}/recommendation ranks the able units by drive + turnout time; the proposed
  // ones come checked. Keys in the list: ↑/↓ choose, Space checks, G engages the checked units
  // (POST /api/v1/events/{id}/engage), R computes again, Esc goes back to the board.
  const recommendation = (() => {
    let eventId = null;
    let box = null; // the section in the open file
    let answer = null; // the last recommendation read
    let checked = new Set();
    let cursor = 0;
    let wantFocus = false; // R asked for the list before it was read
    let said = null; // what the last act said ({text, bad}): its status line outlives the redraws
    const eta = (seconds) => (seconds === null || seconds === undefined ? "—" : age(seconds));

    function panel(id) {
      if (id !== eventId) {
        checked = new Set();
        answer = null;
        cursor = 0;
        said = null;
      }
      if (id === eventId && box?.contains(document.activeElement)) wantFocus = true; // a live redraw
      eventId = id;
      box = node("section", "recommend");
      box.dataset.testid = "recommendation";
      box.setAttribute("aria-label", T("recommend.title"));
      box.append(node("h4", "", T("recommend.title")), node("p", "recommend-status", T("recommend.loading")));
      if (answer) render();
      return box;
    }

    async function load(id) {
      const url = `/api/v1/events/${encodeURIComponent(id)}/recommendation?limit=30`;
      try {
        const reply = await fetch(url, { credentials: "same-origin" });
        if (eventId !== id) return;
        if (!reply.ok) {
          const detail = await reply.json().catch(() => ({}));
          status(detail.detail ?? T("recommend.failed"), true);
          return;
        }
        const fresh = await reply.json();
        if (eventId !== id) return;
        if (!answer || answer.event_id !== fresh.event_id) checked = new Set(fresh.proposed);
        answer = fresh;
        render();
      } catch {
        if (eventId === id) status(T("recommend.failed"), true);
      }
    }

    /** The outcome of an act (an engage, a refusal): kept on the status line until the next act. */
    function say(text, bad = false) {
      said = { text, bad };
      status(text, bad);
    }

    function status(text, bad = false) {
      const line = box?.querySelector(".recommend-status");
      if (!line) return;
      line.textContent = text;
      line.classList.toggle("is-bad", bad);
    }

    function render() {
      if (!box || !answer) return;
      const keepFocus = wantFocus || box.contains(document.activeElement);
      const head = node("h4", "", T("recommend.title"));
      if (answer.method === "distance") head.append(" ", node("span", "method-tag", T("recommend.method_distance")));
      const note = node("p", "recommend-note", answer.note);
      const missing = answer.plan
        .filter((line) => line.missing > 0)
        .map((line) => node("p", "recommend-missing", T("recommend.missing", { count: line.missing, line: line.unit_type })));
      const list = node("table", "grid recommend-table");
      list.tabIndex = 0;
      list.dataset.testid = "recommend-units";
      list.setAttribute("aria-label", T("recommend.title"));
      const header = node("tr");
      for (const word of ["", "recommend.rank", "recommend.unit", "recommend.eta", "recommend.why"]) {
        header.append(node("th", word === "recommend.eta" ? "num" : "", word ? T(word) : ""));
      }
      const body = node("tbody");
      answer.units.forEach((unit, index) => body.append(unitRow(unit, index)));
      list.append(node("thead"), body);
      list.querySelector("thead").append(header);
      list.addEventListener("keydown", keys);
      const foot = node("p", "recommend-status", answer.units.length ? T("recommend.hint") : T("recommend.empty"));
      if (said) {
        foot.textContent = said.text;
        foot.classList.toggle("is-bad", said.bad);
      }
      const engage = node("button", "recommend-engage", T("recommend.engage"));
      engage.type = "button";
      engage.dataset.testid = "recommend-engage";
      engage.addEventListener("click", () => engageChecked());
      box.replaceChildren(head, note, ...missing, list, engage, foot);
      if (keepFocus && box.isConnected) {
        wantFocus = false;
        list.focus({ preventScroll: true });
      }
    }

    function unitRow(unit, index) {
      const tr = node("tr", `recommend-row${unit.available ? "" : " is-busy"}`);
      tr.dataset.unitId = unit.unit_id;
      tr.dataset.testid = "recommend-row";
      tr.setAttribute("aria-selected", String(index === cursor));
      const mark = node("input");
      mark.type = "checkbox";
      mark.tabIndex = -1;
      mark.checked = checked.has(unit.unit_id);
      mark.disabled = !unit.available;
      mark.setAttribute("aria-label", unit.callsign);
      mark.addEventListener("change", () => toggle(unit.unit_id, mark.checked));
      const who = node("td", "col-unit");
      who.append(node("strong", "", unit.callsign));
      if (unit.proposed_as) who.append(" ", node("span", "ref", unit.proposed_as));
      const cell = node("td");
      cell.append(mark);
      tr.append(cell, node("td", "num", unit.rank), who, node("td", "num", eta(unit.eta_seconds)), node("td", "col-why", unit.reason));
      tr.addEventListener("click", (event) => {
        cursor = index;
        if (event.target !== mark) mark.click();
      });
      return tr;
    }

    function toggle(unitId, on) {
      if (on) checked.add(unitId);
      else checked.delete(unitId);
    }

    function rows() {
      return [...(box?.querySelectorAll(".recommend-row") ?? [])];
    }

    function moveCursor(step) {
      const all = rows();
      if (all.length === 0) return;
      cursor = Math.max(0, Math.min(all.length - 1, cursor + step));
      all.forEach((tr, index) => tr.setAttribute("aria-selected", String(index === cursor)));
      all[cursor].scrollIntoView({ block: "nearest" });
    }

    async function engageChecked() {
      if (!eventId || !answer) return;
      const ids = answer.units.filter((u) => u.available && checked.has(u.unit_id)).map((u) => u.unit_id);
      if (ids.length === 0) {
        say(T("recommend.none_selected"), true);
        return;
      }
      const names = answer.units.filter((u) => ids.includes(u.unit_id)).map((u) => u.callsign).join(", ");
      try {
        const reply = await fetch(`/api/v1/events/${encodeURIComponent(eventId)}/engage`, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": CSRF },
          body: JSON.stringify({ unit_ids: ids }),
        });
        if (!reply.ok) {
          const detail = await reply.json().catch(() => ({}));
          say(T("recommend.engage_failed", { why: detail.detail ?? reply.status }), true);
          return;
        }
        say(T("recommend.engaged", { units: names }));
        load(eventId);
      } catch (error) {
        say(T("recommend.engage_failed", { why: String(error) }), true);
      }
    }

    function keys(event) {
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      const handled = {
        ArrowDown: () => moveCursor(1),
        j: () => moveCursor(1),
        ArrowUp: () => moveCursor(-1),
        k: () => moveCursor(-1),
        " ": () => rows()[cursor]?.querySelector("input")?.click(),
        g: () => engageChecked(),
        r: () => eventId && load(eventId),
        Escape: () => window.TocsinEventBoard.focus(),
      }[key];
      if (!handled || event.ctrlKey || event.metaKey || event.altKey) return;
      event.preventDefault(); // the console's own keys stay out of it
      handled();
    }

    function focus() {
      const list = box?.querySelector(".recommend-table");
      if (list) list.focus();
      else wantFocus = true; // render() gives it the focus when the answer comes
    }

    return { panel, load, focus };
  })();

  el.table.addEventListener("keydown", (event) => {
    const keys = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 };
    if (event.key in keys) {
      event.preventDefault(); // the console's own keys (the alarm queue's selection) stay out of it
      move(keys[event.key]);
    } else if (event.key === "Enter" && selected) {
      event.preventDefault();
      openFile(selected);
    } else if ((event.key === "r" || event.key === "R") && selected && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault(); // R: the units to send, with the focus in their list
      openFile(selected).then(recommendation.focus);
    }
  });

  window.TocsinEventBoard = {
    entry: apply,
    reload,
    /** The event whose file is shown ({id, label}), or null: the note field's target when no alarm is open. */
    opened: () => (opened && !el.file.hidden ? { id: opened, label: openedLabel } : null),
    open(id) {
      select(id);
      openFile(id);
    },
    /** Put the open file away (an alarm is opened in the centre instead). */
    close() {
      if (!opened) return;
      opened = null;
      el.file.hidden = true;
      el.file.replaceChildren();
    },
    focus() {
      if (!selected && el.rows.firstElementChild) select(el.rows.firstElementChild.dataset.id);
      else if (selected) select(selected);
      else el.table.focus();
    },
  };
  setInterval(tick, 1000);
  reload();
})();
