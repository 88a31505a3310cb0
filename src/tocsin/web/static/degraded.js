// Tocsin console, degraded mode (docs/degraded.md). Plain JavaScript, loaded before console.js.
//
// - Tells when the server stops answering: an API call that fails, times out or answers 502-504, the
//   live socket lost for a while, /health answering 503. A banner says so (in the page's language) until
//   the server answers again and every kept note is written.
// - Keeps what the operator needs in this browser (localStorage, per user), so a reload keeps it: the last
//   known queue and the last alarm files opened (console.js hands them over).
// - Notes go through an outbox: each gets a key made here (a UUID) and the time it was typed, is kept
//   in localStorage, and is sent in order; the server writes a key once, so a note sent twice (a lost
//   answer, a second tab) is written once. A note its target refuses when replayed (an alarm closed
//   meanwhile) is written in the room's logbook instead, naming its target: nothing typed is lost.
"use strict";

(() => {
  const STRINGS = JSON.parse(document.getElementById("ui-strings")?.textContent || "{}");
  const T = (key, params = {}) =>
    (STRINGS[key] ?? key).replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  const CSRF = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  const USER = document.body.dataset.user || "anonymous";
  const KEY = (what) => `tocsin.degraded.${what}.${USER}`;
  const FETCH_TIMEOUT_MS = 15000; // the server answers 503 within about 7 s when its database is silent
  const LOST_GRACE_MS = 5000; // a live socket lost this long (not reconnecting) is degraded mode
  const HEALTH_UP_MS = 10000; // /health asked this often while all is well (a silent database shows there)
  const HEALTH_DOWN_MS = 2000; // and this often while degraded
  const RETRY_MS = 3000; // kept notes tried again this often while they cannot be written
  const KEEP_QUEUE_EVERY_MS = 1000;
  const FILES_AT_MOST = 20; // alarm files kept for a reload
  const NOTES_AT_MOST = 2000; // kept notes: past it the oldest are not dropped, new ones are refused

  const banner = document.getElementById("degraded-banner");
  const bannerText = document.getElementById("degraded-text");
  const state = { apiDown: false, liveLost: false, flushing: false, lostTimer: null };

  // ---------------------------------------------------------------- storage
  function load(what, fallback) {
    try {
      const raw = localStorage.getItem(KEY(what));
      return raw === null ? fallback : JSON.parse(raw);
    } catch {
      return fallback;
    }
  }

  function save(what, value) {
    try {
      localStorage.setItem(KEY(what), JSON.stringify(value));
      return true;
    } catch {
      return false; // storage full or refused: the memory copy still holds
    }
  }

  let outbox = load("notes", []);
  if (!Array.isArray(outbox)) outbox = [];
  const sentKeys = new Set(); // written (or refused) by this page: never taken back from the storage

  /** Merge what other tabs of this user kept (the storage is shared, each tab has its own copy): every
   * note once, in the order typed. A note sent twice by two tabs is written once by the server. */
  function sync() {
    const stored = load("notes", []);
    const byKey = new Map(outbox.map((n) => [n.key, n]));
    for (const note of Array.isArray(stored) ? stored : []) {
      if (note?.key && !byKey.has(note.key) && !sentKeys.has(note.key)) byKey.set(note.key, { ...note, replayed: true });
    }
    outbox = [...byKey.values()].sort((a, b) => String(a.typed_at).localeCompare(String(b.typed_at)));
  }

  function keep() {
    sync();
    save("notes", outbox);
  }

  // ---------------------------------------------------------------- is the server answering?
  const realFetch = window.fetch.bind(window);
  const isApi = (url) => url.startsWith("/api/") || url.startsWith(`${location.origin}/api/`);

  /** fetch, telling this module whether the server answered; a change (not a read, which may be long:
   * the town's streets) gets a deadline, so a note on a server that hears nothing is kept in time. */
  window.fetch = async (input, init = {}) => {
    const url = typeof input === "string" ? input : input?.url ?? "";
    if (!isApi(url)) return realFetch(input, init);
    const method = String(init.method ?? input?.method ?? "GET").toUpperCase();
    const controller = new AbortController();
    const timer = method === "GET" || init.signal ? null : setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
    try {
      const response = await realFetch(input, timer === null ? init : { ...init, signal: controller.signal });
      if (response.status >= 502 && response.status <= 504) serverTrouble();
      else serverAnswered();
      return response;
    } catch (error) {
      const theirs = error?.name === "AbortError" && init.signal?.aborted; // the caller gave up, not the server
      if (!theirs) serverTrouble();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };

  function serverTrouble() {
    if (!state.apiDown) {
      state.apiDown = true;
      scheduleHealth(HEALTH_DOWN_MS);
    }
    show();
  }

  function serverAnswered() {
    const was = state.apiDown;
    state.apiDown = false;
    if (was) scheduleHealth(HEALTH_UP_MS);
    show();
    if (outbox.length) flush();
  }

  let healthTimer = null;
  function scheduleHealth(delay) {
    clearTimeout(healthTimer);
    healthTimer = setTimeout(checkHealth, delay);
  }

  async function checkHealth() {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
    try {
      const response = await realFetch("/health", { credentials: "same-origin", signal: controller.signal });
      if (response.ok) serverAnswered();
      else serverTrouble();
    } catch {
      serverTrouble();
    } finally {
      clearTimeout(timer);
      scheduleHealth(state.apiDown ? HEALTH_DOWN_MS : HEALTH_UP_MS);
    }
  }

  // the live socket: console.js shows its state on #connection
  const connection = document.getElementById("connection");
  function watchLive() {
    const lost = connection?.dataset.state === "lost" || connection?.dataset.state === "connecting";
    if (!lost) {
      clearTimeout(state.lostTimer);
      state.lostTimer = null;
      if (state.liveLost) {
        state.liveLost = false;
        show();
        if (outbox.length) flush();
      }
      return;
    }
    if (state.lostTimer === null && !state.liveLost) {
      state.lostTimer = setTimeout(() => {
        state.lostTimer = null;
        state.liveLost = true;
        show();
        checkHealth();
      }, LOST_GRACE_MS);
    }
  }
  if (connection && connection.dataset.state !== "off") {
    new MutationObserver(watchLive).observe(connection, { attributes: true, attributeFilter: ["data-state"] });
    watchLive();
  }

  // ---------------------------------------------------------------- the banner
  const isDown = () => state.apiDown || state.liveLost;

  function show() {
    if (!banner) return;
    const down = isDown();
    const waiting = outbox.length;
    if (!down && waiting === 0) {
      banner.hidden = true;
      document.body.dataset.degraded = "off";
      return;
    }
    const parts = [];
    if (down) parts.push(T(state.apiDown ? "degraded.server" : "degraded.live"));
    else parts.push(T("degraded.replaying"));
    if (waiting) parts.push(T("degraded.kept", { count: waiting }));
    bannerText.textContent = parts.join(" · ");
    banner.dataset.state = down ? "down" : "replaying";
    banner.hidden = false;
    document.body.dataset.degraded = down ? "on" : "replaying";
  }

  // ---------------------------------------------------------------- notes: the outbox
  const uuid = () =>
    crypto.randomUUID?.() ??
    "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
      (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16),
    );

  const URLS = {
    alarm: (id) => `/api/v1/alarms/${encodeURIComponent(id)}/notes`,
    event: (id) => `/api/v1/events/${encodeURIComponent(id)}/notes`,
    room: () => "/api/v1/logbook/notes",
  };

  async function readJson(response) {
    try {
      return await response.json();
    } catch {
      return null;
    }
  }

  function detailOf(reply, response) {
    const detail = reply?.detail;
    if (typeof detail === "string" && detail) return detail;
    if (Array.isArray(detail) && detail.length) return detail.map((d) => d?.msg ?? String(d)).join("; ");
    return T("error.http", { status: response.status });
  }

  /** Send one kept note: "sent" with the server's reply, "wait" (try later) or "refused" with why. */
  async function sendOne(note) {
    let response;
    try {
      response = await window.fetch(URLS[note.kind](note.id), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": CSRF },
        body: JSON.stringify({ text: note.text, client_key: note.key, typed_at: note.typed_at }),
      });
    } catch {
      return { outcome: "wait" };
    }
    const reply = await readJson(response);
    if (response.ok) return { outcome: "sent", reply };
    if (response.status >= 500 || response.status === 401 || response.status === 429 || response.status === 408) {
      return { outcome: "wait" }; // the server or the session is away: kept, tried again
    }
    return { outcome: "refused", detail: detailOf(reply, response) };
  }

  let flushing = null;
  let retryTimer = null;
  const listeners = new Set();

  /** Write the kept notes in order, one at a time; the first that must wait stops the run. */
  function flush() {
    if (!flushing) {
      flushing = run().finally(() => {
        flushing = null;
      });
    }
    return flushing;
  }

  async function run() {
    clearTimeout(retryTimer);
    sync();
    while (outbox.length) {
      const note = outbox[0];
      const result = await sendOne(note);
      if (result.outcome === "wait") {
        retryTimer = setTimeout(flush, RETRY_MS);
        show();
        return "wait";
      }
      if (result.outcome === "refused" && note.kind !== "room" && note.replayed) {
        // its alarm or event refuses it now (closed meanwhile): the room's logbook keeps it, with its target
        const label = note.label || note.id;
        note.text = `${T("degraded.about", { label })} ${note.text}`.slice(0, 2000);
        note.kind = "room";
        note.id = null;
        keep();
        for (const listener of listeners) listener({ note, reaimed: true, detail: result.detail });
        continue;
      }
      sentKeys.add(note.key);
      outbox = outbox.filter((n) => n.key !== note.key);
      keep();
      for (const listener of listeners) listener({ note, ...result });
    }
    show();
    return "empty";
  }

  /** A note the operator wrote: kept, then sent after those kept before it.
   * Resolves {sent, reply} | {kept, waiting} | {error}. */
  async function note({ kind, id, text, label }) {
    if (!URLS[kind]) return { error: `unknown note target ${kind}` };
    if (outbox.length >= NOTES_AT_MOST) return { error: T("degraded.full", { count: NOTES_AT_MOST }) };
    const kept = { key: uuid(), kind, id: id ?? null, text, label: label ?? "", typed_at: new Date().toISOString(), replayed: false };
    outbox.push(kept);
    keep();
    show();
    if (isDown() && outbox.length > 1) {
      kept.replayed = true; // degraded already, notes waiting: kept at once, the retries send it in turn
      keep();
      return { kept: true, waiting: outbox.length };
    }
    let mine = null;
    const listener = (event) => {
      if (event.note === kept && !event.reaimed) mine = event;
    };
    listeners.add(listener);
    try {
      // a run already going reaches this note too, unless it stops to wait; one that was just ending may not
      const ended = await flush();
      if (mine === null && ended !== "wait" && outbox.includes(kept)) await flush();
    } finally {
      listeners.delete(listener);
    }
    if (mine?.outcome === "sent") return { sent: true, reply: mine.reply };
    if (mine?.outcome === "refused") return { error: mine.detail };
    kept.replayed = true; // from now on it is a replay: a refusal re-aims it at the room
    keep();
    return { kept: true, waiting: outbox.length };
  }

  // notes kept by an earlier page of this browser are replays
  for (const kept of outbox) kept.replayed = true;

  // ---------------------------------------------------------------- the queue and the files, for a reload
  let queueTimer = null;
  let queueLatest = null;
  function keepQueue(list) {
    queueLatest = list;
    if (queueTimer !== null) return;
    queueTimer = setTimeout(() => {
      queueTimer = null;
      save("queue", { at: new Date().toISOString(), alarms: queueLatest });
    }, KEEP_QUEUE_EVERY_MS);
  }

  function keptQueue() {
    const kept = load("queue", null);
    return Array.isArray(kept?.alarms) ? kept.alarms : null;
  }

  function keepFile(id, file, site) {
    if (!id || !file) return;
    const files = load("files", []).filter((f) => f?.id !== id);
    files.push({ id, file, site });
    save("files", files.slice(-FILES_AT_MOST));
    save("open", id);
  }

  function keptFile(id) {
    return load("files", []).find((f) => f?.id === id) ?? null;
  }

  window.addEventListener("storage", (event) => {
    if (event.key !== KEY("notes")) return;
    sync(); // another tab of this user kept or wrote notes
    show();
  });

  window.addEventListener("pagehide", () => {
    if (queueTimer !== null) {
      clearTimeout(queueTimer);
      queueTimer = null;
      save("queue", { at: new Date().toISOString(), alarms: queueLatest });
    }
  });

  window.TocsinDegraded = {
    note,
    flush,
    keepQueue,
    keptQueue,
    keepFile,
    keptFile,
    keptOpen: () => load("open", null),
    isDown,
    waiting: () => outbox.length,
    onNote: (listener) => listeners.add(listener),
  };

  show();
  if (document.body.dataset.storeDown === "yes") serverTrouble(); // the page itself came from a degraded node
  scheduleHealth(outbox.length ? 0 : HEALTH_UP_MS);
})();
