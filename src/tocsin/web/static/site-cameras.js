// A site's cameras on its map: a marker for each placed camera and, when its field of view is known,
// a wedge from the camera along its bearing, as wide as its view angle and as long as its range.
//
// The page includes it after site-map.js (a file, not an inline script: the console's CSP holds).
// console.js calls, once the site's map is drawn, with the JSON of GET /api/v1/sites/{id}/cameras:
//   window.TocsinSiteCameras.draw(map, cameras, labels)   // replaces the cameras drawn on that map
// - map: the Leaflet map TocsinSiteMap.draw returned (null: nothing is drawn)
// - cameras: [{id, name, latitude, longitude, bearing, view_angle, view_range, ...}]
// - labels: {camera: "Camera {name}"} from the page's UI strings (an English default otherwise)
// Camera names are shown as text, never as HTML.
"use strict";

(() => {
  const METRES_PER_DEGREE = 111_320;
  const ARC_STEPS = 12;
  const MARKER = { radius: 6, color: "#f2f5f8", weight: 2, fillColor: "#4dabf7", fillOpacity: 1 };
  const WEDGE = { color: "#4dabf7", weight: 1, opacity: 0.8, fillColor: "#4dabf7", fillOpacity: 0.15 };
  const layersOf = new WeakMap(); // map -> {layers, renderer} of its cameras

  /** The point ``metres`` from (lat, lon) towards ``bearing`` degrees (flat earth: ranges are short). */
  const towards = (lat, lon, bearing, metres) => {
    const angle = (bearing * Math.PI) / 180;
    const north = (metres * Math.cos(angle)) / METRES_PER_DEGREE;
    const east = (metres * Math.sin(angle)) / (METRES_PER_DEGREE * Math.cos((lat * Math.PI) / 180));
    return [lat + north, lon + east];
  };

  /** The field of view as a polygon: the camera, then the arc at its range. */
  const wedge = (camera) => {
    const { latitude: lat, longitude: lon, bearing, view_angle: angle, view_range: range } = camera;
    const points = angle >= 360 ? [] : [[lat, lon]];
    const from = bearing - angle / 2;
    for (let step = 0; step <= ARC_STEPS; step += 1) {
      points.push(towards(lat, lon, from + (angle * step) / ARC_STEPS, range));
    }
    return points;
  };

  const placed = (camera) => typeof camera.latitude === "number" && typeof camera.longitude === "number";
  const hasView = (camera) =>
    [camera.bearing, camera.view_angle, camera.view_range].every((v) => typeof v === "number");

  /** Draw ``cameras`` on ``map``, replacing those drawn before; returns how many were placed. */
  const draw = (map, cameras, labels = {}) => {
    if (!map || typeof L === "undefined") return 0;
    let kept = layersOf.get(map);
    if (!kept) {
      // SVG, not the map's canvas: a few cameras, each a element with its class (styled, testable)
      kept = { layers: L.layerGroup().addTo(map), renderer: L.svg() };
      layersOf.set(map, kept);
    }
    const { layers, renderer } = kept;
    layers.clearLayers();
    const title = labels.camera ?? "Camera {name}";
    let count = 0;
    for (const camera of cameras ?? []) {
      if (!placed(camera)) continue;
      const name = title.replace("{name}", String(camera.name ?? ""));
      if (hasView(camera)) {
        L.polygon(wedge(camera), { ...WEDGE, renderer, className: "site-camera-view", interactive: false }).addTo(layers);
      }
      const label = document.createElement("span"); // Leaflet sets a string as HTML: give it text instead
      label.textContent = name;
      L.circleMarker([camera.latitude, camera.longitude], { ...MARKER, renderer, className: "site-camera" })
        .bindTooltip(label)
        .addTo(layers);
      count += 1;
    }
    return count;
  };

  window.TocsinSiteCameras = { draw };
})();
