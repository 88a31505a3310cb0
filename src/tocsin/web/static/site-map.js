// A site on its town's own streets, drawn with Leaflet and no tile server: the room has no internet,
// so the streets come from the node's geographic reference as lines (GET /api/v1/sites/{id}/map).
//
// The page includes, in this order (all served by the node; a file, not an inline script, so the
// console's CSP holds: no inline script, no eval, no style attribute):
//   <link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css">
//   <link rel="stylesheet" href="/static/site-map.css">
//   <script src="/static/vendor/leaflet/leaflet.js"></script>
//   <script src="/static/site-map.js"></script>
//
// Then, with the JSON of GET /api/v1/sites/{id}/map?radius_m=350 (radius 50..1000 m, default 350):
//   window.TocsinSiteMap.draw(container, data, labels)   // draws, or redraws for another site
//   window.TocsinSiteMap.clear(container)                 // removes the map, leaves the container empty
// - container: an element with a height (Leaflet needs one); draw empties it on first use, keeps one
//   map in it and reuses that map on the next call (its layers are replaced, the view refitted).
// - data: {site: {id, ref, name, address, latitude, longitude}, radius_m, bbox: {south, west, north,
//   east} | null, streets: [{name, points: [[lat, lon], ...]}], truncated}
// - labels: texts from the page's UI strings (each has an English default), e.g. in console.js
//   {title: T("map.site", {ref, name}), noCoordinates: T("map.no_coordinates"),
//    noStreets: T("map.no_streets"), truncated: T("map.truncated"),
//    zoomIn: T("map.zoom_in"), zoomOut: T("map.zoom_out")}
// Returns the Leaflet map, or null when the site has no coordinates (the container then shows
// labels.noCoordinates in the console's empty-state style).
//
// Map tiles: when the room sets TOCSIN_MAP_TILES_URL (its own raster XYZ tile server, e.g.
// https://tiles.room.local/{z}/{x}/{y}.png), the page carries it as <body data-map-tiles="…"> and
// every map draws those tiles under the streets (the page's CSP allows that one origin). Unset, the
// default, there are no tiles and no request leaves the node.
"use strict";

