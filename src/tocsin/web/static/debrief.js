// Tocsin debrief: an event's timeline replayed on the map, from the logbook. Plain JavaScript, no build
// step, nothing from the internet.
//
// The page reads GET /api/v1/events/{id}/debrief once: the event, its units, and the steps (each a
// logbook entry with its time since the call, the event's state and place then, and every engaged unit's
// status and position then; docs/units.md, "Debrief"). The streets around the event are read once
// (GET /api/v1/geo/streets) and drawn by site-map.js; the event and each unit are DOM markers (data-testid,
// data-unit-id, data-status, data-latitude, data-longitude) moved to where they were at the current step.
//
// Time runs from the call (0 s) to the last step; the slider sets it, play runs it at 1×, 10× or 60×, and
// the step shown is the last one at or before it. Keys: Space play/pause, ←/→ previous/next step,
// Esc back to the console.
"use strict";

(() => {
  const root = document.querySelector("main.debrief");
  const stringsBox = document.getElementById("ui-strings");
  if (!root || !stringsBox || !window.L || !window.TocsinSiteMap) return;
  const STRINGS = JSON.parse(stringsBox.textContent);
  const T = (key, params = {}) =>
    (STRINGS[key] ?? key).replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  const LANG = document.documentElement.lang || "en";
  const ZONE = document.body.dataset.roomTimeZone || undefined;
  const EVENT_ID = document.body.dataset.eventId;

  const el = {
    event: document.getElementById("debrief-event"),
    error: document.getElementById("debrief-error"),
    truncated: document.getElementById("debrief-truncated"),
    map: document.getElementById("debrief-map"),
    play: document.getElementById("debrief-play"),
    prev: document.getElementById("debrief-prev"),
    next: document.getElementById("debrief-next"),
    slider: document.getElementById("debrief-slider"),
    clock: document.getElementById("debrief-clock"),
    units: document.getElementById("debrief-unit-rows"),
    steps: document.getElementById("debrief-steps"),
    count: document.getElementById("debrief-count"),
  };

  let data = null; // the API's answer
  let now = 0; // seconds since the call
  let current = -1; // the index of the step shown
  let speed = 1;
  let playing = false;
  let lastFrame = null; // the animation frame's previous time, while playing
  let map = null;
  let eventMarker = null;
  const unitMarkers = new Map(); // unit id → Leaflet marker
  const callsigns = new Map(); // unit id → {callsign, unit_kind}

  const node = (tag, className, text) => {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined && text !== null) made.textContent = String(text);
    return made;
  };

  function clockOf(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    const pad = (n) => String(n).padStart(2, "0");
    return `+${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  }

  function wallTime(iso) {
    const at = new Date(iso);
    if (Number.isNaN(at.getTime())) return "";
    return at.toLocaleTimeString(LANG === "fr" ? "fr-FR" : "en-GB", { timeZone: ZONE, hour12: false });
  }

  const duration = () => (data ? Math.max(0, Number(data.duration_s) || 0) : 0);
  const label = (e) => (LANG === "fr" ? e.type_label_fr : e.type_label_en) || e.type_code;

  /** The index of the last step at or before ``seconds`` (-1 before the first). */
  function stepAt(seconds) {
    let found = -1;
    for (let i = 0; i < data.steps.length; i += 1) {
      if (data.steps[i].offset_s > seconds) break;
      found = i;
    }
    return found;
  }

  // ---------------------------------------------------------------- the map

  function places() {
    const points = [];
    const event = data.event;
    if (event.latitude !== null && event.latitude !== undefined) points.push([event.latitude, event.longitude]);
    for (const step of data.steps) {
      if (step.event.latitude !== null) points.push([step.event.latitude, step.event.longitude]);
      for (const unit of step.units) if (unit.latitude !== null) points.push([unit.latitude, unit.longitude]);
    }
    return points;
  }

  async function drawMap() {
    const points = places();
    const centre = points[0];
    const labels = {
      title: T("debrief.map"),
      noCoordinates: T("debrief.no_place"),
      noStreets: T("map.no_streets"),
      truncated: T("map.truncated"),
      zoomIn: T("map.zoom_in"),
      zoomOut: T("map.zoom_out"),
    };
    let streets = { bbox: null, streets: [] };
    if (centre) {
      const answer = await fetch(`/api/v1/geo/streets?radius_m=1000&lat=${centre[0]}&lon=${centre[1]}`, { credentials: "same-origin" });
      if (answer.ok) streets = await answer.json();
    }
    const site = { ref: "", name: "", latitude: centre ? centre[0] : null, longitude: centre ? centre[1] : null };
    const bbox = streets.bbox ?? (centre ? { south: centre[0] - 0.005, north: centre[0] + 0.005, west: centre[1] - 0.008, east: centre[1] + 0.008 } : null);
    map = window.TocsinSiteMap.draw(el.map, { site, bbox, streets: streets.streets ?? [], truncated: !!streets.truncated }, labels);
    if (!map) return;
    map.eachLayer((layer) => {
      if (layer instanceof L.CircleMarker) map.removeLayer(layer); // the frame's centre is no site
    });
    if (points.length > 1) map.fitBounds(L.latLngBounds(points).pad(0.25), { animate: false, maxZoom: 17 });
  }

  function placeEvent(step) {
    if (!map) return;
    const where = step ? step.event : data.event;
    if (where.latitude === null || where.latitude === undefined) {
      eventMarker?.remove();
      eventMarker = null;
      return;
    }
    if (!eventMarker) {
      const priority = Math.min(Number(data.event.priority) || 9, 4);
      const icon = L.divIcon({ className: `debrief-event-marker prio-${priority}`, html: `<span>P${Number(data.event.priority) || "?"}</span>`, iconSize: [28, 28] });
      eventMarker = L.marker([where.latitude, where.longitude], { icon, keyboard: false, title: T("debrief.event_marker", { label: label(data.event) }), zIndexOffset: -100 });
      eventMarker.addTo(map);
      const element = eventMarker.getElement();
      if (element) element.dataset.testid = "debrief-event-marker";
    } else {
      eventMarker.setLatLng([where.latitude, where.longitude]);
    }
  }

  function placeUnits(step) {
    const shown = new Set();
    for (const unit of step ? step.units : []) {
      if (!map || unit.latitude === null || unit.latitude === undefined) continue;
      shown.add(unit.unit_id);
      const name = callsigns.get(unit.unit_id)?.callsign ?? "?";
      let marker = unitMarkers.get(unit.unit_id);
      if (!marker) {
        const span = node("span", "", name);
        const icon = L.divIcon({ className: "debrief-unit-marker", html: span.outerHTML, iconSize: null });
        marker = L.marker([unit.latitude, unit.longitude], { icon, keyboard: false, title: name });
        marker.addTo(map);
        unitMarkers.set(unit.unit_id, marker);
      } else {
        marker.setLatLng([unit.latitude, unit.longitude]);
      }
      const element = marker.getElement();
      if (element) {
        for (const name of [...element.classList]) if (name.startsWith("unit-")) element.classList.remove(name);
        element.classList.add(`unit-${unit.status}`);
        element.classList.toggle("is-released", !unit.engaged);
        Object.assign(element.dataset, {
          testid: "debrief-unit-marker",
          unitId: unit.unit_id,
          status: unit.status,
          latitude: String(unit.latitude),
          longitude: String(unit.longitude),
        });
        element.title = `${name} · ${T(`unit.status.${unit.status}`)}`;
      }
    }
    for (const [id, marker] of unitMarkers) {
      if (!shown.has(id)) {
        marker.remove();
        unitMarkers.delete(id);
      }
    }
  }

  // ---------------------------------------------------------------- the lists

  function drawUnits(step) {
    const rows = [];
    for (const unit of step ? step.units : []) {
      const known = callsigns.get(unit.unit_id) ?? { callsign: "?", unit_kind: "" };
      const tr = node("tr", unit.engaged ? "" : "is-released");
      tr.dataset.testid = "debrief-unit-row";
      tr.dataset.unitId = unit.unit_id;
      tr.dataset.status = unit.status;
      const status = T(`unit.status.${unit.status}`) + (unit.engaged ? "" : ` (${T("debrief.released")})`);
      const where = unit.latitude === null ? T("debrief.no_position") : `${unit.latitude.toFixed(5)}, ${unit.longitude.toFixed(5)}`;
      tr.append(node("th", "", known.callsign), node("td", "", known.unit_kind), node("td", "", status), node("td", "num", where));
      tr.firstChild.scope = "row";
      rows.push(tr);
    }
    if (!rows.length) {
      const tr = node("tr");
      const td = node("td", "", T("debrief.no_units"));
      td.colSpan = 4;
      tr.append(td);
      rows.push(tr);
    }
    el.units.replaceChildren(...rows);
  }

  function drawSteps() {
    const items = data.steps.map((step, index) => {
      const li = node("li");
      li.dataset.testid = "debrief-step";
      li.dataset.index = String(index);
      li.dataset.kind = step.kind;
      const button = node("button");
      button.type = "button";
      const offset = node("span", "offset", clockOf(step.offset_s));
      offset.title = wallTime(step.at);
      button.append(offset, node("span", "text", step.text));
      button.addEventListener("click", () => jump(index));
      li.append(button);
      return li;
    });
    el.steps.replaceChildren(...items);
    el.count.textContent = T("debrief.step_count", { count: data.steps.length });
  }

  function highlight(index) {
    const items = el.steps.children;
    for (let i = 0; i < items.length; i += 1) {
      items[i].classList.toggle("is-past", i <= index);
      if (i === index) items[i].setAttribute("aria-current", "step");
      else items[i].removeAttribute("aria-current");
    }
    items[index]?.scrollIntoView({ block: "nearest" });
  }

  // ---------------------------------------------------------------- time

  /** Show the replay at ``seconds`` since the call: the last step then, or ``index`` (a step chosen among
   * several at the same second). */
  function show(seconds, index = stepAt(Math.min(Math.max(0, seconds), duration()))) {
    now = Math.min(Math.max(0, seconds), duration());
    el.slider.value = String(Math.floor(now));
    el.clock.textContent = clockOf(now);
    if (index === current) return;
    current = index;
    const step = data.steps[index];
    placeEvent(step);
    placeUnits(step);
    drawUnits(step);
    highlight(index);
    el.slider.setAttribute("aria-valuetext", `${clockOf(now)} ${step ? step.text : ""}`.trim());
  }

  function jump(index) {
    pause();
    const bounded = Math.min(Math.max(0, index), data.steps.length - 1);
    if (bounded < 0) return;
    show(data.steps[bounded].offset_s, bounded);
  }

  function frame(at) {
    if (!playing) return;
    if (lastFrame !== null) show(now + ((at - lastFrame) / 1000) * speed);
    lastFrame = at;
    if (now >= duration()) pause();
    else requestAnimationFrame(frame);
  }

  function play() {
    if (!data?.steps.length) return;
    if (now >= duration()) show(0);
    playing = true;
    lastFrame = null;
    el.play.setAttribute("aria-pressed", "true");
    el.play.firstChild.textContent = `${T("debrief.pause")} `;
    requestAnimationFrame(frame);
  }

  function pause() {
    playing = false;
    el.play.setAttribute("aria-pressed", "false");
    el.play.firstChild.textContent = `${T("debrief.play")} `;
  }

  const toggle = () => (playing ? pause() : play());

  // ---------------------------------------------------------------- start

  el.play.addEventListener("click", toggle);
  el.prev.addEventListener("click", () => jump(current - 1));
  el.next.addEventListener("click", () => jump(current + 1));
  el.slider.addEventListener("input", () => {
    pause();
    show(Number(el.slider.value));
  });
  for (const radio of document.querySelectorAll('input[name="debrief-speed"]')) {
    radio.addEventListener("change", () => {
      if (radio.checked) speed = Number(radio.value) || 1;
    });
  }
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || !data) return;
    if (event.key === "Escape") {
      event.preventDefault();
      window.location.assign("/console");
    } else if (event.key === " ") {
      event.preventDefault(); // the focused button's own Space too: the key plays or pauses, everywhere
      toggle();
    } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      if (event.target instanceof HTMLInputElement && event.target.type === "radio") return; // the speed's own
      event.preventDefault();
      jump(current + (event.key === "ArrowRight" ? 1 : -1));
    }
  });

  async function load() {
    const answer = await fetch(`/api/v1/events/${encodeURIComponent(EVENT_ID)}/debrief`, { credentials: "same-origin" });
    if (!answer.ok) {
      const body = await answer.json().catch(() => ({}));
      el.error.textContent = T("debrief.error", { detail: body.detail ?? answer.status });
      el.error.hidden = false;
      return;
    }
    data = await answer.json();
    for (const unit of data.units) callsigns.set(unit.unit_id, unit);
    const event = data.event;
    el.event.textContent = [`P${event.priority}`, label(event), event.address, T(`events.state.${event.state}`)].filter(Boolean).join(" · ");
    el.truncated.hidden = !data.truncated;
    el.slider.max = String(Math.ceil(duration()));
    drawSteps();
    if (!data.steps.length) {
      el.error.textContent = T("debrief.empty");
      el.error.hidden = false;
    }
    await drawMap();
    current = -2; // draw the first state whatever it is
    show(0);
    root.dataset.ready = "yes";
  }
  load();
})();
