// Tocsin call-taking screen: key I opens it (roles with events.dispatch), Ctrl+Enter creates the event
// and leaves the screen empty for the next call, Esc closes it. Plain JavaScript, no build step.
//
// Caller and call-back number; the type by type-ahead over the nomenclature (codes, English and French
// labels, accents ignored; ↓ ↑ Enter); the type's questions in order, each answer sent to
// POST /api/v1/events/assess, which gives the priority, départ réflexe, what is still missing and the
// open events nearby (duplicates: "link" attaches the call instead of opening one); the address through
// GET /api/v1/geo/search (typos forgiven) or a click on the town's streets (GET /api/v1/geo/reverse);
// the narrative, one timestamped line per Enter. Uses window.TocsinConsole (console.js) and
// window.TocsinSiteMap (site-map.js).
"use strict";

(() => {
  const dialog = document.getElementById("call-screen");
  if (!dialog) return;
  const STRINGS = JSON.parse(document.getElementById("ui-strings").textContent);
  const T = (key, params = {}) =>
    (STRINGS[key] ?? key).replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  const LANG = document.documentElement.lang || "en";
  const CSRF = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  const $ = (id) => document.getElementById(id);
  const el = {
    form: $("cs-form"),
    caller: $("cs-caller"),
    phone: $("cs-phone"),
    type: $("cs-type"),
    types: $("cs-types"),
    questions: $("cs-questions"),
    priority: $("cs-priority"),
    reflex: $("cs-reflex"),
    missing: $("cs-missing"),
    place: $("cs-place"),
    places: $("cs-places"),
    placeSet: $("cs-place-set"),
    placeMessage: $("cs-place-message"),
    map: $("cs-map"),
    note: $("cs-note"),
    narrative: $("cs-narrative"),
    duplicates: $("cs-duplicates"),
    duplicateList: $("cs-duplicate-list"),
    error: $("cs-error"),
    cancel: $("cs-cancel"),
  };

  const node = (tag, className, text) => {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined && text !== null) made.textContent = String(text);
    return made;
  };
  const fold = (text) => String(text ?? "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const label = (kind) => (LANG === "fr" ? kind.label_fr : kind.label_en) || kind.code;
  const send = (method, url, body) =>
    fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": CSRF },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const getJson = async (url) => {
    const answer = await fetch(url, { credentials: "same-origin" });
    return answer.ok ? answer.json() : null;
  };

  let types = []; // the nomenclature, read once
  let call = null; // the call being taken
  let typeHits = [];
  let typeAt = 0;
  let placeHits = [];
  let placeAt = 0;
  const CENTRE_KEY = "tocsin.callScreen.centre";
  let lastCentre = null; // [lat, lon]: the map opens where the last call was (kept by this browser)
  try {
    const kept = JSON.parse(localStorage.getItem(CENTRE_KEY) ?? "null");
    if (Array.isArray(kept) && kept.length === 2 && kept.every(Number.isFinite)) lastCentre = kept;
  } catch {
    lastCentre = null;
  }
  const remember = (where) => {
    lastCentre = where;
    try {
      localStorage.setItem(CENTRE_KEY, JSON.stringify(where));
    } catch {
      // private mode or full storage: the centre is kept for this page only
    }
  };
  let assessSeq = 0;
  let placeSeq = 0;
  let placeTimer = null;
  let map = null;
  let creating = false;

  function fresh() {
    return { kind: null, answers: {}, place: null, lines: [], duplicateOf: null, assessment: null };
  }

  // ------------------------------------------------------------ type
  function matchTypes(text) {
    const words = fold(text).split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    return types
      .filter((kind) => {
        const hay = `${fold(kind.code)} ${fold(kind.code).replace(/_/g, " ")} ${fold(kind.label_en)} ${fold(kind.label_fr)}`;
        return words.every((w) => hay.includes(w));
      })
      .slice(0, 8);
  }

  function showTypes() {
    el.type.setAttribute("aria-expanded", String(typeHits.length > 0));
    el.types.replaceChildren(
      ...typeHits.map((kind, n) => {
        const li = node("li", "cs-option");
        li.setAttribute("role", "option");
        li.dataset.code = kind.code;
        li.setAttribute("aria-selected", String(n === typeAt));
        li.append(node("strong", "", label(kind)), " ", node("span", "ref", kind.code), " ", node("span", `prio prio-${Math.min(kind.default_priority, 4)}`, `P${kind.default_priority}`));
        li.addEventListener("mousedown", (event) => {
          event.preventDefault();
          chooseType(kind);
        });
        return li;
      }),
    );
    if (!typeHits.length && el.type.value.trim() && !call.kind) {
      const none = node("li", "cs-none", T("call_screen.type_none"));
      none.setAttribute("role", "option");
      none.setAttribute("aria-disabled", "true");
      el.types.append(none);
    }
  }

  function chooseType(kind) {
    call.kind = kind;
    call.answers = {};
    el.type.value = `${label(kind)} (${kind.code})`;
    typeHits = [];
    el.types.replaceChildren();
    el.type.setAttribute("aria-expanded", "false");
    drawQuestions();
    assess();
    el.questions.querySelector("select, input")?.focus();
  }

  // ------------------------------------------------------------ questions
  function answerField(question) {
    const id = `cs-q-${question.id}`;
    let field;
    if (question.kind === "yes_no" || question.kind === "choice") {
      field = node("select");
      const options = question.kind === "yes_no"
        ? [["", T("call_screen.unknown")], ["yes", T("call_screen.yes")], ["no", T("call_screen.no")]]
        : [["", T("call_screen.unknown")], ...question.choices.map((c) => [c, c])];
      for (const [value, text] of options) {
        const option = node("option", "", text);
        option.value = value;
        field.append(option);
      }
    } else {
      field = node("input");
      field.type = question.kind === "number" ? "number" : "text";
    }
    field.id = id;
    field.dataset.question = question.id;
    field.dataset.testid = `cs-q-${question.id}`;
    const changed = () => {
      const raw = field.value;
      let value = null;
      if (raw !== "") {
        if (question.kind === "yes_no") value = raw === "yes";
        else if (question.kind === "number") value = Number(raw);
        else value = raw;
      }
      if (value === null || Number.isNaN(value)) delete call.answers[question.id];
      else call.answers[question.id] = value;
      assess();
    };
    field.addEventListener("change", changed);
    field.addEventListener("input", changed);
    return field;
  }

  function drawQuestions() {
    const kind = call.kind;
    el.questions.replaceChildren();
    if (!kind) return;
    for (const question of kind.questions) {
      const row = node("div", "cs-question");
      row.dataset.question = question.id;
      const field = answerField(question);
      const text = node("label", question.essential ? "is-essential" : "", LANG === "fr" ? question.text_fr : question.text_en);
      text.htmlFor = field.id;
      row.append(text, field);
      el.questions.append(row);
    }
  }

  // ------------------------------------------------------------ assessment and duplicates
  function placeBody() {
    const p = call.place;
    return p ? { latitude: p.latitude, longitude: p.longitude, address: p.address, address_id: p.address_id ?? "" } : {};
  }

  async function assess() {
    if (!call.kind) return;
    const seq = ++assessSeq;
    const answer = await send("POST", "/api/v1/events/assess", { type_code: call.kind.code, answers: call.answers, ...placeBody() });
    if (seq !== assessSeq || !answer.ok) return;
    const found = await answer.json();
    call.assessment = found;
    el.priority.textContent = `P${found.priority}`;
    el.priority.className = `prio prio-${Math.min(found.priority, 4)}`;
    el.priority.dataset.priority = String(found.priority);
    el.reflex.hidden = !found.reflex;
    const byId = new Map((call.kind.questions ?? []).map((q) => [q.id, q]));
    const text = (id) => {
      const q = byId.get(id);
      return q ? (LANG === "fr" ? q.text_fr : q.text_en) : id;
    };
    el.missing.textContent = found.missing.length ? `${T("call_screen.missing")}: ${found.missing.map(text).join(" · ")}` : "";
    for (const row of el.questions.children) row.classList.toggle("is-next", row.dataset.question === found.next_question);
    showDuplicates(found.candidates ?? []);
  }

  function showDuplicates(candidates) {
    el.duplicates.hidden = candidates.length === 0;
    el.duplicateList.replaceChildren(
      ...candidates.map((event) => {
        const li = node("li", "cs-duplicate");
        li.dataset.id = event.id;
        const button = node("button", "quiet", T("call_screen.link"));
        button.type = "button";
        button.addEventListener("click", () => {
          call.duplicateOf = call.duplicateOf === event.id ? null : event.id;
          for (const other of el.duplicateList.children) other.classList.toggle("is-chosen", other.dataset.id === call.duplicateOf);
        });
        const where = event.distance_m === null ? "" : ` · ${Math.round(event.distance_m)} m`;
        li.append(node("span", `prio prio-${Math.min(event.priority, 4)}`, `P${event.priority}`), " ", node("strong", "", label({ label_en: event.type_label_en, label_fr: event.type_label_fr, code: event.type_code })), ` ${event.address || ""}${where} `, button);
        li.classList.toggle("is-chosen", event.id === call.duplicateOf);
        return li;
      }),
    );
  }

  // ------------------------------------------------------------ place
  function showPlaces(message) {
    el.places.replaceChildren(
      ...placeHits.map((hit, n) => {
        const li = node("li", "cs-option", hit.label);
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", String(n === placeAt));
        li.append(" ", node("span", "ref", T(`geo.precision.${hit.precision}`)));
        li.addEventListener("mousedown", (event) => {
          event.preventDefault();
          choosePlace(hit);
        });
        return li;
      }),
    );
    el.placeMessage.textContent = message ?? "";
    el.placeMessage.hidden = !message;
    if (message) showMap(null); // nothing matches: the map, to click the place
  }

  async function searchPlace() {
    const q = el.place.value.trim();
    const seq = ++placeSeq;
    if (!q) {
      placeHits = [];
      showPlaces(null);
      return;
    }
    const found = await getJson(`/api/v1/geo/search?kind=address&limit=6&q=${encodeURIComponent(q)}`);
    if (seq !== placeSeq || !found) return;
    placeHits = found.candidates.filter((c) => c.latitude !== null);
    placeAt = 0;
    showPlaces(found.message);
  }

  function choosePlace(hit) {
    call.place = { latitude: hit.latitude, longitude: hit.longitude, address: hit.label, address_id: hit.address_id ? String(hit.address_id) : "" };
    placeHits = [];
    el.places.replaceChildren();
    el.placeMessage.hidden = true;
    el.placeSet.textContent = T("call_screen.place_set", { label: hit.label });
    remember([hit.latitude, hit.longitude]);
    showMap([hit.latitude, hit.longitude]);
    assess();
  }

  async function mapClicked(event) {
    const { lat, lng } = event.latlng;
    const found = await getJson(`/api/v1/geo/reverse?limit=1&lat=${lat}&lon=${lng}`);
    const near = found?.candidates?.[0];
    const text = near ? near.label : T("call_screen.point", { lat: lat.toFixed(5), lon: lng.toFixed(5) });
    call.place = { latitude: lat, longitude: lng, address: text, address_id: "" };
    el.placeSet.textContent = T("call_screen.place_set", { label: text });
    el.placeMessage.hidden = true;
    remember([lat, lng]);
    showMap([lat, lng]);
    assess();
  }

  async function centreGuess() {
    // where to show the town before any place is known: an open event's place, the last place this
    // browser found, the first of the tenant's sites with coordinates; none of these: no map yet
    const fromBoard = window.TocsinEventsMap?.centre?.();
    if (fromBoard) return fromBoard;
    if (lastCentre) return lastCentre;
    const sites = await getJson("/api/v1/sites?limit=50");
    const site = (sites ?? []).find((s) => s.latitude !== null && s.longitude !== null);
    return site ? [site.latitude, site.longitude] : null;
  }

  async function showMap(point) {
    const where = point ?? (await centreGuess());
    if (!where || !window.TocsinSiteMap) {
      el.map.hidden = false;
      el.map.replaceChildren(node("p", "empty-title", T("call_screen.no_centre")));
      return;
    }
    const streets = await getJson(`/api/v1/geo/streets?radius_m=600&lat=${where[0]}&lon=${where[1]}`);
    if (!streets) return;
    el.map.hidden = false;
    const data = {
      site: { ref: T("call_screen.here"), name: "", latitude: where[0], longitude: where[1] },
      bbox: streets.bbox,
      streets: streets.streets,
      truncated: streets.truncated,
    };
    const drawn = window.TocsinSiteMap.draw(el.map, data, { title: T("call_screen.place") });
    if (drawn && drawn !== map) {
      map = drawn;
      map.on("click", mapClicked);
    }
    if (drawn && !point) {
      // only a guess at where the town is: no marker until the place is found or clicked
      drawn.eachLayer((layer) => {
        if (layer instanceof L.CircleMarker) drawn.removeLayer(layer);
      });
    }
    el.map.dataset.point = point ? `${where[0].toFixed(5)},${where[1].toFixed(5)}` : "";
  }

  // ------------------------------------------------------------ narrative
  function clock() {
    return new Date().toLocaleTimeString(LANG === "fr" ? "fr-FR" : "en-GB", { hour12: false, timeZone: document.body.dataset.roomTimeZone || undefined });
  }

  function addLine() {
    const text = el.note.value.trim();
    if (!text) return;
    const line = `${clock()} ${text}`;
    call.lines.push(line);
    el.narrative.append(node("li", "", line));
    el.note.value = "";
  }

  // ------------------------------------------------------------ create
  function fail(text) {
    el.error.textContent = text;
    el.error.hidden = !text;
  }

  async function create() {
    if (creating) return;
    addLine();
    if (!call.kind) {
      fail(T("call_screen.need_type"));
      el.type.focus();
      return;
    }
    creating = true;
    try {
      const body = {
        type_code: call.kind.code,
        answers: call.answers,
        origin: "call",
        caller_name: el.caller.value.trim(),
        caller_phone: el.phone.value.trim(),
        note: call.lines[0] ?? "",
        ...placeBody(),
      };
      if (call.duplicateOf) body.duplicate_of = call.duplicateOf;
      const answer = await send("POST", "/api/v1/events", body);
      const reply = await answer.json().catch(() => null);
      if (!answer.ok) {
        const detail = reply?.detail;
        fail(typeof detail === "string" ? detail : Array.isArray(detail) ? detail.map((d) => d?.msg ?? String(d)).join("; ") : `HTTP ${answer.status}`);
        return;
      }
      const event = reply.event;
      let lost = 0; // the first line went with the event (or in the "further call" note of the linked one)
      for (const line of call.lines.slice(1)) {
        const noted = await send("POST", `/api/v1/events/${encodeURIComponent(event.id)}/notes`, { text: line });
        if (!noted.ok) lost += 1;
      }
      const kind = { code: event.type_code, label_en: event.type_label_en, label_fr: event.type_label_fr };
      const what = `${label(kind)} · P${event.priority}${event.address ? ` · ${event.address}` : ""}`;
      const said = T(reply.attached ? "call_screen.attached" : "call_screen.created", { label: what });
      window.TocsinConsole?.notify(lost ? `${said} · ${T("call_screen.notes_lost", { count: lost })}` : said, lost > 0);
      dialog.dataset.lastEvent = event.id;
      reset();
      el.caller.focus();
    } finally {
      creating = false;
    }
  }

  // ------------------------------------------------------------ open, reset, keys
  function reset() {
    call = fresh();
    el.form.reset();
    for (const list of [el.types, el.questions, el.places, el.narrative, el.duplicateList]) list.replaceChildren();
    el.priority.textContent = "";
    el.priority.className = "prio";
    delete el.priority.dataset.priority;
    el.reflex.hidden = true;
    el.missing.textContent = "";
    el.placeSet.textContent = "";
    el.placeMessage.hidden = true;
    el.duplicates.hidden = true;
    fail("");
  }

  async function open() {
    if (dialog.open) return;
    if (!types.length) types = (await getJson("/api/v1/event-types")) ?? [];
    if (!call) reset();
    dialog.showModal();
    el.caller.focus();
    showMap(call.place ? [call.place.latitude, call.place.longitude] : null);
  }

  el.type.addEventListener("input", () => {
    call.kind = null;
    call.answers = {};
    assessSeq += 1; // an assessment still on its way is of the type being replaced
    el.priority.textContent = "";
    delete el.priority.dataset.priority;
    el.reflex.hidden = true;
    el.missing.textContent = "";
    el.questions.replaceChildren();
    typeHits = matchTypes(el.type.value);
    typeAt = 0;
    showTypes();
  });
  el.place.addEventListener("input", () => {
    clearTimeout(placeTimer);
    placeTimer = setTimeout(searchPlace, 150);
  });

  const pick = (hits, at, step) => Math.max(0, Math.min(hits.length - 1, at + step));
  dialog.addEventListener("keydown", (event) => {
    event.stopPropagation(); // the console's own keys (the alarm queue's) stay out of this screen
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      create();
      return;
    }
    const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (event.target === el.type && typeHits.length) {
      if (step) {
        event.preventDefault();
        typeAt = pick(typeHits, typeAt, step);
        showTypes();
      } else if (event.key === "Enter") {
        event.preventDefault();
        chooseType(typeHits[typeAt]);
      }
    } else if (event.target === el.place && event.key === "Enter") {
      event.preventDefault();
      clearTimeout(placeTimer);
      if (placeHits.length) choosePlace(placeHits[placeAt]);
      else searchPlace();
    } else if (event.target === el.place && step && placeHits.length) {
      event.preventDefault();
      placeAt = pick(placeHits, placeAt, step);
      showPlaces(null);
    } else if (event.target === el.note && event.key === "Enter") {
      event.preventDefault();
      addLine();
    } else if (event.key === "Enter" && event.target instanceof HTMLInputElement) {
      event.preventDefault(); // Enter never submits half a call; Ctrl+Enter does
    }
  });
  el.form.addEventListener("submit", (event) => {
    event.preventDefault();
    create();
  });
  el.cancel.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => window.TocsinConsole?.focusHome?.());

  const isField = (target) =>
    target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || target?.isContentEditable;
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isField(event.target) || document.querySelector("dialog[open]")) return;
    if (event.key !== "i" && event.key !== "I") return;
    event.preventDefault();
    open();
  });

  window.TocsinCallScreen = { open };
})();