(() => {
  const LABELLED_STREETS = 8; // the longest streets carry their name on the map; every one on hover
  const LABEL_CHAR_PX = 6.6; // a name's width per character at 12px, with a margin: names never touch
  const LABEL_PAD_PX = 18;
  const LABEL_HALF_HEIGHT_PX = 10;
  const STREET = { color: "#c3ccd6", weight: 3, opacity: 0.6 };
  const STREET_HOVER = { color: "#f2f5f8", opacity: 0.95 };
  const SITE = { radius: 8, color: "#f2f5f8", weight: 2, fillColor: "#ff6b6b", fillOpacity: 1 };
  const HALO = { radius: 18, stroke: false, fillColor: "#ff6b6b", fillOpacity: 0.18, interactive: false };
  const DEFAULTS = {
    title: "Map of the site",
    noCoordinates: "This site has no coordinates: add its latitude and longitude to see it on a map.",
    noStreets: "No street is known around this site: load the road network of its town.",
    truncated: "Only the streets nearest the site are drawn.",
    zoomIn: "Zoom in",
    zoomOut: "Zoom out",
  };
  const maps = new WeakMap(); // container -> {map, layers, names, notice, candidates, site}

  /** An element holding ``text`` as text, never as HTML (street names come from imported data). */
  const textElement = (tag, className, text) => {
    const element = document.createElement(tag);
    element.className = className;
    element.textContent = text;
    return element;
  };

  const NoticeControl = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd() {
      this._box = textElement("div", "site-map-notice", "");
      this._box.hidden = true;
      return this._box;
    },
    say(text) {
      this._box.textContent = text || "";
      this._box.hidden = !text;
    },
  });

  /** The map kept in ``container``, made the first time (or again if someone emptied the container). */
  const mapIn = (container, texts) => {
    const kept = maps.get(container);
    if (kept && container.contains(kept.map.getPane("mapPane"))) {
      return kept;
    }
    if (kept) {
      kept.map.remove();
    }
    container.replaceChildren();
    container.classList.add("site-map");
    const map = L.map(container, {
      crs: L.CRS.EPSG3857,
      attributionControl: false, // nothing to credit and no link out: the streets are the room's own
      zoomControl: false,
      preferCanvas: true, // one canvas for hundreds of street lines
      minZoom: 12,
      maxZoom: 20,
      zoomSnap: 0.25,
    });
    const tiles = document.body?.dataset.mapTiles;
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 20, maxNativeZoom: 19, className: "site-map-tiles" }).addTo(map);
    }
    L.control.zoom({ zoomInTitle: texts.zoomIn, zoomOutTitle: texts.zoomOut }).addTo(map);
    const notice = new NoticeControl().addTo(map);
    const state = {
      map,
      layers: L.layerGroup().addTo(map),
      names: L.layerGroup().addTo(map),
      notice,
      candidates: [],
      site: null,
    };
    map.on("moveend", () => placeNames(state)); // after every pan, zoom or fit
    maps.set(container, state);
    return state;
  };

  /** The streets to name on the map, longest inside the frame first, with the points a name may sit
   * on (the middle of each of their segments), nearest the street's own middle first. */
  const labelCandidates = (streets) => {
    const byName = new Map(); // name -> {length, spots: [[lat, lon], ...]}
    for (const street of streets) {
      const entry = byName.get(street.name) || { length: 0, spots: [] };
      for (let i = 1; i < street.points.length; i += 1) {
        const [a, b] = [street.points[i - 1], street.points[i]];
        entry.length += L.latLng(a).distanceTo(b);
        entry.spots.push([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
      }
      byName.set(street.name, entry);
    }
    return [...byName.entries()]
      .sort((x, y) => y[1].length - x[1].length)
      .map(([name, { spots }]) => {
        const middle = spots.reduce((m, p) => [m[0] + p[0] / spots.length, m[1] + p[1] / spots.length], [0, 0]);
        const away = (p) => (p[0] - middle[0]) ** 2 + (p[1] - middle[1]) ** 2;
        return { name, spots: spots.sort((p, q) => away(p) - away(q)) };
      });
  };

  const overlaps = (a, b) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

  /** Name the longest streets where their names fit: each on the spot nearest its middle that is in
   * view and clear of the site and of the names already placed. Run again after each move or zoom. */
  const placeNames = (state) => {
    const { map, names, candidates, site } = state;
    names.clearLayers();
    const size = map.getSize();
    const taken = [];
    if (site) {
      const p = map.latLngToContainerPoint(site);
      taken.push({ x1: p.x - 40, x2: p.x + 40, y1: p.y - 40, y2: p.y + 14 }); // marker and its reference
    }
    let placed = 0;
    for (const { name, spots } of candidates) {
      if (placed === LABELLED_STREETS) {
        break;
      }
      const half = (name.length * LABEL_CHAR_PX + LABEL_PAD_PX) / 2;
      for (const spot of spots) {
        const p = map.latLngToContainerPoint(spot);
        const box = { x1: p.x - half, x2: p.x + half, y1: p.y - LABEL_HALF_HEIGHT_PX, y2: p.y + LABEL_HALF_HEIGHT_PX };
        const inView = box.x1 >= 0 && box.y1 >= 0 && box.x2 <= size.x && box.y2 <= size.y;
        if (inView && !taken.some((t) => overlaps(t, box))) {
          taken.push(box);
          L.tooltip({ permanent: true, direction: "center", className: "site-map-street-name", interactive: false })
            .setLatLng(spot)
            .setContent(textElement("span", "", name))
            .addTo(names);
          placed += 1;
          break;
        }
      }
    }
  };

  const drawStreets = (layers, streets) => {
    for (const street of streets) {
      const line = L.polyline(street.points, STREET).addTo(layers);
      line.bindTooltip(textElement("span", "", street.name), {
        sticky: true,
        direction: "top",
        className: "site-map-street-hover",
      });
      line.on("mouseover", () => line.setStyle(STREET_HOVER));
      line.on("mouseout", () => line.setStyle(STREET));
    }
  };

  const drawSite = (layers, site) => {
    const where = [site.latitude, site.longitude];
    L.circleMarker(where, HALO).addTo(layers);
    L.circleMarker(where, SITE)
      .bindTooltip(textElement("span", "", site.ref), {
        permanent: true,
        direction: "top",
        offset: [0, -10],
        className: "site-map-site",
      })
      .addTo(layers);
  };

  /** Remove the map from ``container`` and leave it empty. */
  const clear = (container) => {
    const kept = maps.get(container);
    if (kept) {
      kept.map.remove();
      maps.delete(container);
    }
    container.replaceChildren();
    container.classList.remove("site-map");
    container.removeAttribute("role");
    container.removeAttribute("aria-label");
  };

  /** Draw ``data`` (the JSON of GET /api/v1/sites/{id}/map) in ``container``; see the top of the file. */
  const draw = (container, data, labels = {}) => {
    const texts = { ...DEFAULTS, ...labels };
    const site = data.site;
    if (site.latitude === null || site.longitude === null || !data.bbox) {
      clear(container);
      const empty = textElement("div", "empty-state", "");
      empty.append(textElement("p", "empty-title", texts.noCoordinates));
      container.append(empty);
      return null;
    }
    const state = mapIn(container, texts);
    const { map, layers, notice } = state;
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", texts.title);
    layers.clearLayers();
    drawStreets(layers, data.streets);
    drawSite(layers, site);
    state.candidates = labelCandidates(data.streets);
    state.site = L.latLng(site.latitude, site.longitude);
    if (data.streets.length === 0) {
      notice.say(texts.noStreets);
    } else {
      notice.say(data.truncated ? texts.truncated : "");
    }
    const box = data.bbox;
    map.invalidateSize({ pan: false }); // the container may have been resized or shown since last time
    map.fitBounds(
      [
        [box.south, box.west],
        [box.north, box.east],
      ],
      { animate: false },
    );
    placeNames(state); // fitBounds fires no moveend when the view did not change
    return map;
  };

  window.TocsinSiteMap = { draw, clear };
})();
