// Tocsin operator console. Plain JavaScript: no framework, no build step, nothing from the internet.
//
// - the room clock ticks every second in the room's time zone (corrected by the server's heartbeats);
// - one WebSocket brings the live logbook (protocol in docs/console.md): catch-up by sequence, never a
//   duplicate, a snapshot when too far behind, reconnection with backoff, silence watched;
// - every frequent act has a key, letter keys never fire while a field has the focus, and updates never
//   move the focus or the reading position;
// - every visible text comes from the page's #ui-strings, read through T(key, params).
"use strict";

(() => {
  // ---------------------------------------------------------------- texts, settings, elements
  const STRINGS = JSON.parse(document.getElementById("ui-strings").textContent);
  /** The UI text for a key, with its {named} parameters filled in. */
  const T = (key, params = {}) =>
    (STRINGS[key] ?? key).replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));

  const LANG = document.documentElement.lang || "en";
  const LOCALE = LANG === "fr" ? "fr-FR" : "en-GB"; // a 24-hour clock and the day before the month, in both
  const CSRF = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  const ROOM_TIME_ZONE = document.body.dataset.roomTimeZone || undefined;
  const MAX_ROWS = 500;
  const BURST_ROWS = 100; // rows a message of more entries draws (its newest)
  const SILENCE_MS = 40000; // heartbeats come every 15 s: two missed ones mean the link is gone
  const RETRY_FIRST_MS = 1000;
  const RETRY_MAX_MS = 10000;
  const NEW_TINT_MS = 6000;
  const NOTICE_MS = 10000;
  const ALERT_KINDS = /^(security\.|auth\.login_failed)/;
  const LIVE = document.body.dataset.live === "on"; // roles without the logbook get no socket, no alarm
  const NAMES = JSON.parse(document.getElementById("names")?.textContent || "{}");
  const MAX_LOOKUPS = 200; // sites asked of the API after the page was made (new ones), at most
  const NOTE_DRAFT = "tocsin.note-draft"; // a note being typed survives the reload of a language switch
  const DEGRADED = window.TocsinDegraded; // degraded.js: the notes' outbox, the kept queue and files
  // how loud a logbook row is: alarm classes (red, with their word), troubles (amber), routine (quiet)
  const ALARM_CLASSES = new Set(["fire", "medical", "panic", "duress", "intrusion"]);
  const TROUBLE_CLASSES = new Set(["tamper", "technical", "supervision"]);
  const TECHNICAL_KINDS = new Set(["signal.problem", "signal.supervision_lost"]);

  const byId = (id) => document.getElementById(id);
  const el = {
    clock: byId("clock"),
    clockDate: byId("clock-date"),
    connection: byId("connection"),
    connectionText: byId("connection-text"),
    logbook: byId("logbook"),
    newMarker: byId("logbook-new"),
    logScroll: byId("logbook-scroll"),
    logEmpty: byId("logbook-empty"),
    noteForm: byId("note-form"),
    note: byId("note"),
    noteSubmit: byId("note-submit"),
    noteError: byId("note-error"),
    queue: byId("queue-table"),
    help: byId("help"),
    notice: byId("notice"),
  };

  // ---------------------------------------------------------------- time in the room's zone
  const formatter = (options) => {
    try {
      return new Intl.DateTimeFormat(LOCALE, { ...options, timeZone: ROOM_TIME_ZONE });
    } catch {
      return new Intl.DateTimeFormat(LOCALE, options); // an unknown zone: the workstation's, rather than nothing
    }
  };
  const fmtTime = formatter({ hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
  const fmtDate = formatter({ weekday: "short", day: "numeric", month: "short", year: "numeric" });
  const fmtDay = formatter({ year: "numeric", month: "2-digit", day: "2-digit" });
  const fmtShortDate = formatter({ day: "2-digit", month: "2-digit" });

  let clockOffsetMs = 0; // server time minus workstation time, learnt from heartbeats
  let today = "";
  const now = () => new Date(Date.now() + clockOffsetMs);

  function tick() {
    const moment = now();
    el.clock.textContent = fmtTime.format(moment);
    el.clock.dateTime = moment.toISOString();
    const day = fmtDay.format(moment);
    if (day !== today) {
      today = day;
      el.clockDate.textContent = fmtDate.format(moment);
      for (const row of el.logbook?.rows ?? []) fillTime(row.cells[0], row.dataset.recordedAt);
    }
    if (typeof tickAlarms === "function") tickAlarms();
    setTimeout(tick, 1000 - (moment.getTime() % 1000) + 5); // on the second boundary, without drift
  }

  function learnServerTime(iso) {
    const at = Date.parse(iso);
    if (Number.isNaN(at)) return;
    const offset = at - Date.now();
    if (Math.abs(offset - clockOffsetMs) > 1000) clockOffsetMs = offset; // ignore network jitter
  }

  // ---------------------------------------------------------------- the logbook view
  const shown = new Map(); // seq -> row
  let lastSeq = 0; // the last sequence received over the socket: what a reconnection asks after

  function setLastSeq(seq) {
    lastSeq = seq;
    document.body.dataset.liveSeq = String(seq);
  }

  function actorName(actor) {
    if (typeof actor !== "string") return "";
    if (actor.startsWith("user:")) return actor.slice(5);
    return STRINGS[`actor.${actor}`] ?? actor;
  }

  function fillTime(cell, iso) {
    const when = new Date(iso);
    const time = document.createElement("time");
    time.dateTime = iso ?? "";
    if (!Number.isNaN(when.getTime())) {
      if (fmtDay.format(when) !== today) {
        const date = document.createElement("span");
        date.className = "log-date";
        date.textContent = fmtShortDate.format(when);
        time.append(date);
      }
      time.append(fmtTime.format(when));
    }
    cell.replaceChildren(time);
  }

  function rowFor(entry, fresh) {
    const row = document.createElement("tr");
    row.tabIndex = -1;
    row.dataset.seq = String(entry.seq);
    row.dataset.kind = entry.kind ?? "";
    row.dataset.recordedAt = entry.recorded_at ?? "";
    row.dataset.site = entry.site_id ?? "";
    const loudness = classOf(entry);
    if (loudness) row.dataset.level = loudness.level;
    const time = document.createElement("td");
    time.className = "log-time";
    fillTime(time, entry.recorded_at);
    const actor = document.createElement("td");
    actor.className = "log-actor";
    actor.textContent = actorName(entry.actor);
    const text = document.createElement("td");
    text.className = "log-text";
    if (loudness) {
      const badge = document.createElement("span");
      badge.className = "log-class";
      badge.dataset.testid = "log-class";
      badge.textContent = T(`class.${loudness.name}`);
      text.append(badge, " ");
    }
    text.append(entry.text ?? "");
    const where = document.createElement("span");
    where.className = "log-where";
    fillWhere(where, entry);
    text.append(where);
    row.append(time, actor, text);
    if (fresh) {
      row.classList.add("is-new");
      setTimeout(() => row.classList.remove("is-new"), NEW_TINT_MS);
    }
    return row;
  }

  /** Which class of traffic an entry is, and how loud it shows; null for the room's own entries. */
  function classOf(entry) {
    const kind = entry.kind ?? "";
    if (ALERT_KINDS.test(kind)) return { name: "security", level: "trouble" };
    if (TECHNICAL_KINDS.has(kind)) return { name: "technical", level: "trouble" };
    if (kind !== "signal.received") return null;
    if (entry.restore) return { name: "restore", level: "routine" }; // the end of an alarm: calm
    const name = STRINGS[`class.${entry.event_class}`] ? entry.event_class : "other";
    if (ALARM_CLASSES.has(name)) return { name, level: "alarm" };
    if (TROUBLE_CLASSES.has(name)) return { name, level: "trouble" };
    return { name, level: "routine" };
  }

  // ---------------------------------------------------------------- site and client names
  const siteNames = new Map(Object.entries(NAMES.sites ?? {})); // site id -> [name, client id]
  const clientNames = new Map(Object.entries(NAMES.clients ?? {}));
  const asked = new Set();

  /** "Site · Client" under an entry's text; a site the page did not know is asked of the API once. */
  function fillWhere(span, entry) {
    const site = entry.site_id ? siteNames.get(entry.site_id) : null;
    const clientId = site?.[1] ?? entry.client_id;
    const client = clientId ? clientNames.get(clientId) : null;
    if (site && client) span.textContent = T("logbook.where", { site: site[0], client });
    else span.textContent = site?.[0] ?? client ?? "";
    span.hidden = !span.textContent;
    if (entry.site_id && !site) lookUpSite(entry.site_id);
  }

  async function lookUpSite(id) {
    if (asked.has(id) || asked.size >= MAX_LOOKUPS) return;
    asked.add(id);
    try {
      const response = await fetch(`/api/v1/sites/${encodeURIComponent(id)}`, { credentials: "same-origin" });
      if (!response.ok) return;
      const site = await response.json();
      siteNames.set(id, [String(site.name ?? ""), String(site.client_id ?? "")]);
      if (site.client_id && !clientNames.has(site.client_id)) {
        const reply = await fetch(`/api/v1/clients/${encodeURIComponent(site.client_id)}`, { credentials: "same-origin" });
        if (reply.ok) clientNames.set(site.client_id, String((await reply.json()).name ?? ""));
      }
      for (const row of el.logbook.rows) {
        if (row.dataset.site === id) fillWhere(row.querySelector(".log-where"), { site_id: id });
      }
    } catch {
      // the names are a help, not the record: the entry's text stays
    }
  }

  /** Show an entry in its place (newest at the top); false when it is already shown. */
  function showEntry(entry, fresh) {
    if (!Number.isInteger(entry?.seq) || shown.has(entry.seq)) return false;
    let before = null;
    for (const row of el.logbook.rows) {
      if (Number(row.dataset.seq) < entry.seq) {
        before = row;
        break;
      }
    }
    const row = rowFor(entry, fresh);
    el.logbook.insertBefore(row, before);
    shown.set(entry.seq, row);
    if (fresh) added.push(row);
    return true;
  }

  function trim() {
    while (shown.size > MAX_ROWS) {
      const oldest = el.logbook.lastElementChild;
      shown.delete(Number(oldest.dataset.seq));
      unseen.delete(Number(oldest.dataset.seq));
      oldest.remove();
    }
  }

  function firstVisibleRow() {
    const top = el.logScroll.getBoundingClientRect().top;
    for (const row of el.logbook.rows) if (row.getBoundingClientRect().bottom > top + 30) return row;
    return null;
  }

  // ---------------------------------------------------------------- what arrived out of sight
  let added = []; // fresh rows shown by the change under way
  const unseen = new Set(); // sequences of new rows above the reading position, not yet seen

  /** Whether a row is inside the list's visible area, below its sticky column headers. */
  function inSight(row) {
    const area = el.logScroll.getBoundingClientRect();
    const head = el.logbook.parentElement.tHead?.getBoundingClientRect().height ?? 0;
    const box = row.getBoundingClientRect();
    return box.bottom > area.top + head + 4 && box.top < area.bottom - 4;
  }

  function updateMarker() {
    for (const seq of unseen) {
      const row = shown.get(seq);
      if (!row || inSight(row)) unseen.delete(seq);
    }
    const count = unseen.size;
    el.newMarker.hidden = count === 0;
    el.newMarker.textContent = count === 1 ? T("logbook.new_one") : T("logbook.new_many", { count });
  }

  /** Back to the newest entry: the top of the list, its first row focused, nothing left unseen. */
  function showNewest() {
    el.logScroll.scrollTop = 0;
    unseen.clear();
    updateMarker();
    (el.logbook.rows[0] ?? el.logScroll).focus({ preventScroll: true });
  }

  /** Change the view without moving the focus, nor the reading position of someone scrolled down. */
  function keepingView(change) {
    added = [];
    const focused = el.logbook.contains(document.activeElement) ? document.activeElement : null;
    const scrolled = el.logScroll.scrollTop > 0;
    const anchor = focused ?? (scrolled ? firstVisibleRow() : null);
    const anchorSeq = anchor ? Number(anchor.dataset.seq) : null;
    const anchorTop = anchor ? anchor.getBoundingClientRect().top : 0;
    change();
    const still = anchorSeq === null ? null : shown.get(anchorSeq);
    if (focused && still !== focused) {
      // the focused row left the view (trimmed, or replaced by a snapshot): its twin, or the nearest
      (still ?? el.logbook.lastElementChild ?? el.logScroll).focus({ preventScroll: true });
    }
    if (scrolled && still) el.logScroll.scrollTop += still.getBoundingClientRect().top - anchorTop;
    el.logEmpty.hidden = shown.size > 0;
    for (const row of added) if (row.isConnected && !inSight(row)) unseen.add(Number(row.dataset.seq));
    added = [];
    updateMarker();
  }

  // ---------------------------------------------------------------- live connection
  const live = { socket: null, chain: null, historySeq: null, retryMs: RETRY_FIRST_MS, timer: null };
  let lastMessageAt = Date.now();
  let stopped = false;

  const STATE_TEXT = {
    connecting: T("status.connecting"),
    connected: T("status.connected"),
    lost: T("status.lost"),
    signed_out: T("status.signed_out"),
  };

  function showState(state) {
    if (el.connection.dataset.state === state) return;
    el.connection.dataset.state = state;
    if (state === "signed_out") {
      const link = document.createElement("a");
      link.href = "/login";
      link.textContent = STATE_TEXT.signed_out;
      el.connectionText.replaceChildren(link);
    } else {
      el.connectionText.textContent = STATE_TEXT[state];
    }
  }

  function connect() {
    live.timer = null;
    if (stopped) return;
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    let socket;
    try {
      socket = new WebSocket(`${scheme}//${location.host}/api/v1/live?after=${lastSeq}`);
    } catch {
      retryLater();
      return;
    }
    live.socket = socket;
    lastMessageAt = Date.now();
    socket.addEventListener("message", (event) => {
      if (socket !== live.socket) return;
      lastMessageAt = Date.now();
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      receive(message);
    });
    socket.addEventListener("close", (event) => {
      if (socket !== live.socket) return;
      live.socket = null;
      if (stopped) return;
      if (event.code === 4401) {
        showState("signed_out"); // the session is gone: retrying cannot help
        return;
      }
      showState("lost");
      retryLater();
    });
  }

  function retryLater() {
    if (stopped || live.timer) return;
    const delay = live.retryMs;
    live.retryMs = Math.min(live.retryMs * 2, RETRY_MAX_MS);
    live.timer = setTimeout(connect, delay);
  }

  function drop() {
    const socket = live.socket;
    live.socket = null;
    socket?.close();
    if (stopped) return;
    showState("lost");
    retryLater();
  }

  function reconnectNow() {
    clearTimeout(live.timer);
    live.timer = null;
    live.retryMs = RETRY_FIRST_MS;
    const socket = live.socket;
    live.socket = null;
    socket?.close();
    connect();
  }

  function receive(message) {
    switch (message?.type) {
      case "hello":
        return hello(message);
      case "entries":
        return keepingView(() => {
          const list = message.entries ?? [];
          // a burst (a storm's entries) draws only its newest rows, and the panel restarts from them so
          // it never shows a gap: the whole logbook stays a search away
          const drawFrom = list.length - BURST_ROWS;
          if (drawFrom > 0) {
            el.logbook.replaceChildren();
            shown.clear();
            unseen.clear();
          }
          list.forEach((entry, index) => {
            if (!Number.isInteger(entry?.seq) || entry.seq <= lastSeq) return;
            if (index >= drawFrom) showEntry(entry, entry.seq > live.historySeq);
            setLastSeq(entry.seq);
            alarmEntry(entry, entry.seq > live.historySeq);
            window.TocsinEventBoard?.entry(entry); // the event board keeps itself from incident entries
            window.TocsinVideo?.entry(entry); // a clip attached to an open alarm (alarm-video.js)
          });
          trim();
        });
      case "snapshot":
        return keepingView(() => {
          el.logbook.replaceChildren();
          shown.clear();
          let newest = 0;
          for (const entry of message.entries ?? []) {
            if (showEntry(entry, false)) newest = Math.max(newest, entry.seq);
            alarmEntry(entry, false);
          }
          trim();
          setLastSeq(Math.max(Number(message.seq) || 0, newest));
          live.historySeq = Math.max(live.historySeq ?? 0, lastSeq);
          loadAlarms(); // a snapshot skips entries: the queue is read again whole
          window.TocsinEventBoard?.reload(); // and so is the event board
        });
      case "heartbeat":
        return learnServerTime(message.at);
      default:
        return undefined;
    }
  }

  function hello(message) {
    const head = Number(message.seq) || 0;
    if ((live.chain !== null && message.chain !== live.chain) || head < lastSeq) {
      // another chain, or a logbook that went back (a restored database): start the view again
      live.chain = message.chain;
      live.historySeq = head;
      keepingView(() => {
        el.logbook.replaceChildren();
        shown.clear();
      });
      setLastSeq(0);
      reconnectNow();
      return;
    }
    live.chain = message.chain;
    if (live.historySeq === null) live.historySeq = head; // what was there before this console opened
    live.retryMs = RETRY_FIRST_MS;
    showState("connected");
    loadAlarms(); // at start and after each reconnection: what changed while away, then the entries
    window.TocsinEventBoard?.reload();
  }

  setInterval(() => {
    if (LIVE && live.socket && Date.now() - lastMessageAt > SILENCE_MS) drop();
  }, 1000);
  window.addEventListener("online", () => {
    if (LIVE && !live.socket && !stopped && el.connection.dataset.state !== "signed_out") reconnectNow();
  });
  window.addEventListener("pagehide", () => {
    stopped = true; // leaving or reloading: no "connection lost" flash
    live.socket?.close();
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && LIVE) {
      stopped = false;
      reconnectNow();
    }
  });

  // ---------------------------------------------------------------- server calls
  async function readJson(response) {
    try {
      return await response.json();
    } catch {
      return null;
    }
  }

  function errorDetail(reply, response) {
    const detail = reply?.detail;
    if (typeof detail === "string" && detail) return detail;
    if (Array.isArray(detail) && detail.length) return detail.map((d) => d?.msg ?? String(d)).join("; ");
    if (typeof reply?.error === "string" && reply.error) return reply.error;
    return T("error.http", { status: response.status });
  }

  const send = (method, url, body) =>
    fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": CSRF },
      body: JSON.stringify(body),
    });

  let noticeTimer = null;
  function notify(text, isError) {
    el.notice.textContent = text;
    el.notice.classList.toggle("is-error", Boolean(isError));
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => {
      el.notice.textContent = "";
    }, NOTICE_MS);
  }

  // ---------------------------------------------------------------- notes
  let sending = false;

  function showNoteError(text) {
    el.noteError.textContent = text;
    el.noteError.hidden = false;
    el.note.setAttribute("aria-invalid", "true");
  }

  function clearNoteError() {
    el.noteError.hidden = true;
    el.noteError.textContent = "";
    el.note.removeAttribute("aria-invalid");
  }

  el.note?.addEventListener("input", () => {
    if (!el.noteError.hidden) clearNoteError(); // the operator is acting on it
  });

  el.noteForm?.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (sending) return;
    const text = el.note.value.trim();
    if (!text) {
      showNoteError(T("note.empty"));
      return;
    }
    sending = true;
    clearNoteError();
    el.noteForm.setAttribute("aria-busy", "true");
    el.noteSubmit.textContent = T("note.sending");
    try {
      const onAlarm = (await noteOnOpenAlarm(text)) ?? (await noteOnOpenEvent(text));
      if (onAlarm) {
        if (onAlarm.error) showNoteError(T("note.error", { detail: onAlarm.error }));
        else if (el.note.value.trim() === text) el.note.value = ""; // its entry comes over the socket
        if (onAlarm.kept) notify(T("note.kept", { count: onAlarm.waiting }), false);
        return;
      }
      // through degraded.js's outbox: keyed and kept in this browser until the server has written it
      const outcome = await DEGRADED.note({ kind: "room", text });
      if (outcome.error) {
        showNoteError(T("note.error", { detail: outcome.error }));
        return;
      }
      if (el.note.value.trim() === text) el.note.value = ""; // keep whatever was typed meanwhile
      if (outcome.kept) {
        notify(T("note.kept", { count: outcome.waiting }), false);
        return;
      }
      const entry = outcome.reply?.entry;
      if (!LIVE) notify(T("note.recorded"), false); // no logbook on this screen to show it in
      else if (entry && entry.seq > lastSeq) {
        // shown at once; the socket brings it too, and showEntry refuses the second copy
        keepingView(() => {
          showEntry(entry, true);
          trim();
        });
      }
    } catch {
      showNoteError(T("note.error", { detail: T("note.offline") }));
    } finally {
      sending = false;
      el.noteForm.removeAttribute("aria-busy");
      el.noteSubmit.textContent = T("note.submit");
    }
  });

  // ---------------------------------------------------------------- language
  const languages = [...document.querySelectorAll(".lang-button")].map((button) => button.dataset.lang);

  async function switchLanguage(language) {
    if (!language || language === LANG) return;
    try {
      const response = await send("PUT", "/api/v1/me/language", { language });
      if (response.ok) {
        saveDraft();
        location.reload();
        return;
      }
      notify(T("error.language", { detail: errorDetail(await readJson(response), response) }), true);
    } catch {
      notify(T("error.language", { detail: T("error.offline") }), true);
    }
  }

  /** Keep the note being typed (and whether it had the focus) across the reload of a language switch. */
  function saveDraft() {
    if (!el.note?.value) return;
    const draft = { text: el.note.value, focused: document.activeElement === el.note };
    try {
      sessionStorage.setItem(NOTE_DRAFT, JSON.stringify(draft));
    } catch {
      // storage refused (private mode): the switch still happens
    }
  }

  function restoreDraft() {
    let draft = null;
    try {
      draft = JSON.parse(sessionStorage.getItem(NOTE_DRAFT) ?? "null");
      sessionStorage.removeItem(NOTE_DRAFT);
    } catch {
      return;
    }
    if (!el.note || typeof draft?.text !== "string") return;
    el.note.value = draft.text;
    if (draft.focused) {
      el.note.focus();
      el.note.setSelectionRange(draft.text.length, draft.text.length);
    }
  }

  for (const button of document.querySelectorAll(".lang-button")) {
    button.addEventListener("click", () => switchLanguage(button.dataset.lang));
  }

  // ---------------------------------------------------------------- alarms: the queue
  // Loaded from GET /api/v1/alarms at start and at each (re)connection, then kept current from the live
  // entries whose kind starts with "alarm." (their data is the alarm as it now stands). Rows are kept
  // per alarm and updated in place, so an update never takes the focus or the selection away.
  const ALARMS = document.body.dataset.alarms === "on" && Boolean(byId("queue-body"));
  const CAN_HANDLE = document.body.dataset.canHandle === "yes";
  const CAN_SUPERVISE = document.body.dataset.canSupervise === "yes";
  const AGE_LATE_URGENT_S = 30; // untaken P1-P2 alarms turn amber after this, the others after AGE_LATE_S
  const AGE_LATE_S = 60;
  const FLASH_MS = 1200;
  const FILE_REFRESH_MS = 250;
  const aq = {
    body: byId("queue-body"),
    count: byId("queue-count"),
    empty: byId("queue-empty"),
    detail: byId("detail-body"),
    map: byId("site-map"),
    mapEmpty: byId("map-empty"),
    settle: byId("settle-dialog"),
    settleForm: byId("settle-form"),
    settleWhat: byId("settle-what"),
    settleCodes: byId("settle-codes"),
    settleNote: byId("settle-note"),
    settleError: byId("settle-error"),
    close: byId("close-dialog"),
    closeForm: byId("close-form"),
    closeWhat: byId("close-what"),
    closeReason: byId("close-reason"),
    closeError: byId("close-error"),
    call: byId("call-dialog"),
    callForm: byId("call-form"),
    callWhat: byId("call-what"),
    callTargets: byId("call-targets"),
    callNumber: byId("call-number"),
    callWord: byId("call-word"),
    callError: byId("call-error"),
    noteLabel: document.querySelector(".note-label"),
  };
  const alarms = new Map(); // id -> the alarm (AlarmOut's fields)
  const alarmRows = new Map(); // id -> its queue row
  const RENDER_EVERY_MS = 100; // at most ten queue redraws a second, whatever the socket brings
  let renderTimer = null;
  const toAnnounce = []; // new urgent alarms to sound and flash at the next redraw
  const alarmEntries = new Map(); // id -> the live entries about it, oldest first
  const during = []; // alarm entries that arrived while the queue was loading
  let loadingAlarms = false;
  let queueKnown = false; // the server gave the queue once: what is drawn is worth keeping for a reload
  let selectedId = null;
  let openId = null;
  let openFile = null; // GET /api/v1/alarms/{id}
  let openSite = null; // GET /api/v1/sites/{site_id}
  let closureCodes = null;

  const alarmTitle = (alarm) => (LANG === "fr" ? alarm.title_fr : alarm.title_en) || T(`class.${alarm.alarm_class}`);
  const classWord = (name) => (STRINGS[`class.${name}`] ? T(`class.${name}`) : String(name ?? ""));
  const isSettled = (alarm) => alarm.state === "settled";

  /** Queue order: unsettled before settled, priority 1 first, oldest first (the API's order). */
  function queueOrder(a, b) {
    return (
      Number(isSettled(a)) - Number(isSettled(b)) ||
      (a.priority ?? 9) - (b.priority ?? 9) ||
      String(a.opened_at).localeCompare(String(b.opened_at))
    );
  }

  function mmss(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const pad = (n) => String(n).padStart(2, "0");
    return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
  }

  function cell(className, ...parts) {
    const td = document.createElement("td");
    if (className) td.className = className;
    td.append(...parts);
    return td;
  }

  function span(className, text) {
    const node = document.createElement("span");
    node.className = className;
    node.textContent = text;
    return node;
  }

  function prioBadge(priority) {
    const room = Number(priority) === 0; // the room's own alarm panel: above everything (docs/room.md)
    const badge = span(`prio prio-${room ? 0 : Math.min(Number(priority) || 9, 4)}`, room ? T("queue.room") : `P${priority}`);
    if (room) badge.title = T("queue.room_title");
    badge.dataset.testid = "alarm-priority";
    return badge;
  }

  /** The AVS-01 score (0-4) as the queue shows it; a dash until a verification is recorded. */
  function avsBadge(score) {
    const known = score !== null && score !== undefined;
    const badge = span(`avs avs-${known ? score : "none"}`, known ? String(score) : "—");
    badge.dataset.testid = "alarm-avs";
    return badge;
  }

  /** Whether what raised the alarm ended (every zone it heard restored: a panel's restore, a camera
   * back): an alarm with no zone of its own (a silent link) is never shown restored. */
  function isRestored(alarm) {
    return Boolean(alarm.back_to_normal) && (Boolean(alarm.restores_seen) || Object.keys(alarm.zones ?? {}).length > 0);
  }

  function fillAlarmRow(row, alarm) {
    row.dataset.alarmId = alarm.id;
    row.dataset.state = alarm.state;
    row.dataset.priority = String(alarm.priority);
    const flashing = row.classList.contains("is-flash");
    row.className = `alarm-row prio-row-${Math.min(alarm.priority, 4)}`;
    row.classList.toggle("is-flash", flashing); // an update never cuts the one flash short
    row.classList.toggle("is-settled", isSettled(alarm));
    row.classList.toggle("is-escalated", Boolean(alarm.escalated_at) && !isSettled(alarm));
    row.classList.toggle("is-selected", alarm.id === selectedId);
    row.classList.toggle("is-open", alarm.id === openId);
    row.setAttribute("aria-selected", String(alarm.id === selectedId));
    // what the row shows: rebuilt only when it changed (a queue of hundreds is redrawn on each update)
    const shown = [
      LANG, alarm.priority, alarm.state, alarm.alarm_class, alarm.site_ref, alarm.site_name,
      alarm.signal_count, alarm.holder_name, alarm.escalated_at ? 1 : 0, alarm.avs_score ?? "",
      isRestored(alarm) ? 1 : 0,
    ].join("\u001f");
    if (row.dataset.shown === shown) {
      tickRow(row, alarm);
      return;
    }
    row.dataset.shown = shown;
    const what = document.createElement("div");
    what.className = "alarm-what";
    what.append(span("alarm-class", classWord(alarm.alarm_class)));
    if (isRestored(alarm)) {
      const tag = span("alarm-restored", T("queue.restored"));
      tag.dataset.testid = "alarm-restored";
      what.append(" ", tag);
    }
    const site = document.createElement("div");
    site.className = "alarm-site";
    site.append(span("ref", alarm.site_ref ?? ""), " ", alarm.site_name ?? "");
    const age = span("age", "");
    age.dataset.testid = "alarm-age";
    const count = Number(alarm.signal_count) || 0;
    const signals = span("alarm-signals", count === 1 ? T("alarm.signals_one") : T("alarm.signals", { count }));
    const holder = alarm.holder_name || "";
    const who = isSettled(alarm)
      ? span("alarm-state", T("alarm.state.settled"))
      : span("alarm-holder", holder || "—");
    if (!isSettled(alarm) && !holder) who.classList.add("is-untaken");
    row.replaceChildren(
      cell("col-priority", prioBadge(alarm.priority)),
      cell("", what, site),
      cell("num", age, signals),
      cell("col-holder", who),
      cell("col-avs num", avsBadge(alarm.avs_score)),
    );
    tickRow(row, alarm);
  }

  function tickRow(row, alarm) {
    const age = row.querySelector(".age");
    if (!age) return;
    const opened = Date.parse(alarm.opened_at);
    const seconds = Number.isNaN(opened) ? 0 : (now().getTime() - opened) / 1000;
    age.textContent = mmss(seconds);
    const late = alarm.priority <= 2 ? AGE_LATE_URGENT_S : AGE_LATE_S;
    const escalated = Boolean(alarm.escalated_at) && !isSettled(alarm);
    age.classList.toggle("is-overdue", escalated);
    age.classList.toggle("is-late", !escalated && alarm.state === "new" && seconds >= late);
  }

  function tickAlarms() {
    for (const [id, row] of alarmRows) {
      const alarm = alarms.get(id);
      if (alarm) tickRow(row, alarm);
    }
  }

  /** Redraw the queue in its order, reusing each alarm's row: the focused row keeps the focus. */
  /** Redraw the queue soon, once for however many updates come meanwhile (a storm brings hundreds a
   * second); what must show at once (a new urgent alarm's flash) calls renderQueue itself. */
  function queueRender() {
    if (renderTimer === null) renderTimer = setTimeout(renderQueue, RENDER_EVERY_MS);
  }

  function renderQueue() {
    if (renderTimer !== null) {
      clearTimeout(renderTimer);
      renderTimer = null;
    }
    if (!ALARMS) return;
    const focused = aq.body.contains(document.activeElement) ? document.activeElement : null;
    const ordered = [...alarms.values()].sort(queueOrder);
    for (const [id, row] of alarmRows) {
      if (!alarms.has(id)) {
        row.remove();
        alarmRows.delete(id);
      }
    }
    let previous = null;
    for (const alarm of ordered) {
      let row = alarmRows.get(alarm.id);
      if (!row) {
        row = document.createElement("tr");
        row.tabIndex = -1;
        row.dataset.testid = "alarm-row";
        row.addEventListener("click", () => {
          selectAlarm(row.dataset.alarmId, false);
          if (aq.detail) openAlarm(row.dataset.alarmId);
        });
        alarmRows.set(alarm.id, row);
      }
      fillAlarmRow(row, alarm);
      const wanted = previous ? previous.nextSibling : aq.body.firstChild;
      if (wanted !== row) aq.body.insertBefore(row, wanted);
      previous = row;
    }
    if (selectedId && !alarms.has(selectedId)) selectedId = null;
    if (focused && document.activeElement !== focused) {
      if (focused.isConnected) focused.focus({ preventScroll: true });
      else el.queue.focus({ preventScroll: true }); // its alarm left the queue: the queue keeps the focus
    }
    aq.count.textContent = String(ordered.filter((a) => !isSettled(a)).length);
    aq.empty.hidden = ordered.length > 0;
    if (queueKnown) DEGRADED.keepQueue(ordered); // the last known queue survives a reload in degraded mode
    announceDrawn();
  }

  /** The alarm as an entry's data tells it, merged into what the console knew of it. */
  function fromSnapshot(data, known) {
    const alarm = { ...(known ?? {}) };
    for (const key of [
      "site_id", "client_id", "site_ref", "site_name", "alarm_class", "priority", "state",
      "signal_count", "title_en", "title_fr", "opened_at", "back_to_normal", "avs_score",
    ]) {
      if (key in data) alarm[key] = data[key];
    }
    alarm.id = data.alarm_id;
    if ("holder" in data) alarm.holder_name = data.holder || "";
    if ("escalated" in data) alarm.escalated_at = data.escalated ? alarm.escalated_at || now().toISOString() : null;
    if ((data.restored_zones ?? []).length) alarm.restores_seen = true;
    return alarm;
  }

  /** An alarm entry from the socket: the queue, the open alarm's view, and a tone for a new urgent one. */
  function alarmEntry(entry, fresh) {
    if (entry.kind === "signal.received" && entry.alarm_id) return signalJoined(entry, fresh);
    const data = entry.data;
    if (!ALARMS || !data?.alarm_id || !String(entry.kind ?? "").startsWith("alarm.")) return;
    const list = alarmEntries.get(data.alarm_id) ?? [];
    if (!list.some((e) => e.seq === entry.seq)) {
      list.push(entry);
      list.sort((a, b) => a.seq - b.seq);
      alarmEntries.set(data.alarm_id, list.slice(-200));
    }
    if (loadingAlarms) during.push(entry);
    applyAlarmEntry(entry);
    const alarm = alarms.get(data.alarm_id);
    if (fresh && alarm && (entry.kind === "alarm.opened" || entry.kind === "alarm.reopened")) announce(alarm);
    if (data.alarm_id === openId) refreshOpenSoon();
  }

  /** A signal joined an alarm (or restored one of its zones): the signal's own entry says so, and the
   * alarm writes no entry of its own for a mere join. Counted only live: a queue loaded from the API
   * already holds what came before. */
  function signalJoined(entry, fresh) {
    if (!ALARMS) return;
    const alarm = alarms.get(entry.alarm_id);
    if (fresh && alarm && !loadingAlarms) {
      alarm.signal_count = (Number(alarm.signal_count) || 0) + 1;
      queueRender();
    }
    if (entry.alarm_id === openId) refreshOpenSoon();
  }

  function applyAlarmEntry(entry) {
    const data = entry.data;
    if (data.state === "closed") alarms.delete(data.alarm_id);
    else alarms.set(data.alarm_id, fromSnapshot(data, alarms.get(data.alarm_id)));
    queueRender();
  }

  async function loadAlarms() {
    if (!ALARMS || loadingAlarms) return;
    loadingAlarms = true;
    during.length = 0;
    try {
      const response = await fetch("/api/v1/alarms", { credentials: "same-origin" });
      if (!response.ok) return;
      const list = await response.json();
      if (!Array.isArray(list)) return;
      alarms.clear();
      for (const alarm of list) if (alarm?.id) alarms.set(alarm.id, alarm);
      queueKnown = true;
      for (const entry of during) if (entry.data) applyAlarmEntry(entry); // what changed meanwhile
      renderQueue();
      if (openId) refreshOpenSoon();
    } catch {
      // the socket's entries keep the queue meanwhile; the next connection loads it again
    } finally {
      loadingAlarms = false;
      during.length = 0;
    }
  }

  // ---------------------------------------------------------------- alarms: sound and flash
  let audio = null;
  function wakeAudio() {
    if (audio) return;
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      audio = new Context(); // browsers allow sound only after a gesture: the first key or click
    } catch {
      audio = null;
    }
  }
  document.addEventListener("keydown", wakeAudio, { capture: true, once: true });
  document.addEventListener("pointerdown", wakeAudio, { capture: true, once: true });

  /** A short tone made on the spot (nothing downloaded): higher and double for life-threatening classes. */
  function tone(alarm) {
    if (!audio) return;
    const lifeThreat = ["duress", "panic", "hold_up", "medical"].includes(alarm.alarm_class);
    const pitch = alarm.alarm_class === "fire" ? 660 : lifeThreat ? 990 : 880;
    const beeps = alarm.priority <= 1 ? 2 : 1;
    try {
      if (audio.state === "suspended") audio.resume();
      for (let i = 0; i < beeps; i += 1) {
        const start = audio.currentTime + i * 0.3;
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.type = "sine";
        osc.frequency.value = pitch;
        gain.gain.setValueAtTime(0.0001, start);
        gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.22);
        osc.connect(gain).connect(audio.destination);
        osc.start(start);
        osc.stop(start + 0.25);
      }
    } catch {
      // no sound device: the flash and the row still say it
    }
  }

  /** A new urgent alarm: a tone and a flash of its row, at the queue's next redraw (a storm's urgent
   * alarms then make one tone per redraw, not one each). */
  function announce(alarm) {
    if (alarm.priority > 2) return; // calm by default: only the urgent ones make a noise
    toAnnounce.push(alarm);
    queueRender();
  }

  function announceDrawn() {
    if (!toAnnounce.length) return;
    const urgent = toAnnounce.reduce((a, b) => (b.priority < a.priority ? b : a));
    document.body.dataset.lastTone = urgent.id;
    tone(urgent);
    for (const alarm of toAnnounce.splice(0)) {
      const row = alarmRows.get(alarm.id);
      if (!row) continue;
      row.classList.add("is-flash");
      setTimeout(() => row.classList.remove("is-flash"), FLASH_MS);
    }
  }

  // ---------------------------------------------------------------- alarms: selection and the alarm view
  function selectAlarm(id, focusRow) {
    selectedId = id;
    for (const [rowId, row] of alarmRows) {
      row.classList.toggle("is-selected", rowId === id);
      row.setAttribute("aria-selected", String(rowId === id));
    }
    const row = alarmRows.get(id);
    if (row && focusRow) row.focus({ preventScroll: true });
    row?.scrollIntoView({ block: "nearest" });
  }

  function moveSelection(step) {
    const ids = [...aq.body.rows].map((row) => row.dataset.alarmId);
    if (!ids.length) return;
    const at = ids.indexOf(selectedId);
    const next = at < 0 ? (step > 0 ? 0 : ids.length - 1) : Math.min(Math.max(at + step, 0), ids.length - 1);
    selectAlarm(ids[next], true);
  }

  /** The alarm the action keys act on: the open one, else the selected one. */
  const target = () => alarms.get(openId) ?? alarms.get(selectedId) ?? null;

  function nextAlarm() {
    const next = [...alarms.values()].filter((a) => a.state === "new").sort(queueOrder)[0];
    if (!next) {
      notify(T("alarm.none_waiting"), false);
      return;
    }
    selectAlarm(next.id, true);
    openAlarm(next.id);
  }

  async function getJson(url) {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) return null;
    return readJson(response);
  }

  async function openAlarm(id) {
    if (!aq.detail || !id) return;
    window.TocsinEventBoard?.close?.(); // the alarm takes the centre's place: one item open at a time
    const changed = id !== openId;
    openId = id;
    for (const [rowId, row] of alarmRows) row.classList.toggle("is-open", rowId === id);
    if (changed) {
      openFile = null;
      openSite = null;
      renderAlarm();
    }
    await refreshOpen();
    showNoteTarget();
  }

  let refreshTimer = null;
  function refreshOpenSoon() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refreshOpen, FILE_REFRESH_MS);
  }

  async function refreshOpen() {
    const id = openId;
    if (!id) return;
    try {
      const file = await getJson(`/api/v1/alarms/${encodeURIComponent(id)}`);
      if (id !== openId) return;
      if (file) openFile = file;
      else keptFileOf(id);
      const siteId = (file ?? openFile ?? alarms.get(id))?.site_id;
      if (siteId && openSite?.id !== siteId) {
        const site = await getJson(`/api/v1/sites/${encodeURIComponent(siteId)}`);
        if (id !== openId) return;
        if (site) {
          openSite = site;
          drawMap(siteId);
        }
      }
      if (file) DEGRADED.keepFile(id, openFile, openSite);
    } catch {
      // offline: the view keeps what it had (or what this browser kept) and the next entry asks again
      if (id === openId) keptFileOf(id);
    }
    renderAlarm();
  }

  /** Degraded mode: the alarm's file and site as this browser last kept them, when the server is away. */
  function keptFileOf(id) {
    if (openFile && openFile.id === id && openSite) return;
    const kept = DEGRADED.keptFile(id);
    if (!kept) return;
    openFile = openFile?.id === id ? openFile : kept.file;
    openSite = openSite ?? kept.site ?? null;
  }

  const mapLabel = (key, params) => (STRINGS[key] ? T(key, params) : undefined); // the map's own defaults else

  async function drawMap(siteId) {
    const module = window.TocsinSiteMap;
    if (!aq.map || !module?.draw) return;
    try {
      const data = await getJson(`/api/v1/sites/${encodeURIComponent(siteId)}/map`);
      if (!data || openSite?.id !== siteId) return;
      aq.map.hidden = false;
      if (aq.mapEmpty) aq.mapEmpty.hidden = true;
      const site = data.site ?? {};
      const map = module.draw(aq.map, data, {
        title: mapLabel("map.site", { ref: site.ref, name: site.name }),
        noCoordinates: mapLabel("map.no_coordinates"),
        noStreets: mapLabel("map.no_streets"),
        truncated: mapLabel("map.truncated"),
        zoomIn: mapLabel("map.zoom_in"),
        zoomOut: mapLabel("map.zoom_out"),
      });
      if (map && window.TocsinSiteCameras) {
        const cameras = await getJson(`/api/v1/sites/${encodeURIComponent(siteId)}/cameras`).catch(() => null);
        if (cameras && openSite?.id === siteId) window.TocsinSiteCameras.draw(map, cameras, { camera: mapLabel("camera.on_map") });
      }
    } catch {
      // the map is a help: the site file stays
    }
  }

  function heading(text) {
    const h = document.createElement("h3");
    h.className = "alarm-section";
    h.textContent = text;
    return h;
  }

  function table(className, headers, rows, testid) {
    const t = document.createElement("table");
    t.className = `grid alarm-table ${className}`;
    if (testid) t.dataset.testid = testid;
    const head = t.createTHead().insertRow();
    for (const text of headers) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = text;
      head.append(th);
    }
    const body = t.createTBody();
    for (const cells of rows) {
      const tr = body.insertRow();
      for (const part of cells) tr.append(part instanceof HTMLElement && part.tagName === "TD" ? part : cell("", part ?? ""));
    }
    return t;
  }

  function when(iso) {
    const at = new Date(iso);
    if (!iso || Number.isNaN(at.getTime())) return "";
    return fmtDay.format(at) === today ? fmtTime.format(at) : `${fmtShortDate.format(at)} ${fmtTime.format(at)}`;
  }

  const zoneKey = (zone) => (/^\d+$/.test(String(zone)) ? String(Number(zone)) : String(zone));

  function stateTag(word, level) {
    const tag = span(`zone-state is-${level}`, word);
    return tag;
  }

  function renderAlarm() {
    if (!aq.detail) return;
    const alarm = openFile ?? alarms.get(openId);
    if (!openId || !alarm) {
      aq.detail.replaceChildren();
      return;
    }
    const live = alarms.get(openId);
    const view = document.createElement("div");
    view.className = "alarm-view";
    view.dataset.testid = "alarm-view";
    view.dataset.alarmId = openId;
    view.dataset.state = live?.state ?? alarm.state ?? "";

    // what and where
    const head = document.createElement("div");
    head.className = "alarm-head";
    const title = document.createElement("p");
    title.className = "alarm-title";
    title.append(prioBadge(alarm.priority), " ", span("alarm-class", classWord(alarm.alarm_class)), " ", alarmTitle(alarm));
    const facts = document.createElement("p");
    facts.className = "alarm-facts";
    const state = live?.state ?? alarm.state;
    const stateWord = span("alarm-state-word", T(`alarm.state.${state}`));
    stateWord.dataset.testid = "alarm-state";
    facts.append(stateWord);
    const holder = live?.holder_name ?? alarm.holder_name;
    if (holder && state !== "settled") facts.append(" · ", T("alarm.held_by", { name: holder }));
    if (alarm.outcome) facts.append(" · ", T(`settle.${alarm.outcome}`), alarm.cause ? ` (${alarm.cause})` : "");
    if (alarm.escalated_at && state !== "settled") facts.append(" · ", span("alarm-escalated", T("alarm.escalated")));
    if (isRestored(alarm)) facts.append(" · ", span("alarm-restored", T("queue.restored")));
    facts.append(" · ", T("alarm.opened_at", { time: when(alarm.opened_at) }));
    head.append(title, facts);
    if (CAN_HANDLE) head.append(actionButtons(state));
    const calls = openFile?.id === openId ? openFile.calls ?? [] : [];
    if (calls.some((x) => x.result === "duress") || duressSeen.has(openId)) {
      const banner = document.createElement("p");
      banner.className = "duress-banner";
      banner.setAttribute("role", "alert");
      banner.dataset.testid = "duress-banner";
      banner.textContent = T("call.duress_banner");
      view.append(banner);
    }
    view.append(head);
    window.TocsinAlarmPlan?.render(view, { ...alarm, ...(live ?? {}) }); // alarm-plan.js: checklist, instructions

    // the site file
    const site = openSite;
    const siteBlock = document.createElement("div");
    siteBlock.className = "alarm-site-file";
    siteBlock.dataset.testid = "alarm-site";
    const name = document.createElement("p");
    name.className = "site-name";
    name.append(span("", site?.name ?? alarm.site_name ?? ""), " ", span("ref", site?.ref ?? alarm.site_ref ?? ""));
    siteBlock.append(name);
    if (site) {
      const address = [site.address, `${site.postcode ?? ""} ${site.city ?? ""}`.trim()].filter(Boolean).join(", ");
      if (address) siteBlock.append(span("site-address", address));
    }
    view.append(siteBlock);

    // zones: the site's status (alarm/normal) and the alarm's own (alarm/restored)
    const zones = new Map();
    for (const z of site?.zones ?? []) zones.set(zoneKey(z.number), { number: z.number, name: z.name });
    const status = alarm.site_status?.zones ?? {};
    for (const [zone, info] of Object.entries(status)) {
      const key = zoneKey(zone);
      zones.set(key, { ...(zones.get(key) ?? { number: zone }), site: info?.state });
    }
    for (const [zone, state2] of Object.entries(alarm.zones ?? {})) {
      const key = zoneKey(zone);
      zones.set(key, { ...(zones.get(key) ?? { number: zone }), own: state2 });
    }
    if (zones.size) {
      view.append(heading(T("alarm.zones")));
      const rows = [...zones.values()].map((z) => [
        z.number,
        z.name ?? "",
        z.site ? stateTag(T(`zone.${z.site}`), z.site === "alarm" ? "alarm" : "ok") : "",
        z.own ? stateTag(T(`zone.${z.own}`), z.own === "alarm" ? "alarm" : "ok") : "",
      ]);
      view.append(table("zones-table", [T("alarm.zone"), T("alarm.zone_name"), T("alarm.zone_site"), T("alarm.zone_alarm")], rows, "alarm-zones"));
    }

    // contacts in call order
    view.append(heading(T("alarm.contacts")));
    const contacts = site?.contacts ?? [];
    if (contacts.length) {
      const rows = contacts.map((c) => [
        String(c.call_order),
        c.name,
        c.role ?? "",
        (c.phones ?? []).join(" · "),
        callResult(calls.filter((x) => x.contact_id === c.id).at(-1)),
      ]);
      view.append(
        table("contacts-table", ["#", T("alarm.contact"), T("alarm.contact_role"), T("alarm.phones"), T("alarm.call_result")], rows, "alarm-contacts"),
      );
    } else view.append(span("empty-hint", T("alarm.no_contacts")));

    // the calls made for it
    if (calls.length) {
      view.append(heading(T("alarm.calls")));
      const rows = [...calls].reverse().map((x) => [
        when(x.at),
        x.call_order ? x.contact_name : T("call.site"),
        x.number,
        callResult(x),
        x.by ?? "",
      ]);
      view.append(table("calls-table", [T("logbook.time"), T("alarm.contact"), T("call.number"), T("call.outcome"), T("logbook.actor")], rows, "alarm-calls"));
      if (openFile?.ecv) {
        const ecv = span("call-ecv", T("alarm.ecv"));
        ecv.dataset.testid = "alarm-ecv";
        view.append(ecv);
      }
    }

    window.TocsinVerify?.decorate(view, openId, live ?? alarm); // the levée de doute (alarm-verify.js)
    window.TocsinVideo?.decorate(view, openId, live ?? alarm); // clips and live pictures (alarm-video.js)

    // the signals
    const history = alarm.history ?? [];
    if (history.length) {
      view.append(heading(T("alarm.history")));
      const rows = history.map((h) => [
        when(h.at),
        h.code ?? "",
        h.zone ?? "",
        (LANG === "fr" ? h.label_fr : h.label_en) ?? "",
        stateTag(T(`nature.${h.nature}`), h.nature === "new" ? "alarm" : h.nature === "restore" ? "ok" : "quiet"),
      ]);
      view.append(table("history-table", [T("logbook.time"), T("alarm.code"), T("alarm.zone"), T("logbook.text"), ""], rows, "alarm-history"));
    }

    // the alarm's logbook
    view.append(heading(T("alarm.logbook")));
    const entries = alarmEntries.get(openId) ?? [];
    if (entries.length) {
      const rows = [...entries].reverse().map((e) => [when(e.recorded_at), actorName(e.actor), e.text ?? ""]);
      const log = table("alarm-log", [T("logbook.time"), T("logbook.actor"), T("logbook.text")], rows, "alarm-logbook");
      [...log.tBodies[0].rows].forEach((tr, i) => (tr.dataset.kind = [...entries].reverse()[i].kind));
      view.append(log);
    } else view.append(span("empty-hint", T("alarm.no_entries")));

    // the site's recent alarms
    const recent = (alarm.recent ?? []).filter((r) => r.id !== openId);
    view.append(heading(T("alarm.recent")));
    if (recent.length) {
      const rows = recent.map((r) => [
        when(r.opened_at),
        prioBadge(r.priority),
        classWord(r.alarm_class),
        T(`alarm.state.${r.state}`),
        r.outcome ? `${T(`settle.${r.outcome}`)}${r.cause ? ` (${r.cause})` : ""}` : "",
      ]);
      view.append(table("recent-table", [T("alarm.opened"), T("queue.priority"), T("queue.type"), T("alarm.state"), T("alarm.outcome")], rows, "alarm-recent"));
    } else view.append(span("empty-hint", T("alarm.no_recent")));

    // keep the reading position of someone scrolled in the view
    const top = aq.detail.scrollTop;
    aq.detail.replaceChildren(view);
    aq.detail.scrollTop = top;
  }

  function actionButtons(state) {
    const bar = document.createElement("div");
    bar.className = "alarm-actions";
    const add = (key, label, action, enabled) => {
      const button = document.createElement("button");
      button.type = "button";
      button.tabIndex = -1; // the keys are the way; the buttons are for the mouse
      button.dataset.action = key;
      button.disabled = !enabled;
      button.append(`${label} `);
      const kbd = document.createElement("kbd");
      kbd.textContent = key.toUpperCase();
      button.append(kbd);
      button.addEventListener("click", action);
      bar.append(button);
    };
    add("t", T("keys.take"), takeAlarm, state === "new" || (CAN_SUPERVISE && state === "taken"));
    add("r", T("keys.release"), releaseAlarm, state === "taken");
    add("s", T("keys.settle"), openSettle, state === "taken");
    add("p", T("keys.call"), openCall, state === "taken");
    if (CAN_SUPERVISE) add("c", T("keys.close"), openClose, state !== "closed");
    return bar;
  }

  function showNoteTarget() {
    if (!aq.noteLabel || !CAN_HANDLE) return;
    const alarm = alarms.get(openId);
    const event = alarm ? null : window.TocsinEventBoard?.opened?.();
    let text = T("note.label");
    if (alarm) text = T("note.on_alarm", { site: alarm.site_ref ?? "" });
    else if (event) text = T("note.on_event", { label: event.label });
    aq.noteLabel.firstChild.textContent = `${text} `;
  }

  // ---------------------------------------------------------------- alarms: acts
  async function act(alarm, verb, body) {
    try {
      const response = await send("POST", `/api/v1/alarms/${encodeURIComponent(alarm.id)}/${verb}`, body ?? {});
      const reply = await readJson(response);
      if (!response.ok) return { error: errorDetail(reply, response) };
      if (reply?.id) {
        if (reply.state === "closed") alarms.delete(reply.id);
        else alarms.set(reply.id, { ...(alarms.get(reply.id) ?? {}), ...reply });
        renderQueue();
        if (reply.id === openId) refreshOpenSoon();
      }
      return { reply };
    } catch {
      return { error: T("error.offline") };
    }
  }

  async function simpleAct(verb, done) {
    const alarm = target();
    if (!alarm) {
      notify(T("alarm.none_selected"), true);
      return;
    }
    const { error } = await act(alarm, verb);
    if (error) notify(T("alarm.refused", { detail: error }), true);
    else {
      notify(T(done, { site: alarm.site_ref ?? "" }), false);
      if (verb === "take" && openId !== alarm.id) openAlarm(alarm.id);
    }
  }

  const takeAlarm = () => simpleAct("take", "alarm.took");
  const releaseAlarm = () => simpleAct("release", "alarm.released");

  let dialogReturn = null;
  function openDialog(dialog, focus) {
    dialogReturn = document.activeElement;
    dialog.showModal();
    focus.focus();
  }
  function closeDialog(dialog) {
    if (dialog.open) dialog.close();
  }
  for (const dialog of [aq.settle, aq.close, aq.call]) {
    dialog?.addEventListener("close", () => {
      const back = dialogReturn?.isConnected && dialogReturn !== document.body ? dialogReturn : null;
      dialogReturn = null;
      if (back) back.focus();
      else focusHome();
    });
  }

  async function codes() {
    if (closureCodes) return closureCodes;
    const list = await getJson("/api/v1/alarms/closure-codes").catch(() => null);
    if (Array.isArray(list)) closureCodes = list;
    return closureCodes ?? [];
  }

  let settling = null;
  function settleOutcome() {
    return aq.settleForm.querySelector('input[name="outcome"]:checked')?.value ?? "";
  }

  async function openSettle() {
    const alarm = target();
    if (!alarm || !aq.settle) {
      notify(T("alarm.none_selected"), true);
      return;
    }
    settling = alarm;
    aq.settleForm.reset();
    aq.settleError.hidden = true;
    aq.settleWhat.textContent = `P${alarm.priority} ${classWord(alarm.alarm_class)} · ${alarm.site_ref ?? ""} ${alarm.site_name ?? ""}`;
    await codes();
    listCodes();
    openDialog(aq.settle, aq.settleForm);
  }

  /** The closure codes of the chosen outcome, numbered for the number keys (all, before a choice). */
  function listCodes() {
    const outcome = settleOutcome();
    const shown2 = (closureCodes ?? []).filter((c) => !outcome || c.outcome === outcome).slice(0, 9);
    aq.settleCodes.replaceChildren(
      ...shown2.map((code, i) => {
        const li = document.createElement("li");
        const label = document.createElement("label");
        const input = document.createElement("input");
        input.type = "radio";
        input.name = "cause";
        input.value = code.code;
        input.dataset.outcome = code.outcome;
        input.dataset.testid = `cause-${code.code}`;
        const kbd = document.createElement("kbd");
        kbd.textContent = String(i + 1);
        const text = (LANG === "fr" ? code.label_fr : code.label_en) || code.code;
        label.append(input, " ", kbd, ` ${text}`);
        li.append(label);
        return li;
      }),
    );
    if (!outcome) aq.settleCodes.append(span("empty-hint", T("settle.choose_outcome")));
  }

  function chooseOutcome(value) {
    const radio = aq.settleForm.querySelector(`input[name="outcome"][value="${value}"]`);
    if (radio) radio.checked = true;
    listCodes();
  }

  aq.settleForm?.addEventListener("change", (event) => {
    if (event.target.name === "outcome") listCodes();
  });

  aq.settle?.addEventListener("keydown", (event) => {
    if (event.target === aq.settleNote || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.toLowerCase();
    if (key === "f" || key === "r" || key === "v") {
      event.preventDefault();
      chooseOutcome(key === "f" ? "false" : "real");
    } else if (/^[1-9]$/.test(key)) {
      const radio = aq.settleCodes.querySelectorAll('input[name="cause"]')[Number(key) - 1];
      if (radio) {
        event.preventDefault();
        radio.checked = true;
        chooseOutcome(radio.dataset.outcome); // a code implies its outcome
        aq.settleCodes.querySelector(`input[value="${radio.value}"]`).checked = true;
      }
    } else if (key === "enter" && !(event.target instanceof HTMLButtonElement)) {
      event.preventDefault();
      aq.settleForm.requestSubmit();
    }
  });

  aq.settleForm?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const alarm = settling;
    const outcome = settleOutcome();
    const cause = aq.settleForm.querySelector('input[name="cause"]:checked')?.value ?? "";
    const fail = (text) => {
      aq.settleError.textContent = text;
      aq.settleError.hidden = false;
    };
    if (!alarm) return closeDialog(aq.settle);
    if (!outcome) return fail(T("settle.need_outcome"));
    if (!cause) return fail(T("settle.need_cause"));
    const body = { outcome, cause };
    const note = aq.settleNote.value.trim();
    if (note) body.note = note;
    const { error } = await act(alarm, "settle", body);
    if (error) return fail(T("alarm.refused", { detail: error }));
    closeDialog(aq.settle);
    notify(T("alarm.settled", { site: alarm.site_ref ?? "" }), false);
    return undefined;
  });
  byId("settle-cancel")?.addEventListener("click", () => closeDialog(aq.settle));

  let closing = null;
  function openClose() {
    const alarm = target();
    if (!alarm || !aq.close) {
      notify(T("alarm.none_selected"), true);
      return;
    }
    closing = alarm;
    aq.closeForm.reset();
    aq.closeError.hidden = true;
    aq.closeWhat.textContent = `P${alarm.priority} ${classWord(alarm.alarm_class)} · ${alarm.site_ref ?? ""} ${alarm.site_name ?? ""}`;
    openDialog(aq.close, aq.closeReason);
  }

  aq.closeForm?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const alarm = closing;
    if (!alarm) return closeDialog(aq.close);
    const reason = aq.closeReason.value.trim();
    if (!reason) {
      aq.closeError.textContent = T("close.need_reason");
      aq.closeError.hidden = false;
      return undefined;
    }
    const { error } = await act(alarm, "close", { reason });
    if (error) {
      aq.closeError.textContent = T("alarm.refused", { detail: error });
      aq.closeError.hidden = false;
      return undefined;
    }
    closeDialog(aq.close);
    notify(T("alarm.closed", { site: alarm.site_ref ?? "" }), false);
    return undefined;
  });
  byId("close-cancel")?.addEventListener("click", () => closeDialog(aq.close));

  // ---------------------------------------------------------------- alarms: call-backs
  // The word a contact gives is typed in a password field, sent once and cleared: the console never
  // shows it again, and the server answers only the result. A duress result shows a red banner in the
  // alarm view: the operator carries on the call as if all were well, then calls the police.
  const duressSeen = new Set(); // alarms a duress word was given on, in this console

  /** A call's outcome and the word check, as the contacts table and the calls list show it. */
  function callResult(attempt) {
    if (!attempt) return "";
    const word = attempt.outcome === "answered" ? T(`call.result.${attempt.result}`) : T(`call.${attempt.outcome}`);
    const level = { password: "ok", duress: "alarm", wrong: "alarm" }[attempt.result] ?? "quiet";
    const tag = span(`zone-state is-${level} call-result`, word);
    tag.dataset.testid = "call-result";
    tag.dataset.result = attempt.result;
    tag.dataset.outcome = attempt.outcome;
    return tag;
  }

  let calling = null;
  let callTargets = []; // [{contact_id, number, label}] in call order; the digit is the index + 1

  async function openCall() {
    const alarm = target();
    if (!alarm || !aq.call) {
      notify(T("alarm.none_selected"), true);
      return;
    }
    if (openId !== alarm.id) await openAlarm(alarm.id);
    calling = alarm;
    aq.callForm.reset();
    aq.callError.hidden = true;
    aq.callWhat.textContent = `P${alarm.priority} ${classWord(alarm.alarm_class)} · ${alarm.site_ref ?? ""} ${alarm.site_name ?? ""}`;
    const contacts = openSite?.id === alarm.site_id ? openSite.contacts ?? [] : [];
    callTargets = contacts.flatMap((c) => (c.phones ?? []).map((number) => ({ contact_id: c.id, number, label: `${c.name} · ${number}` })));
    callTargets = callTargets.slice(0, 9);
    const site = document.createElement("li");
    site.append(callChoice("0", "", T("call.site")));
    aq.callTargets.replaceChildren(...callTargets.map((x, i) => {
      const li = document.createElement("li");
      li.append(callChoice(String(i + 1), String(i), x.label));
      return li;
    }), site);
    openDialog(aq.call, aq.callForm);
  }

  function callChoice(key, index, text) {
    const label = document.createElement("label");
    const input = document.createElement("input");
    input.type = "radio";
    input.name = "whom";
    input.value = index;
    input.dataset.testid = `call-target-${key}`;
    const kbd = document.createElement("kbd");
    kbd.textContent = key;
    label.append(input, " ", kbd, ` ${text}`);
    return label;
  }

  function chooseTarget(key) {
    const radio = aq.callTargets.querySelector(`[data-testid="call-target-${key}"]`);
    if (!radio) return;
    radio.checked = true;
    if (key === "0") {
      aq.callNumber.value = "";
      aq.callNumber.focus(); // the site's number is typed
    } else aq.callNumber.value = callTargets[Number(radio.value)].number;
  }

  function chooseCallOutcome(value) {
    const radio = aq.callForm.querySelector(`input[name="outcome"][value="${value}"]`);
    if (!radio) return;
    radio.checked = true;
    if (value === "answered") aq.callWord.focus();
    else aq.callWord.value = "";
  }

  aq.callForm?.addEventListener("change", (event) => {
    if (event.target.name === "whom") chooseTarget(event.target.value === "" ? "0" : String(Number(event.target.value) + 1));
  });

  aq.call?.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.toLowerCase();
    if (key === "enter" && !(event.target instanceof HTMLButtonElement)) {
      event.preventDefault();
      aq.callForm.requestSubmit();
      return;
    }
    if (event.target === aq.callNumber || event.target === aq.callWord) return; // typing
    const outcomes = { a: "answered", n: "no_answer", b: "busy", w: "wrong_person" };
    if (/^[0-9]$/.test(key)) {
      event.preventDefault();
      chooseTarget(key);
    } else if (key in outcomes) {
      event.preventDefault();
      chooseCallOutcome(outcomes[key]);
    }
  });

  aq.call?.addEventListener("close", () => {
    aq.callWord.value = ""; // the word leaves the page with the dialog
  });

  aq.callForm?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const alarm = calling;
    const fail = (text) => {
      aq.callError.textContent = text;
      aq.callError.hidden = false;
    };
    if (!alarm) return closeDialog(aq.call);
    const whom = aq.callTargets.querySelector('input[name="whom"]:checked');
    const number = aq.callNumber.value.trim();
    const outcome = aq.callForm.querySelector('input[name="outcome"]:checked')?.value ?? "";
    if (!number) return fail(T("call.need_number"));
    if (!outcome) return fail(T("call.need_outcome"));
    const chosen = whom && whom.value !== "" ? callTargets[Number(whom.value)] : null;
    const body = { contact_id: chosen?.contact_id ?? null, number, outcome }; // the server checks the number is theirs
    const word = aq.callWord.value;
    aq.callWord.value = ""; // sent once, never shown again
    if (outcome === "answered" && word.trim()) body.word = word;
    let reply;
    try {
      const response = await send("POST", `/api/v1/alarms/${encodeURIComponent(alarm.id)}/calls`, body);
      reply = await readJson(response);
      if (!response.ok) return fail(T("alarm.refused", { detail: errorDetail(reply, response) }));
    } catch {
      return fail(T("error.offline"));
    }
    if (reply?.alarm?.id) {
      alarms.set(reply.alarm.id, { ...(alarms.get(reply.alarm.id) ?? {}), ...reply.alarm });
      renderQueue();
    }
    if (reply?.result === "duress") duressSeen.add(alarm.id);
    closeDialog(aq.call);
    const shown2 = outcome === "answered" ? T(`call.result.${reply?.result ?? "none"}`) : T(`call.${outcome}`);
    notify(T("call.recorded", { result: shown2 }), false);
    await refreshOpen();
    return undefined;
  });
  byId("call-cancel")?.addEventListener("click", () => closeDialog(aq.call));

  /** A note written while an alarm is open goes on that alarm (its logbook entry names the alarm). */
  async function noteOnOpenAlarm(text) {
    const alarm = CAN_HANDLE ? alarms.get(openId) : null;
    if (!alarm) return null;
    const label = [alarm.site_ref, alarmTitle(alarm)].filter(Boolean).join(" · ");
    const outcome = await DEGRADED.note({ kind: "alarm", id: alarm.id, text, label });
    if (outcome.error) return { error: outcome.error };
    if (outcome.kept) return { kept: true, waiting: outcome.waiting };
    const reply = outcome.reply;
    if (reply?.id) {
      if (reply.state === "closed") alarms.delete(reply.id);
      else alarms.set(reply.id, { ...(alarms.get(reply.id) ?? {}), ...reply });
      renderQueue();
      if (reply.id === openId) refreshOpenSoon();
    }
    return { ok: true };
  }

  /** With no alarm open, a note written while an event's file is shown goes on that event (its narrative). */
  async function noteOnOpenEvent(text) {
    const event = CAN_HANDLE ? window.TocsinEventBoard?.opened?.() : null;
    if (!event) return null;
    const outcome = await DEGRADED.note({ kind: "event", id: event.id, text, label: event.label });
    if (outcome.error) return { error: outcome.error };
    if (outcome.kept) return { kept: true, waiting: outcome.waiting };
    return { ok: true }; // the board updates the file from the entry the socket brings
  }

  // ---------------------------------------------------------------- keyboard
  const TEXT_INPUTS = new Set(["text", "password", "search", "email", "number", "tel", "url", ""]);
  const isField = (node) =>
    node instanceof HTMLElement &&
    (node.isContentEditable ||
      node instanceof HTMLTextAreaElement ||
      node instanceof HTMLSelectElement ||
      (node instanceof HTMLInputElement && TEXT_INPUTS.has(node.type)));

  let returnTo = null; // where Esc leads back to from a field
  document.addEventListener("focusin", (event) => {
    if (!isField(event.target)) return;
    const from = event.relatedTarget;
    if (!isField(from)) returnTo = from instanceof HTMLElement && from !== document.body ? from : null;
  });

  /** Where the focus goes when there is nowhere better: the queue, else the logbook, else the page. */
  function focusHome() {
    const home = el.queue ?? el.logScroll;
    if (home) home.focus();
    else document.activeElement?.blur?.();
  }

  function leaveField() {
    const back = returnTo?.isConnected ? returnTo : null;
    returnTo = null;
    if (back) back.focus();
    else focusHome();
  }


  let helpReturn = null;
  function openHelp() {
    helpReturn = document.activeElement;
    el.help.showModal();
  }
  el.help.addEventListener("close", () => {
    const back = helpReturn?.isConnected && helpReturn !== document.body ? helpReturn : null;
    helpReturn = null;
    if (back) back.focus();
    else focusHome();
  });
  el.help.addEventListener("keydown", (event) => {
    if (event.key === "?") {
      event.preventDefault();
      el.help.close();
    }
  });

  /** Arrow keys, Home, End, Page Up/Down inside the logbook list; true when handled. */
  function moveInLogbook(event) {
    const rows = el.logbook.rows;
    if (!rows.length) return false;
    const row = event.target.closest?.("tr");
    const at = row && row.parentElement === el.logbook ? Array.prototype.indexOf.call(rows, row) : -1;
    const last = rows.length - 1;
    const targets = {
      ArrowDown: at < 0 ? 0 : Math.min(at + 1, last),
      ArrowUp: Math.max(at - 1, 0),
      PageDown: Math.min(Math.max(at, 0) + 10, last),
      PageUp: Math.max(at - 10, 0),
      Home: 0,
      End: last,
    };
    if (!(event.key in targets)) return false;
    event.preventDefault();
    const next = rows[targets[event.key]];
    next.focus({ preventScroll: true });
    next.scrollIntoView({ block: "nearest" });
    return true;
  }

  const KEYS = { "?": openHelp };
  if (el.note) KEYS.n = () => el.note.focus();
  if (LIVE) KEYS.l = showNewest;
  if (el.queue) KEYS.q = () => el.queue.focus();
  if (ALARMS) {
    KEYS.j = () => moveSelection(1);
    KEYS.k = () => moveSelection(-1);
    KEYS.ArrowDown = KEYS.j;
    KEYS.ArrowUp = KEYS.k;
    if (aq.detail) KEYS.Enter = () => openAlarm(selectedId);
  }
  if (ALARMS && CAN_HANDLE) {
    KEYS[" "] = nextAlarm;
    KEYS.t = takeAlarm;
    KEYS.r = releaseAlarm;
    KEYS.s = openSettle;
    KEYS.p = openCall;
  }
  if (ALARMS && CAN_SUPERVISE) KEYS.c = openClose;
  if (window.TocsinEventBoard) KEYS.b = () => window.TocsinEventBoard.focus();
  if (window.TocsinEventBoard) {
    // D: the open event's debrief; with no event's file open, D stays the alarm's request (alarm-verify.js)
    const debrief = () => document.querySelector('[data-testid="event-debrief"]')?.click();
    debrief.when = () => Boolean(window.TocsinEventBoard.opened());
    KEYS.d = debrief;
  }
  if (document.querySelector('[data-testid="sites-link"]')) KEYS["/"] = () => window.location.assign("/console/sites");

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.isComposing) return;
    const altL = event.altKey && !event.ctrlKey && !event.metaKey && (event.code === "KeyL" || event.key.toLowerCase() === "l");
    if (altL) {
      event.preventDefault();
      switchLanguage(languages[(languages.indexOf(LANG) + 1) % languages.length]);
      return;
    }
    if (el.help.open || aq.settle?.open || aq.close?.open || aq.call?.open) return; // a dialog has its own keys
    if (document.querySelector("dialog.verify-dialog[open]")) return; // alarm-verify.js's, likewise
    if (document.querySelector("dialog.deadman-dialog[open]")) return; // deadman.js's: Enter confirms
    if (isField(event.target)) {
      if (event.key === "Escape") {
        event.preventDefault();
        leaveField();
      }
      return; // typing: letter keys are text
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return; // the browser's and the system's keys
    if (el.logScroll?.contains(event.target) && moveInLogbook(event)) return;
    const activates = event.target instanceof HTMLButtonElement || event.target instanceof HTMLAnchorElement;
    if (activates && (event.key === "Enter" || event.key === " ")) return; // a focused button's own keys
    const action = KEYS[event.key.length === 1 ? event.key.toLowerCase() : event.key];
    if (action && (!action.when || action.when())) {
      event.preventDefault();
      action();
    }
  });

  // what alarm-verify.js uses of this console (it adds the levée de doute to the alarm view)
  window.TocsinConsole = {
    T, LANG, send, readJson, errorDetail, notify, when, heading, table, span, isField,
    canHandle: CAN_HANDLE,
    openAlarm: () => (openId ? alarms.get(openId) ?? openFile : null),
    refresh: () => refreshOpenSoon(),
    noteTarget: () => showNoteTarget(),
    /** An event's file is opened in the centre: the open alarm's view is put away (event-board.js). */
    closeAlarm() {
      if (!openId) return;
      openId = null;
      openFile = null;
      openSite = null;
      for (const row of alarmRows.values()) row.classList.remove("is-open");
      renderAlarm();
      showNoteTarget();
    },
    focusHome,
  };

  // ---------------------------------------------------------------- start
  restoreDraft();
  tick();
  // a page served while the node's database is away (degraded mode): the queue and the open alarm as this
  // browser last knew them, until the server answers again
  if (ALARMS && document.body.dataset.storeDown === "yes") {
    for (const alarm of DEGRADED.keptQueue() || []) if (alarm?.id) alarms.set(alarm.id, alarm);
    if (alarms.size) renderQueue();
    const keptOpen = aq.detail ? DEGRADED.keptOpen() : null;
    if (keptOpen && alarms.has(keptOpen)) openAlarm(keptOpen);
  }
  if (LIVE) {
    el.logEmpty.hidden = false;
    let pending = false;
    el.logScroll.addEventListener("scroll", () => {
      if (pending || unseen.size === 0) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        updateMarker();
      });
    });
    el.newMarker.addEventListener("click", showNewest);
    connect();
  } else if (ALARMS) {
    loadAlarms(); // no socket for this role: the queue as it stands when the page opens
  }
})();
