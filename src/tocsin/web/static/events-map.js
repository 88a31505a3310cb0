// Tocsin events map: every open event with a place, as a marker on the town's own streets, next to the
// event board. Plain JavaScript, no build step, no tile server unless the room sets one.
//
// It keeps itself from what the board is handed: it wraps window.TocsinEventBoard.entry (each incident.*
// entry carries the event as it now stands, its latitude and longitude included) and .reload (the list
// again after a reconnection). The streets are read once around the first event placed
// (GET /api/v1/geo/streets) and drawn by site-map.js; markers are DOM elements (data-id, the priority
// as a class) so that a click on one opens its file on the board.
"use strict";

(() => {
  const box = document.getElementById("events-map");
  const board = window.TocsinEventBoard;
  if (!box || !board || !window.L) return;
  const STRINGS = JSON.parse(document.getElementById("ui-strings").textContent);
  const T = (key) => STRINGS[key] ?? key;
  const LANG = document.documentElement.lang || "en";
  const empty = document.getElementById("events-map-empty");
  const frameBox = box.closest(".events-map-frame");
  const events = new Map(); // id → {id, priority, label, address, latitude, longitude}
  const markers = new Map(); // id → Leaflet marker
  let map = null;
  let framing = null; // the promise of the first drawing

  const label = (e) => (LANG === "fr" ? e.type_label_fr : e.type_label_en) || e.type_code;

  function keep(data) {
    const id = data.incident_id ?? data.id;
    if (!id) return;
    if (data.state === "closed" || data.latitude === null || data.latitude === undefined) events.delete(id);
    else events.set(id, { id, priority: data.priority, label: label(data), address: data.address, reflex: data.reflex, latitude: data.latitude, longitude: data.longitude });
    place(id);
  }

  async function frame(at) {
    const answer = await fetch(`/api/v1/geo/streets?radius_m=1000&lat=${at.latitude}&lon=${at.longitude}`, { credentials: "same-origin" });
    if (!answer.ok) return null;
    const streets = await answer.json();
    const data = { site: { ref: "", name: "", latitude: at.latitude, longitude: at.longitude }, bbox: streets.bbox, streets: streets.streets, truncated: false };
    map = window.TocsinSiteMap.draw(box, data, { title: T("events_map.title") });
    if (map) {
      // the frame's centre is no site: site-map.js's marker for it goes (the events have their own)
      map.eachLayer((layer) => {
        if (layer instanceof L.CircleMarker) map.removeLayer(layer);
      });
    }
    return map;
  }

  function icon(event) {
    return L.divIcon({
      className: `events-map-marker prio-${Math.min(Number(event.priority) || 9, 4)}${event.reflex ? " is-reflex" : ""}`,
      html: `<span>P${Number(event.priority) || "?"}</span>`,
      iconSize: [26, 26],
    });
  }

  async function place(id) {
    empty.hidden = events.size > 0;
    const wasEmpty = frameBox?.classList.contains("is-empty");
    frameBox?.classList.toggle("is-empty", events.size === 0);
    if (map && wasEmpty && events.size) map.invalidateSize(); // shown again: Leaflet measures its box anew
    if (!map) {
      if (!events.size) return;
      const first = !framing; // one caller draws every event once the frame is there, the others wait
      framing ??= frame(events.values().next().value);
      await framing;
      if (!map) {
        framing = null;
        return;
      }
      if (first) for (const other of events.keys()) place(other);
      return;
    }
    markers.get(id)?.remove();
    markers.delete(id);
    const event = events.get(id);
    if (!event) return;
    const marker = L.marker([event.latitude, event.longitude], { icon: icon(event), title: `${event.label} · ${event.address ?? ""}`, keyboard: false });
    marker.addTo(map);
    const element = marker.getElement();
    if (element) {
      element.dataset.id = id;
      element.dataset.testid = "events-map-marker";
    }
    marker.on("click", () => board.open?.(id));
    markers.set(id, marker);
    if (!map.getBounds().contains(marker.getLatLng())) {
      // an event outside the frame: widen it to every event (the streets stay those read first)
      map.fitBounds(L.latLngBounds([...markers.values()].map((m) => m.getLatLng())).pad(0.2), { animate: false, maxZoom: 17 });
    }
  }

  async function reload() {
    const answer = await fetch("/api/v1/events?limit=1000", { credentials: "same-origin" });
    if (!answer.ok) return;
    const listed = await answer.json();
    const seen = new Set();
    for (const event of listed) {
      seen.add(event.id);
      keep(event);
    }
    for (const id of [...events.keys()]) {
      if (!seen.has(id)) {
        events.delete(id);
        place(id);
      }
    }
  }

  const entry = board.entry;
  board.entry = (item) => {
    entry(item);
    if (String(item?.kind ?? "").startsWith("incident.") && item.data?.incident_id) keep(item.data);
  };
  const again = board.reload;
  board.reload = () => {
    again();
    reload();
  };

  window.TocsinEventsMap = {
    centre() {
      const first = events.values().next().value;
      return first ? [first.latitude, first.longitude] : null;
    },
  };
  reload();
})();
