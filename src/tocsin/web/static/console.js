// Tocsin console: live logbook over one WebSocket, room clock, keyboard first. No framework, no CDN.
(() => {
  "use strict";
  const T = JSON.parse(document.getElementById("ui-strings").textContent);
  const t = (key, params = {}) =>
    (T[key] || key).replace(/\{(\w+)\}/g, (_, name) => (name in params ? params[name] : `{${name}}`));
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const MAX_ROWS = 500;
  const STALE_MS = 40000;

  // ---- room clock ----
  const clock = document.getElementById("clock");
  const zone = clock.dataset.timeZone;
  const clockFormat = new Intl.DateTimeFormat(document.documentElement.lang, {
    timeZone: zone, hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false,
  });
  const tick = () => { clock.textContent = clockFormat.format(new Date()); };
  tick();
  setInterval(tick, 1000);

  // ---- logbook view ----
  const body = document.getElementById("logbook");
  const empty = document.getElementById("logbook-empty");
  let lastSeq = 0;
  const render = (entry, fresh) => {
    const row = document.createElement("tr");
    row.dataset.seq = String(entry.seq);
    if (fresh) row.className = "fresh";
    for (const [cls, text] of [
      ["time", clockFormat.format(new Date(entry.recorded_at))],
      ["actor", entry.actor],
      ["text", entry.text],
    ]) {
      const cell = document.createElement("td");
      cell.className = cls;
      cell.textContent = text;
      row.appendChild(cell);
    }
    if (fresh) setTimeout(() => row.classList.remove("fresh"), 2500);
    return row;
  };
  const setSeq = (seq) => {
    lastSeq = seq;
    document.body.dataset.liveSeq = String(seq);
  };
  const addEntries = (entries, fresh) => {
    for (const entry of entries) {
      if (entry.seq <= lastSeq) continue; // already shown: catch-up and live never duplicate
      body.insertBefore(render(entry, fresh), body.firstChild);
      setSeq(entry.seq);
    }
    while (body.rows.length > MAX_ROWS) body.deleteRow(body.rows.length - 1);
    empty.hidden = body.rows.length > 0;
  };
  const replaceAll = (entries, seq) => {
    body.textContent = "";
    lastSeq = 0;
    addEntries(entries, false);
    setSeq(Math.max(seq, lastSeq));
  };

  // ---- connection ----
  const connection = document.getElementById("connection");
  const showState = (state) => {
    connection.dataset.state = state;
    connection.querySelector(".text").textContent = t(`status.${state}`);
  };
  let socket = null;
  let retry = 1000;
  let lastMessage = Date.now();
  let firstBatch = true;
  const connect = () => {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/api/v1/live?after=${lastSeq}`);
    socket.onopen = () => { retry = 1000; };
    socket.onmessage = (event) => {
      lastMessage = Date.now();
      const message = JSON.parse(event.data);
      if (message.type === "hello") showState("connected");
      else if (message.type === "entries") {
        addEntries(message.entries, !firstBatch);
        firstBatch = false;
      } else if (message.type === "snapshot") replaceAll(message.entries, message.seq);
    };
    socket.onclose = () => {
      showState("lost");
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10000);
    };
  };
  setInterval(() => {
    if (socket && socket.readyState === WebSocket.OPEN && Date.now() - lastMessage > STALE_MS) {
      socket.close(); // silent for too long: treat as lost and reconnect
    }
  }, 5000);
  connect();

  // ---- notes ----
  const form = document.getElementById("note-form");
  const note = document.getElementById("note");
  const noteError = document.getElementById("note-error");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = note.value.trim();
    if (!text) return;
    noteError.hidden = true;
    try {
      const response = await fetch("/api/v1/logbook/notes", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ text }),
      });
      const reply = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(reply.detail || t("error.generic"));
      note.value = "";
      addEntries([reply.entry], true);
    } catch (error) {
      noteError.textContent = t("note.error", { detail: error.message });
      noteError.hidden = false;
    }
  });

  // ---- language ----
  const switchLanguage = async (language) => {
    const response = await fetch("/api/v1/me/language", {
      method: "PUT",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ language }),
    });
    if (response.ok) location.reload();
  };
  for (const button of document.querySelectorAll(".lang-button")) {
    button.addEventListener("click", () => switchLanguage(button.dataset.lang));
  }

  // ---- keyboard ----
  const help = document.getElementById("help");
  const typing = (target) =>
    target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target.isContentEditable;
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && typing(event.target)) {
      event.target.blur();
      return;
    }
    if (event.altKey && event.key.toLowerCase() === "l") {
      event.preventDefault();
      switchLanguage(document.documentElement.lang === "fr" ? "en" : "fr");
      return;
    }
    if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    const actions = {
      n: () => note.focus(),
      l: () => body.focus(),
      q: () => document.getElementById("queue-table").focus(),
      "?": () => help.showModal(),
    };
    const action = actions[event.key.toLowerCase()] || actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });
})();
