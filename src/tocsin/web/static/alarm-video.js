// Tocsin console: video in the alarm view (plain JS, no build step, CSP-strict).
//
// console.js draws the alarm view and calls TocsinVideo.decorate(view, id, alarm) after the levée de
// doute; it hands every live logbook entry to TocsinVideo.entry(entry). This file adds the section:
// - the clips cut around the alarm (GET /api/v1/alarms/{id}/clips), each played by the browser's own
//   <video> player once the operator asks: the playback is declared in the viewing register first
//   (POST /api/v1/cameras/{id}/views, mode playback, the clip's time range, and the reason), and only
//   then does the player get the clip's address;
// - a detection's snapshot kept with the alarm (kind "snapshot", the JPEG Frigate took), shown as a
//   picture once declared the same way (mode playback, its time, and the reason);
// - the site's cameras in the console's side pane "Cameras", each with a live picture on request
//   (declared the same way, mode live), refreshed every second for a minute.
// A clip attached while the view is open ("clip.attached" entry) appears without a reload. The section
// is kept per alarm and moved into each new drawing of the view, so a playing clip is not interrupted.
// The reason: before the first viewing of an alarm's footage, a dialog offers the reasons (alarm
// verification preselected, incident investigation, a requisition with its reference, other: typed);
// Enter accepts, Esc cancels (nothing is viewed). The choice is kept for that alarm's view.
// Recording what the images show is the V key's video verification (alarm-verify.js).
(() => {
  "use strict";

  const C = window.TocsinConsole;
  if (!C) return;
  const { T, send, readJson, errorDetail, notify, when, heading, span } = C;
  const LIVE_SECONDS = 60;
  const MAX_KEPT = 20; // alarms whose section is kept
  const sections = new Map(); // alarm id -> {section, clips, cameras, loaded, siteId}
  const KINDS = ["alarm_verification", "incident_investigation", "requisition", "other"];
  const reasons = new Map(); // alarm id -> {reason_kind, reason} chosen for its view
  let openNow = null; // the alarm the view shows
  let asking = null; // the reason dialog's pending answer

  const dialog = document.createElement("dialog");
  dialog.className = "help alarm-dialog video-reason-dialog";
  dialog.dataset.testid = "video-reason-dialog";
  dialog.setAttribute("aria-labelledby", "video-reason-title");
  document.body.append(dialog);
  dialog.addEventListener("keydown", (event) => {
    if (event.isComposing || event.key !== "Enter" || event.target instanceof HTMLButtonElement) return;
    event.preventDefault(); // Enter accepts the reason checked (alarm verification unless changed)
    dialog.querySelector("form")?.requestSubmit();
  });
  dialog.addEventListener("close", () => {
    const answer = asking;
    asking = null;
    answer?.(null); // closed without a choice (Esc): nothing is viewed
  });

  function reasonForm(resolve) {
    const form = document.createElement("form");
    form.className = "alarm-form";
    form.autocomplete = "off";
    form.noValidate = true;
    const h = document.createElement("h2");
    h.id = "video-reason-title";
    h.textContent = T("video.reason_title");
    const hint = document.createElement("p");
    hint.textContent = T("video.reason_hint");
    const set = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = T("video.reason_legend");
    set.append(legend);
    const texts = {};
    for (const kind of KINDS) {
      const label = document.createElement("label");
      label.className = "video-reason-choice";
      const radio = document.createElement("input");
      radio.type = "radio";
      radio.name = "reason_kind";
      radio.value = kind;
      radio.checked = kind === "alarm_verification";
      radio.dataset.testid = `video-reason-${kind}`;
      label.append(radio, ` ${T(`video.reason.${kind}`)}`);
      set.append(label);
      if (kind === "requisition" || kind === "other") {
        const text = document.createElement("input");
        text.type = "text";
        text.maxLength = kind === "requisition" ? 100 : 200;
        text.setAttribute("aria-label", T(`video.reason.${kind}_text`));
        text.placeholder = T(`video.reason.${kind}_text`);
        text.dataset.testid = `video-reason-${kind}-text`;
        text.addEventListener("input", () => { radio.checked = true; });
        texts[kind] = text;
        set.append(text);
      }
    }
    const error = document.createElement("p");
    error.className = "alert";
    error.setAttribute("role", "alert");
    error.hidden = true;
    const actions = document.createElement("div");
    actions.className = "help-actions";
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "quiet";
    cancel.textContent = `${T("verify.cancel")} `;
    cancel.append(Object.assign(document.createElement("kbd"), { textContent: "Esc" }));
    cancel.addEventListener("click", () => dialog.close());
    const ok = document.createElement("button");
    ok.type = "submit";
    ok.className = "primary";
    ok.dataset.testid = "video-reason-ok";
    ok.textContent = `${T("video.reason_ok")} `;
    ok.append(Object.assign(document.createElement("kbd"), { textContent: "Enter" }));
    actions.append(cancel, ok);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const kind = form.querySelector('input[name="reason_kind"]:checked')?.value ?? "alarm_verification";
      const text = (texts[kind]?.value ?? "").trim();
      if ((kind === "requisition" && !text) || (kind === "other" && text.length < 3)) {
        error.textContent = T(`video.reason.${kind}_needed`);
        error.hidden = false;
        texts[kind].focus();
        return;
      }
      asking = null;
      resolve(text ? { reason_kind: kind, reason: text } : { reason_kind: kind });
      dialog.close();
    });
    form.append(h, hint, set, error, actions);
    return form;
  }

  /** The reason for viewing an alarm's footage: the one chosen for it already, or asked now (null: cancelled). */
  function reasonFor(alarmId) {
    if (reasons.has(alarmId)) return Promise.resolve(reasons.get(alarmId));
    return new Promise((resolve) => {
      asking = resolve;
      const returnTo = document.activeElement;
      dialog.replaceChildren(reasonForm((chosen) => {
        reasons.set(alarmId, chosen);
        resolve(chosen);
      }));
      dialog.showModal();
      dialog.querySelector('input[name="reason_kind"]:checked')?.focus();
      dialog.addEventListener("close", () => returnTo?.isConnected && returnTo.focus(), { once: true });
    });
  }

  async function getJson(path) {
    const response = await fetch(path, { credentials: "same-origin" });
    return response.ok ? readJson(response) : null;
  }

  /** Declare a viewing in the register, with the reason chosen for the alarm; true once recorded. */
  async function declare(camera, body, alarmId) {
    const reason = await reasonFor(alarmId);
    if (!reason) return false; // cancelled: nothing is viewed
    try {
      const response = await send("POST", `/api/v1/cameras/${encodeURIComponent(camera)}/views`, { ...body, ...reason });
      if (response.ok) return true;
      if (response.status === 422) reasons.delete(alarmId); // ask again next time
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
      const ok = await declare(clip.camera_id, { mode: "playback", start: clip.start, end: clip.end }, clip.alarm_id);
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
      const ok = await declare(clip.camera_id, { mode: "playback", start: clip.start, end: clip.end }, clip.alarm_id);
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

  function cameraRow(camera, alarmId) {
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
      const ok = await declare(camera.id, { mode: "live", start: new Date().toISOString() }, alarmId);
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
    if (!kept.cameraRows) kept.cameraRows = kept.cameras.map((camera) => cameraRow(camera, id));
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
