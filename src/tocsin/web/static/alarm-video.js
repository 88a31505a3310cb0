// Tocsin console: video in the alarm view (plain JS, no build step, CSP-strict).
//
// console.js draws the alarm view and calls TocsinVideo.decorate(view, id, alarm) after the levée de
// doute; it hands every live logbook entry to TocsinVideo.entry(entry). This file adds the section:
// - the clips cut around the alarm (GET /api/v1/alarms/{id}/clips), each played by the browser's own
//   <video> player once the operator asks: the playback is declared in the viewing register first
//   (POST /api/v1/cameras/{id}/views, mode playback, the clip's time range, reason alarm_verification),
//   and only then does the player get the clip's address;
// - a detection's snapshot kept with the alarm (kind "snapshot", the JPEG Frigate took), shown as a
//   picture once declared the same way (mode playback, its time, reason alarm_verification);
// - the site's cameras in the console's side pane "Cameras", each with a live picture on request
//   (declared the same way, mode live), refreshed every second for a minute.
// A clip attached while the view is open ("clip.attached" entry) appears without a reload. The section
// is kept per alarm and moved into each new drawing of the view, so a playing clip is not interrupted.
// Recording what the images show is the V key's video verification (alarm-verify.js).
(() => {
  "use strict";

  const C = window.TocsinConsole;
  if (!C) return;
  const { T, send, readJson, errorDetail, notify, when, heading, span } = C;
  const LIVE_SECONDS = 60;
  const MAX_KEPT = 20; // alarms whose section is kept
  const sections = new Map(); // alarm id -> {section, clips, cameras, loaded, siteId}
  const REASON = "alarm_verification";
  let openNow = null; // the alarm the view shows

  async function getJson(path) {
    const response = await fetch(path, { credentials: "same-origin" });
    return response.ok ? readJson(response) : null;
  }

  /** Declare a viewing in the register; true once the server recorded it. */
  async function declare(camera, body) {
    try {
      const response = await send("POST", `/api/v1/cameras/${encodeURIComponent(camera)}/views`, { ...body, reason: REASON });
      if (response.ok) return true;
      notify(await errorDetail(response), true);
    } catch {
      notify(T("error.offline"), true);
    }
    return false;
  }

  function clipRow(clip) {
    const row = document.createElement("div");
    row.className = "video-clip";
    row.dataset.testid = "alarm-clip";
    row.dataset.clipId = clip.id;
    const label = document.createElement("p");
    label.className = "video-clip-label";
    label.append(span("video-camera", clip.camera_name), " ", T("video.clip_range", { start: when(clip.start), end: when(clip.end) }));
    const player = document.createElement("video");
    player.className = "video-player";
    player.dataset.testid = "alarm-clip-video";
    player.controls = true;
    player.preload = "none";
    player.muted = true;
    player.playsInline = true;
    player.hidden = true;
    const play = document.createElement("button");
    play.type = "button";
    play.className = "video-play";
    play.dataset.testid = "alarm-clip-play";
    play.textContent = T("video.play");
    play.addEventListener("click", async () => {
      play.disabled = true;
      const ok = await declare(clip.camera_id, { mode: "playback", start: clip.start, end: clip.end });
      play.disabled = false;
      if (!ok) return;
      notify(T("video.declared"));
      play.hidden = true;
      player.hidden = false;
      player.src = clip.url;
      player.play().catch(() => {}); // a refused autoplay leaves the controls to the operator
    });
    row.append(label, play, player);
    return row;
  }

  /** A detection's snapshot kept with the alarm (kind "snapshot"): shown once declared, like a clip. */
  function snapshotRow(clip) {
    const row = document.createElement("div");
    row.className = "video-clip";
    row.dataset.testid = "alarm-snapshot";
    row.dataset.clipId = clip.id;
    const label = document.createElement("p");
    label.className = "video-clip-label";
    label.append(span("video-camera", clip.camera_name), " ", when(clip.start), " (Frigate)");
    const picture = document.createElement("img");
    picture.className = "video-snapshot";
    picture.dataset.testid = "alarm-snapshot-picture";
    picture.alt = T("video.snapshot_of", { name: clip.camera_name, source: "Frigate", at: when(clip.start) });
    picture.hidden = true;
    const show = document.createElement("button");
    show.type = "button";
    show.dataset.testid = "alarm-snapshot-show";
    show.textContent = T("video.snapshot_show");
    show.addEventListener("click", async () => {
      show.disabled = true;
      const ok = await declare(clip.camera_id, { mode: "playback", start: clip.start, end: clip.end });
      show.disabled = false;
      if (!ok) return;
      notify(T("video.declared"));
      show.hidden = true;
      picture.hidden = false;
      picture.src = clip.url;
    });
    row.append(label, show, picture);
    return row;
  }

  function cameraRow(camera) {
    const row = document.createElement("div");
    row.className = "video-live";
    row.dataset.testid = "alarm-camera";
    const label = span("video-camera", camera.name);
    const picture = document.createElement("img");
    picture.className = "video-snapshot";
    picture.dataset.testid = "alarm-camera-live";
    picture.alt = T("video.live_of", { name: camera.name });
    picture.hidden = true;
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.testid = "alarm-camera-live-button";
    button.textContent = T("video.live");
    let timer = null;
    const stop = () => {
      clearInterval(timer);
      timer = null;
      picture.hidden = true;
      button.textContent = T("video.live");
    };
    button.addEventListener("click", async () => {
      if (timer) return stop();
      const ok = await declare(camera.id, { mode: "live", start: new Date().toISOString() });
      if (!ok) return;
      const until = Date.now() + LIVE_SECONDS * 1000;
      const refresh = () => {
        if (Date.now() > until || !picture.isConnected) return stop();
        picture.src = `/api/v1/cameras/${encodeURIComponent(camera.id)}/snapshot?t=${Date.now()}`;
      };
      picture.hidden = false;
      button.textContent = T("video.live_stop");
      refresh();
      timer = setInterval(refresh, 1000);
    });
    row.append(label, " ", button, picture);
    return row;
  }

  // the console's side pane "Cameras" (console.html #cameras) shows the open alarm's live pictures;
  // without it (another layout) they stay in the section
  const pane = document.getElementById("cameras");
  const emptyPane = pane ? [...pane.childNodes] : [];
  let paneFor = null;

  function showCameras(id) {
    const kept = sections.get(id);
    if (!kept || !kept.loaded) return;
    if (!kept.cameraRows) kept.cameraRows = kept.cameras.map(cameraRow);
    if (!pane) {
      const live = kept.section.querySelector(".video-cameras");
      if (!live.childElementCount) live.append(...kept.cameraRows);
      return;
    }
    if (paneFor === id) return; // already there: a live picture refreshing goes on
    paneFor = id;
    pane.replaceChildren(...(kept.cameraRows.length ? kept.cameraRows : emptyPane));
  }

  function fill(kept) {
    const { section, clips } = kept;
    const list = section.querySelector(".video-clips");
    const known = new Set([...list.querySelectorAll("[data-clip-id]")].map((n) => n.dataset.clipId));
    for (const clip of clips) {
      if (known.has(clip.id)) continue; // never redrawn: a playing clip plays on
      list.append(clip.kind === "snapshot" ? snapshotRow(clip) : clipRow(clip));
    }
    const empty = section.querySelector(".video-empty");
    empty.hidden = clips.length > 0;
  }

  async function load(id) {
    const kept = sections.get(id);
    if (!kept) return;
    if (kept.loading) {
      kept.again = true; // asked while a read is under way: read once more after it
      return;
    }
    kept.loading = true;
    kept.again = false;
    try {
      const clips = await getJson(`/api/v1/alarms/${encodeURIComponent(id)}/clips`);
      if (Array.isArray(clips)) kept.clips = clips;
      if (!kept.cameras.length && kept.siteId) {
        const cameras = await getJson(`/api/v1/sites/${encodeURIComponent(kept.siteId)}/cameras`);
        if (Array.isArray(cameras)) kept.cameras = cameras;
      }
      kept.loaded = true;
      fill(kept);
      if (openNow === id) showCameras(id);
      kept.section.hidden = !kept.cameras.length && !kept.clips.length;
    } catch {
      // offline: the section keeps what it had
    } finally {
      kept.loading = false;
    }
    if (kept.again) load(id);
  }

  function make(id, alarm) {
    const section = document.createElement("section");
    section.className = "alarm-video";
    section.dataset.testid = "alarm-video";
    section.dataset.alarmId = id;
    section.hidden = true; // until the site is known to have cameras or the alarm clips
    section.append(heading(T("video.title")));
    const empty = document.createElement("p");
    empty.className = "video-empty help-intro";
    empty.dataset.testid = "alarm-clips-none";
    empty.textContent = T("video.clips_none");
    const clips = document.createElement("div");
    clips.className = "video-clips";
    const cameras = document.createElement("div");
    cameras.className = "video-cameras";
    const hint = document.createElement("p");
    hint.className = "help-intro";
    hint.textContent = T("video.verify_hint");
    section.append(empty, clips, cameras, hint);
    if (sections.size >= MAX_KEPT) sections.delete(sections.keys().next().value);
    const kept = { section, clips: [], cameras: [], loaded: false, loading: false, siteId: alarm?.site_id };
    sections.set(id, kept);
    return kept;
  }

  /** Add the alarm's video section to the view console.js is drawing. */
  function decorate(view, id, alarm) {
    if (!id) return;
    const kept = sections.get(id) ?? make(id, alarm);
    if (!kept.siteId && alarm?.site_id) kept.siteId = alarm.site_id;
    view.append(kept.section);
    openNow = id;
    if (!kept.loaded) load(id);
    else showCameras(id);
  }

  /** A live logbook entry: a clip or snapshot attached to an alarm whose section is kept is fetched at once. */
  function entry(item) {
    if (item?.kind !== "clip.attached" && item?.kind !== "snapshot.attached") return;
    const id = item.alarm_id; // the console's view of an entry names the alarm it is about
    if (id && sections.has(id)) load(id);
  }

  window.TocsinVideo = { decorate, entry };
})();
