// The operator dead-man in the console (docs/room.md). While the operator holds an alarm, the server
// watches for activity: any write, and the heartbeat this script sends when the keyboard or mouse is used
// (at most every 20 s). After a while without either the server asks; this script shows the question in
// a modal (Enter confirms) with the time left. Unanswered, the alarms go back to the queue and the
// supervisors are alerted. The state is read every 5 s, so a restart of either side loses nothing.
(() => {
  "use strict";
  const STRINGS = JSON.parse(document.getElementById("ui-strings").textContent);
  const T = (key, params = {}) =>
    (STRINGS[key] ?? key).replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  const CSRF = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  const dialog = document.getElementById("deadman-dialog");
  if (!dialog) return;
  const form = document.getElementById("deadman-form");
  const text = document.getElementById("deadman-text");
  const left = document.getElementById("deadman-left");
  const confirmButton = document.getElementById("deadman-confirm");
  const POLL_MS = 5000;
  const BEAT_MS = 20000;
  let stage = "none";
  let dueAt = 0; // in this workstation's time
  let lastBeat = 0;
  let released = false;
  let ticking = null;

  async function call(method, url) {
    const headers = { Accept: "application/json" };
    if (method !== "GET") headers["X-CSRF-Token"] = CSRF;
    const response = await fetch(url, { method, credentials: "same-origin", headers });
    if (!response.ok) throw new Error(String(response.status));
    const server = Date.parse(response.headers.get("Date") ?? "");
    const offset = Number.isNaN(server) ? 0 : server - Date.now(); // the server's clock minus ours
    return { data: await response.json(), offset };
  }

  function tick() {
    const seconds = Math.max(0, Math.ceil((dueAt - Date.now()) / 1000));
    left.textContent = T("deadman.left", { seconds });
  }

  function show({ data, offset }) {
    const was = stage;
    stage = data.stage;
    if (stage === "asked") {
      released = false;
      dueAt = Date.parse(data.due_at) - offset;
      text.textContent = T("deadman.text", { held: data.held });
      confirmButton.textContent = T("deadman.confirm");
      dialog.dataset.state = "asked";
      tick();
      if (!ticking) ticking = window.setInterval(tick, 500);
      if (!dialog.open) {
        dialog.showModal();
        confirmButton.focus();
      }
      return;
    }
    if (ticking) window.clearInterval(ticking);
    ticking = null;
    if (was === "asked" && stage === "none" && dialog.open) {
      released = true; // nobody answered: the server gave the alarms back
      dialog.dataset.state = "released";
      text.textContent = T("deadman.released");
      left.textContent = "";
      confirmButton.textContent = T("deadman.ok");
      return;
    }
    if (dialog.open && !released) dialog.close();
  }

  async function poll() {
    try {
      show(await call("GET", "/api/v1/deadman"));
    } catch {
      // the server away: the next poll tries again (nothing is decided here)
    }
  }

  async function answer() {
    if (released) {
      released = false;
      dialog.close();
      return;
    }
    try {
      show(await call("POST", "/api/v1/deadman/confirm"));
    } catch {
      // kept open: the next poll shows where things stand
    }
  }

  function activity() {
    if (stage !== "idle" || Date.now() - lastBeat < BEAT_MS) return;
    lastBeat = Date.now();
    call("POST", "/api/v1/deadman/heartbeat").then(show).catch(() => {});
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    answer();
  });
  dialog.addEventListener("cancel", (event) => event.preventDefault()); // Escape does not answer
  dialog.addEventListener("keydown", (event) => {
    event.stopPropagation(); // the console's keys wait until the question is answered
    if (event.key === "Enter") {
      event.preventDefault();
      answer();
    }
  });
  for (const kind of ["keydown", "mousedown", "mousemove", "wheel", "touchstart"]) {
    document.addEventListener(kind, activity, { capture: true, passive: true });
  }
  poll();
  window.setInterval(poll, POLL_MS);
})();
