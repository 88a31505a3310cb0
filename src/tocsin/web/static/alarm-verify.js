// Tocsin console: the levée de doute in the alarm view (plain JS, no build step, CSP-strict).
//
// console.js draws the alarm view and calls TocsinVerify.decorate(view, id, alarm) at the end; this file
// adds the section (AVS-01 score, what verified the alarm, verifications, dispatches, requests for help,
// the evidence file) and the keys, each opening a small dialog:
//   V record a verification (video / audio)      G send a guard or keyholder
//   O mark on site and record the findings       D request police, fire or ambulance
//   E download the evidence file (PDF)
// Every act goes to the API; its logbook entry comes back over the live socket like any other.
(() => {
  "use strict";

  const C = window.TocsinConsole;
  if (!C) return;
  const { T, send, readJson, errorDetail, notify, when, heading, table, span } = C;
  const files = new Map(); // alarm id -> GET /api/v1/alarms/{id}/verification
  const FINDINGS = ["confirmed_intrusion", "person_on_site", "threat_to_life", "nothing_found", "no_access"];
  const THREATS = ["presence", "property", "life"];
  let loading = null;

  const url = (id, tail) => `/api/v1/alarms/${encodeURIComponent(id)}/${tail}`;

  async function getJson(path) {
    const response = await fetch(path, { credentials: "same-origin" });
    return response.ok ? readJson(response) : null;
  }

  /** Read the alarm's levée de doute again, then redraw the section if the alarm is still open. */
  async function load(id) {
    if (loading === id) return;
    loading = id;
    try {
      const file = await getJson(url(id, "verification"));
      if (file) files.set(id, file);
    } catch {
      // offline: the section keeps what it had
    } finally {
      loading = null;
    }
    const section = document.querySelector('[data-testid="alarm-verify"]');
    if (section && section.dataset.alarmId === id) section.replaceWith(draw(id));
  }

  const methodWord = (m) => T(`verify.${m}`);

  function draw(id) {
    const file = files.get(id);
    const section = document.createElement("section");
    section.className = "alarm-verify";
    section.dataset.testid = "alarm-verify";
    section.dataset.alarmId = id;
    section.append(heading(T("verify.title")));
    const line = document.createElement("p");
    line.className = "verify-line";
    const score = span(`avs avs-${file ? file.avs_score : "none"}`, file ? String(file.avs_score) : "—");
    score.dataset.testid = "verify-score";
    const verified = file?.verified_by?.length
      ? span("verify-ok", file.verified_by.map(methodWord).join(", "))
      : span("verify-no", T("verify.unverified"));
    verified.dataset.testid = "verify-by";
    const evidence = document.createElement("a");
    evidence.href = url(id, "evidence");
    evidence.className = "verify-evidence";
    evidence.dataset.testid = "evidence-link";
    evidence.setAttribute("download", "");
    evidence.tabIndex = -1; // E is the way; the link is for the mouse
    evidence.append(`${T("verify.evidence")} `);
    const kbd = document.createElement("kbd");
    kbd.textContent = "E";
    evidence.append(kbd);
    line.append(`${T("verify.score")} `, score, " · ", `${T("verify.positive")} `, verified, " · ", evidence);
    section.append(line);
    if (!file) return section;
    if (file.verifications.length) {
      const rows = file.verifications.map((v) => [
        when(v.at),
        methodWord(v.method),
        T(`verify.outcome_${v.outcome}`),
        v.threat === "none" ? "" : T(`verify.threat_${v.threat}`),
        v.by,
        v.note,
      ]);
      section.append(
        table("verify-table", [T("logbook.time"), T("verify.method"), T("verify.outcome"), T("verify.threat"), T("logbook.actor"), T("verify.note")], rows, "verify-results"),
      );
    }
    if (file.dispatches.length) {
      const rows = file.dispatches.map((d) => [
        `${d.name} (${d.kind === "keyholder" ? T("verify.keyholder") : d.kind})`,
        when(d.dispatched_at),
        d.eta ? when(d.eta) : "",
        d.arrived_at ? when(d.arrived_at) : "",
        d.findings ? T(`verify.findings_${d.findings}`) : "",
      ]);
      section.append(
        table("verify-table", [T("verify.dispatches"), T("logbook.time"), T("verify.eta_at"), T("verify.arrived"), T("verify.findings")], rows, "verify-dispatches"),
      );
    }
    if (file.requests.length) {
      const rows = file.requests.map((r) => [when(r.at), r.partner_name, r.message, r.reference, String(r.avs_score), r.basis]);
      section.append(
        table("verify-table", [T("logbook.time"), T("verify.partner"), T("verify.message"), T("verify.reference"), "AVS", T("verify.basis")], rows, "verify-requests"),
      );
    }
    return section;
  }

  /** Called by console.js at the end of each drawing of the alarm view. */
  function decorate(view, id) {
    view.append(draw(id));
    load(id);
  }

  // ---------------------------------------------------------------- the dialog
  const dialog = document.createElement("dialog");
  dialog.className = "help alarm-dialog verify-dialog";
  dialog.dataset.testid = "verify-dialog";
  document.body.append(dialog);
  let keys = {}; // the open dialog's own keys
  let submit = null;
  let returnTo = null;

  function field(label, input) {
    const wrap = document.createElement("label");
    wrap.className = "field-label";
    wrap.append(label, input);
    return wrap;
  }

  function input(name, type = "text", max = 2000) {
    const node = document.createElement("input");
    node.name = name;
    node.type = type;
    if (type === "text") node.maxLength = max;
    node.dataset.testid = `verify-${name}`;
    return node;
  }

  /** Radio buttons, each with its key; the keys pick them while no text field has the focus. */
  function choices(name, items, testid) {
    const set = document.createElement("fieldset");
    set.className = "choice";
    set.dataset.testid = testid;
    for (const [key, value, label] of items) {
      const wrap = document.createElement("label");
      const radio = document.createElement("input");
      radio.type = "radio";
      radio.name = name;
      radio.value = value;
      radio.dataset.testid = `${name}-${value}`;
      const kbd = document.createElement("kbd");
      kbd.textContent = key.toUpperCase();
      wrap.append(radio, " ", kbd, ` ${label}`);
      set.append(wrap);
      keys[key] = () => {
        radio.checked = true;
        radio.dispatchEvent(new Event("change", { bubbles: true }));
      };
    }
    return set;
  }

  const picked = (form, name) => form.querySelector(`input[name="${name}"]:checked`)?.value ?? "";

  function openDialog(title, build, onSubmit) {
    keys = {};
    const form = document.createElement("form");
    form.className = "alarm-form";
    form.autocomplete = "off";
    form.noValidate = true;
    form.tabIndex = -1;
    const h = document.createElement("h2");
    h.textContent = title;
    const error = document.createElement("p");
    error.className = "alert";
    error.setAttribute("role", "alert");
    error.dataset.testid = "verify-error";
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
    ok.dataset.testid = "verify-submit";
    ok.textContent = `${T("verify.record")} `;
    ok.append(Object.assign(document.createElement("kbd"), { textContent: "Enter" }));
    actions.append(cancel, ok);
    form.append(h);
    build(form);
    form.append(error, actions);
    submit = async () => {
      error.hidden = true;
      ok.disabled = true;
      try {
        const problem = await onSubmit(form);
        if (problem) {
          error.textContent = problem;
          error.hidden = false;
        } else dialog.close();
      } finally {
        ok.disabled = false;
      }
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit();
    });
    dialog.replaceChildren(form);
    returnTo = document.activeElement;
    dialog.showModal();
    form.focus();
  }

  dialog.addEventListener("close", () => {
    const back = returnTo?.isConnected && returnTo !== document.body ? returnTo : null;
    returnTo = null;
    if (back) back.focus();
    else C.focusHome();
  });
  dialog.addEventListener("keydown", (event) => {
    if (event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Enter" && !(event.target instanceof HTMLButtonElement)) {
      event.preventDefault();
      submit?.();
      return;
    }
    if (C.isField(event.target)) return; // typing
    const action = keys[event.key.length === 1 ? event.key.toLowerCase() : event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  /** POST or PATCH to the alarm; answers an error sentence, or null once done. */
  async function post(method, id, tail, body, done) {
    try {
      const response = await send(method, url(id, tail), body);
      const reply = await readJson(response);
      if (!response.ok) return `${response.status === 409 ? `${T("verify.refused")}: ` : ""}${errorDetail(reply, response)}`;
      notify(done);
      C.refresh();
      load(id);
      return null;
    } catch {
      return T("error.offline");
    }
  }

  // ---------------------------------------------------------------- the acts
  function heldAlarm() {
    const alarm = C.openAlarm();
    if (!alarm) return null;
    if (alarm.state !== "taken") {
      notify(T("verify.take_first"), true);
      return null;
    }
    return alarm;
  }

  function openVerify() {
    const alarm = heldAlarm();
    if (!alarm) return;
    openDialog(
      T("verify.form_title"),
      (form) => {
        const hint = span("help-intro", T("verify.form_hint"));
        form.append(hint);
        form.append(choices("method", [["v", "video", T("verify.method_video")], ["u", "audio", T("verify.method_audio")]], "verify-methods"));
        form.append(
          choices(
            "outcome",
            [
              ["c", "confirmed", T("verify.outcome_confirmed")],
              ["n", "not_confirmed", T("verify.outcome_not_confirmed")],
              ["i", "inconclusive", T("verify.outcome_inconclusive")],
            ],
            "verify-outcomes",
          ),
        );
        const threat = document.createElement("select");
        threat.name = "threat";
        threat.dataset.testid = "verify-threat";
        for (const t of THREATS) threat.append(new Option(T(`verify.threat_${t}`), t));
        form.append(field(`${T("verify.threat")} `, threat));
        form.append(field(`${T("verify.note")} `, input("note")));
      },
      (form) => {
        const outcome = picked(form, "outcome");
        const body = { method: picked(form, "method"), outcome, note: form.elements.note.value };
        if (outcome === "confirmed") body.threat = form.elements.threat.value;
        return post("POST", alarm.id, "verifications", body, T("verify.record"));
      },
    );
  }

  async function openDispatch() {
    const alarm = heldAlarm();
    if (!alarm) return;
    const choicesFile = await getJson(url(alarm.id, "responders"));
    const people = (choicesFile?.responders ?? []).slice(0, 9);
    if (!people.length) return notify(T("verify.nobody"), true);
    openDialog(
      T("verify.dispatch_title"),
      (form) => {
        form.append(span("help-intro", T("verify.dispatch_hint")));
        const items = people.map((p, i) => [String(i + 1), String(i), `${p.name} (${p.kind === "keyholder" ? T("verify.keyholder") : p.kind})`]);
        form.append(choices("responder", items, "verify-responders"));
        form.append(field(`${T("verify.eta")} `, Object.assign(input("eta", "number"), { min: 0, max: 1440 })));
      },
      (form) => {
        const person = people[Number(picked(form, "responder"))];
        if (!person) return T("verify.dispatch_hint");
        const eta = form.elements.eta.value;
        const body = { unit_id: person.unit_id, contact_id: person.contact_id, eta_minutes: eta === "" ? null : Number(eta) };
        return post("POST", alarm.id, "dispatches", body, `${T("verify.send")}: ${person.name}`);
      },
    );
  }

  function openFindings() {
    const alarm = heldAlarm();
    if (!alarm) return;
    const dispatch = [...(files.get(alarm.id)?.dispatches ?? [])].reverse().find((d) => !d.findings);
    if (!dispatch) return notify(T("verify.no_dispatch"), true);
    openDialog(
      `${T("verify.findings_title")} — ${dispatch.name}`,
      (form) => {
        form.append(span("help-intro", T("verify.findings_hint")));
        const items = FINDINGS.map((f, i) => [String(i + 1), f, T(`verify.findings_${f}`)]);
        if (!dispatch.arrived_at) items.unshift(["0", "", T("verify.arrival_only")]);
        form.append(choices("findings", items, "verify-findings"));
        form.append(field(`${T("verify.note")} `, input("note")));
      },
      (form) => {
        const findings = picked(form, "findings");
        const body = { arrived: !findings, findings, note: form.elements.note.value };
        return post("PATCH", alarm.id, `dispatches/${encodeURIComponent(dispatch.id)}`, body, T("verify.arrived"));
      },
    );
  }

  async function openRequest() {
    const alarm = heldAlarm();
    if (!alarm) return;
    const choicesFile = await getJson(url(alarm.id, "responders"));
    const partners = (choicesFile?.partners ?? []).slice(0, 9);
    if (!partners.length) return notify(T("verify.no_partner"), true);
    openDialog(
      T("verify.request_title"),
      (form) => {
        form.append(span("help-intro", T("verify.request_hint")));
        const items = partners.map((p, i) => [String(i + 1), p.id, `${p.name} (${p.kind})`]);
        form.append(choices("partner", items, "verify-partners"));
        const message = input("message");
        message.value = T("verify.default_message", {
          alarm: T(`class.${alarm.alarm_class}`),
          site: `${alarm.site_ref ?? ""} ${alarm.site_name ?? ""}`.trim(),
        });
        form.append(field(`${T("verify.message")} `, message));
        form.append(field(`${T("verify.reference")} `, input("reference", "text", 100)));
        form.append(field(`${T("verify.note")} `, input("note")));
      },
      (form) => {
        const body = {
          partner_id: picked(form, "partner"),
          message: form.elements.message.value,
          reference: form.elements.reference.value,
          note: form.elements.note.value,
        };
        if (!body.partner_id) return T("verify.request_hint");
        return post("POST", alarm.id, "requests", body, T("verify.requested"));
      },
    );
  }

  function downloadEvidence() {
    const alarm = C.openAlarm();
    if (!alarm) return;
    const link = document.createElement("a");
    link.href = url(alarm.id, "evidence");
    link.setAttribute("download", "");
    document.body.append(link);
    link.click();
    link.remove();
  }

  const KEYS = { v: openVerify, g: openDispatch, a: openFindings, d: openRequest, e: downloadEvidence };
  document.addEventListener("keydown", (event) => {
    if (!C.canHandle || event.defaultPrevented || event.isComposing) return;
    if (event.ctrlKey || event.metaKey || event.altKey || C.isField(event.target)) return;
    if (document.querySelector("dialog[open]")) return; // a dialog has its own keys
    const action = KEYS[event.key.length === 1 ? event.key.toLowerCase() : ""];
    if (!action || !C.openAlarm()) return;
    event.preventDefault();
    action();
  });

  window.TocsinVerify = { decorate };
})();
