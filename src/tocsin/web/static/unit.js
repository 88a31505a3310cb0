// Tocsin unit page: a field crew's phone. Its assignment (the event's place on a small map drawn from
// the node's own streets, no tiles), big status buttons (only the legal next statuses are enabled),
// position sharing from the browser, situation updates, messages and reinforcement requests.
// Plain JavaScript, no build step, nothing from the internet. The page reads GET /api/v1/units/me at
// load, after each act and whenever its live socket (/api/v1/live: for a crew, only its unit's entries
// and those of the event it is engaged on) brings an entry; while the socket is down it reads it every
// FALLBACK_MS, and reconnects with a growing delay.
"use strict";

(() => {
  const STRINGS = JSON.parse(document.getElementById("ui-strings").textContent);
  const T = (key) => STRINGS[key] ?? key;
  const CSRF = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  const FALLBACK_MS = 30000; // the slow poll, while the live socket is down
  const SILENCE_MS = 40000; // the server's heartbeats come every 15 s: two missed ones mean the link is gone
  const RETRY_FIRST_MS = 1000;
  const RETRY_MAX_MS = 30000;
  const POSITION_EVERY_MS = 15000; // at most one position a quarter minute: each is a logbook entry
  const ORDER = [
    "acknowledged", "en_route", "on_scene", "transporting", "at_destination", "returning",
    "available", "unavailable", "out_of_service",
  ];
  const el = {
    status: document.getElementById("unit-status"),
    flag: document.getElementById("unit-flag"),
    note: document.getElementById("unit-note"),
    empty: document.getElementById("assignment-empty"),
    assignment: document.getElementById("assignment"),
    type: document.getElementById("assignment-type"),
    address: document.getElementById("assignment-address"),
    map: document.getElementById("assignment-map"),
    buttons: document.getElementById("status-buttons"),
    share: document.getElementById("share-position"),
    notes: document.getElementById("notes"),
    text: document.getElementById("report-text"),
    live: document.getElementById("unit-live"),
  };
  let unit = null;
  let eventId = null;
  let map = null;
  let layers = null;
  let watch = null;
  let lastSent = 0;

  const buttons = new Map();
  for (const status of ORDER) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = `big-button status-${status}`;
    button.dataset.status = status;
    button.dataset.testid = `status-${status}`;
    button.textContent = T(`unit.status.${status}`);
    button.disabled = true;
    button.addEventListener("click", () => act(`/api/v1/units/${unit.id}/status`, { status }));
    el.buttons.append(button);
    buttons.set(status, button);
  }

  function say(text, refused = false) {
    el.note.textContent = text;
    el.note.hidden = !text;
    el.note.classList.toggle("alert", refused);
  }

  async function post(url, body) {
    const answer = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": CSRF },
      body: JSON.stringify(body),
    });
    const data = await answer.json().catch(() => ({}));
    if (!answer.ok) throw new Error(data.detail ?? data.message ?? String(answer.status));
    return data;
  }

  async function act(url, body) {
    if (!unit) return;
    try {
      await post(url, body);
      say(T("mobile.sent"));
    } catch (error) {
      say(`${T("mobile.refused")}: ${error.message}`, true);
    }
    await load();
  }

  function drawUnit(found) {
    unit = found;
    document.getElementById("unit-callsign").textContent = found.callsign;
    el.status.textContent = T(`unit.status.${found.status}`);
    el.status.dataset.status = found.status;
    el.flag.hidden = !found.flag;
    el.flag.textContent = found.flag ? `${T("mobile.flag")}: ${T(`unit.flag.${found.flag}`)}` : "";
    const legal = new Set(found.legal_next ?? []);
    for (const [status, button] of buttons) {
      button.disabled = !legal.has(status);
      button.hidden = !legal.has(status) && status !== "available";
    }
  }

  function drawAssignment(assignment) {
    el.empty.hidden = Boolean(assignment);
    el.assignment.hidden = !assignment;
    el.notes.replaceChildren();
    if (!assignment) {
      eventId = null;
      return;
    }
    el.type.textContent = `P${assignment.priority} · ${assignment.type_label}`;
    el.address.textContent = assignment.address || "?";
    for (const note of [...(assignment.notes ?? [])].reverse()) {
      const li = document.createElement("li");
      li.dataset.kind = note.kind ?? "note";
      const at = new Date(note.at);
      const time = document.createElement("time");
      time.textContent = Number.isNaN(at.getTime()) ? "" : at.toLocaleTimeString(document.documentElement.lang, { hour12: false });
      const who = document.createElement("strong");
      who.textContent = note.by;
      li.append(time, " ", who, " ", note.text);
      el.notes.append(li);
    }
    if (assignment.event_id !== eventId) {
      eventId = assignment.event_id;
      drawMap();
    }
  }

  async function drawMap() {
    if (typeof L === "undefined") return;
    const answer = await fetch("/api/v1/units/me/map", { credentials: "same-origin" });
    if (!answer.ok) return;
    const data = await answer.json();
    if (!data.center) return;
    if (!map) {
      map = L.map(el.map, { attributionControl: false, zoomControl: true });
      layers = L.layerGroup().addTo(map);
    }
    layers.clearLayers();
    for (const street of data.streets) {
      L.polyline(street.points, { color: "#c3ccd6", weight: 3, opacity: 0.6 }).addTo(layers);
    }
    L.circleMarker(data.center, { radius: 10, color: "#f2f5f8", weight: 2, fillColor: "#ff6b6b", fillOpacity: 1 }).addTo(layers);
    if (data.unit) L.circleMarker(data.unit, { radius: 7, color: "#0b0f14", weight: 2, fillColor: "#4dabf7", fillOpacity: 1 }).addTo(layers);
    map.setView(data.center, 16);
  }

  let loading = null; // the read in flight
  let loadAgain = false; // an entry came while it ran: read once more after it

  async function load() {
    if (loading) {
      loadAgain = true;
      return loading;
    }
    loading = (async () => {
      do {
        loadAgain = false;
        await read();
      } while (loadAgain);
    })();
    try {
      await loading;
    } finally {
      loading = null;
    }
  }

  async function read() {
    try {
      const answer = await fetch("/api/v1/units/me", { credentials: "same-origin" });
      if (answer.status === 401) {
        window.location.assign("/login");
        return;
      }
      if (!answer.ok) throw new Error(String(answer.status));
      const mine = await answer.json();
      if (!mine.unit) {
        say(T("mobile.unlinked"), true);
        return;
      }
      drawUnit(mine.unit);
      drawAssignment(mine.assignment);
      if (el.note.textContent === T("mobile.offline")) say("");
    } catch {
      say(T("mobile.offline"), true);
    }
  }

  // ------------------------------------------------------------------ the live socket
  const live = { socket: null, timer: null, retryMs: RETRY_FIRST_MS, lastSeq: 0, heardAt: 0, stopped: false };

  function showLive(on) {
    if (!el.live) return;
    el.live.dataset.state = on ? "on" : "off";
    el.live.textContent = on ? T("mobile.live_on") : T("mobile.live_off");
  }

  function connect() {
    live.timer = null;
    if (live.stopped) return;
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    let socket;
    try {
      socket = new WebSocket(`${scheme}//${location.host}/api/v1/live?after=${live.lastSeq}`);
    } catch {
      retryLater();
      return;
    }
    live.socket = socket;
    live.heardAt = Date.now();
    socket.addEventListener("message", (event) => {
      if (socket !== live.socket) return;
      live.heardAt = Date.now();
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message.type === "hello") {
        live.retryMs = RETRY_FIRST_MS;
        live.lastSeq = Math.max(live.lastSeq, message.seq ?? 0);
        showLive(true);
        load(); // what changed while the socket was down
      } else if ((message.type === "entries" || message.type === "snapshot") && message.entries?.length) {
        for (const entry of message.entries) live.lastSeq = Math.max(live.lastSeq, entry.seq ?? 0);
        load(); // an entry about the unit or its event: the page reads where it stands
      }
    });
    socket.addEventListener("close", (event) => {
      if (socket !== live.socket) return;
      live.socket = null;
      showLive(false);
      if (event.code === 4401) {
        load(); // the session is over: the read sends the page to the login
        return;
      }
      if (event.code === 4403) return; // no feed for this login: the slow poll stays
      retryLater();
    });
  }

  function retryLater() {
    if (live.stopped || live.timer) return;
    const delay = live.retryMs;
    live.retryMs = Math.min(live.retryMs * 2, RETRY_MAX_MS);
    live.timer = setTimeout(connect, delay);
  }

  setInterval(() => {
    const open = live.socket?.readyState === WebSocket.OPEN;
    if (open && Date.now() - live.heardAt > SILENCE_MS) live.socket.close(); // silent: reconnect
    if (!open) load(); // the fallback while the socket is down
  }, FALLBACK_MS);
  window.addEventListener("pagehide", () => {
    live.stopped = true;
    live.socket?.close();
  });

  function sendPosition(position) {
    const now = Date.now();
    if (!unit || now - lastSent < POSITION_EVERY_MS) return;
    lastSent = now;
    const { latitude, longitude, accuracy } = position.coords;
    post(`/api/v1/units/${unit.id}/position`, { latitude, longitude, accuracy_m: accuracy ?? null })
      .then(() => say(T("mobile.position_on")))
      .catch((error) => say(`${T("mobile.refused")}: ${error.message}`, true));
  }

  el.share.addEventListener("click", () => {
    if (!("geolocation" in navigator)) {
      say(T("mobile.position_off"), true);
      return;
    }
    if (watch !== null) {
      navigator.geolocation.clearWatch(watch);
      watch = null;
      el.share.setAttribute("aria-pressed", "false");
      return;
    }
    lastSent = 0;
    el.share.setAttribute("aria-pressed", "true");
    watch = navigator.geolocation.watchPosition(sendPosition, () => say(T("mobile.position_off"), true), {
      enableHighAccuracy: true,
      maximumAge: 10000,
    });
  });

  for (const button of document.querySelectorAll(".report-buttons button")) {
    button.addEventListener("click", async () => {
      if (!unit) return;
      await act(`/api/v1/units/${unit.id}/reports`, { kind: button.dataset.kind, text: el.text.value });
      if (!el.note.classList.contains("alert")) el.text.value = "";
    });
  }

  load();
  connect();
})();
