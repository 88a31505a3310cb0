// Tocsin event board: every open dispatch event, most urgent then oldest first, with its age ticking;
// an event's file and timeline on Enter. Plain JavaScript, no build step, nothing from the internet.
//
// The list is read once (GET /api/v1/events) and again after each reconnection; from then on the board
// keeps itself from the live logbook: console.js hands it every entry (window.TocsinEventBoard.entry),
// and each incident.* entry carries the event as it now stands (docs/dispatch.md). No reload, no poll.
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
      node("td", "num age", ""),
    );
    tr.setAttribute("aria-selected", String(event.id === selected));
    tr.addEventListener("click", () => {
      select(event.id);
      openFile(event.id);
    });
    return tr;
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
    if (!String(entry?.kind ?? "").startsWith("incident.")) return;
    const data = entry.data;
    if (!data?.incident_id) return;
    if (loading) touched.add(data.incident_id);
    if (data.state === "closed") events.delete(data.incident_id);
    else events.set(data.incident_id, fromEntry(data));
    place(data.incident_id);
    if (opened === data.incident_id) openFile(opened);
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

  async function openFile(id) {
    opened = id;
    const answer = await fetch(`/api/v1/events/${encodeURIComponent(id)}`, { credentials: "same-origin" });
    if (!answer.ok || opened !== id) return;
    const event = await answer.json();
    const head = node("h3", "event-file-title");
    head.append(node("span", `prio prio-${Math.min(event.priority, 4)}`, `P${event.priority}`), " ", label(event));
    if (event.reflex) head.append(" ", node("span", "reflex-tag", T("events.reflex")));
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
    el.file.replaceChildren(head, facts, node("h4", "", T("events.timeline")), timeline);
    el.file.hidden = false;
    openedLabel = [label(event), event.address].filter(Boolean).join(" · ");
    window.TocsinConsole?.noteTarget?.(); // with no alarm open, the note field now writes on this event
  }

  el.table.addEventListener("keydown", (event) => {
    const keys = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 };
    if (event.key in keys) {
      event.preventDefault(); // the console's own keys (the alarm queue's selection) stay out of it
      move(keys[event.key]);
    } else if (event.key === "Enter" && selected) {
      event.preventDefault();
      openFile(selected);
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
    focus() {
      if (!selected && el.rows.firstElementChild) select(el.rows.firstElementChild.dataset.id);
      else if (selected) select(selected);
      else el.table.focus();
    },
  };
  setInterval(tick, 1000);
  reload();
})();
