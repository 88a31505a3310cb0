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
          for (const entry of message.entries ?? []) {
            if (!Number.isInteger(entry?.seq) || entry.seq <= lastSeq) continue;
            showEntry(entry, entry.seq > live.historySeq);
            setLastSeq(entry.seq);
          }
          trim();
        });
      case "snapshot":
        return keepingView(() => {
          el.logbook.replaceChildren();
          shown.clear();
          let newest = 0;
          for (const entry of message.entries ?? []) {
            if (showEntry(entry, false)) newest = Math.max(newest, entry.seq);
          }
          trim();
          setLastSeq(Math.max(Number(message.seq) || 0, newest));
          live.historySeq = Math.max(live.historySeq ?? 0, lastSeq);
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
      const response = await send("POST", "/api/v1/logbook/notes", { text });
      const reply = await readJson(response);
      if (!response.ok) {
        showNoteError(T("note.error", { detail: errorDetail(reply, response) }));
        return;
      }
      if (el.note.value.trim() === text) el.note.value = ""; // keep whatever was typed meanwhile
      const entry = reply?.entry;
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

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.isComposing) return;
    const altL = event.altKey && !event.ctrlKey && !event.metaKey && (event.code === "KeyL" || event.key.toLowerCase() === "l");
    if (altL) {
      event.preventDefault();
      switchLanguage(languages[(languages.indexOf(LANG) + 1) % languages.length]);
      return;
    }
    if (el.help.open) return; // the dialog has its own keys: Esc and ? close it
    if (isField(event.target)) {
      if (event.key === "Escape") {
        event.preventDefault();
        leaveField();
      }
      return; // typing: letter keys are text
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return; // the browser's and the system's keys
    if (el.logScroll?.contains(event.target) && moveInLogbook(event)) return;
    const action = KEYS[event.key.length === 1 ? event.key.toLowerCase() : event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  // ---------------------------------------------------------------- start
  restoreDraft();
  tick();
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
  }
})();
