// Tocsin console: the open alarm's action plan (its checklist) and its site's temporary instructions.
// Plain JavaScript, no build step. console.js calls TocsinAlarmPlan.render(view, alarm) each time it
// draws the alarm view; this module fetches the checklist and the instructions, draws them into the view
// (the instructions banner on top, the checklist under the alarm's head) and keeps them fresh.
//
// Keys (while no field or dialog has the focus): Shift+↓ / Shift+↑ (or Shift+J / Shift+K) move between
// the steps, O completes the current step with its result, X skips it with a reason. Only the operator
// holding the alarm may act; the server refuses anyone else.
"use strict";

(() => {
  const STRINGS = JSON.parse(document.getElementById("ui-strings")?.textContent || "{}");
  const T = (key, params = {}) =>
    (STRINGS[key] ?? key).replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  const CSRF = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
  const CAN_HANDLE = document.body.dataset.canHandle === "yes";
  const LOCALE = (document.documentElement.lang || "en") === "fr" ? "fr-FR" : "en-GB";
  const ZONE = document.body.dataset.roomTimeZone || undefined;
  const timeFormat = (() => {
    const options = { day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    try {
      return new Intl.DateTimeFormat(LOCALE, { ...options, timeZone: ZONE });
    } catch {
      return new Intl.DateTimeFormat(LOCALE, options);
    }
  })();
  const at = (iso) => (iso ? timeFormat.format(new Date(iso)) : "");

  const state = {
    alarm: null, // the alarm as console.js last drew it
    me: null, // my user id, to know whether I hold the alarm
    checklist: null, // GET /alarms/{id}/steps
    instructions: [], // GET /sites/{id}/instructions
    current: 0, // index of the current step
    view: null, // the alarm view drawn last
    loading: false,
    again: false,
  };

  async function getJson(url) {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) return null;
    return response.json();
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": CSRF },
      body: JSON.stringify(body),
    });
    let reply = null;
    try {
      reply = await response.json();
    } catch {
      reply = null;
    }
    return { ok: response.ok, reply };
  }

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  // ---------------------------------------------------------------- drawing
  function banner() {
    const now = Date.now();
    const shown = state.instructions.filter((x) => x.in_force || Date.parse(x.starts_at) > now);
    if (!shown.length) return null;
    const box = el("div", "instructions-banner");
    box.setAttribute("role", "note");
    box.dataset.testid = "instructions-banner";
    box.append(el("h3", "alarm-section", T("instructions.title")));
    const list = el("ul", "instructions-list");
    for (const x of shown) {
      const item = el("li", x.in_force ? "is-in-force" : "is-later");
      item.dataset.testid = "instruction";
      item.dataset.kind = x.kind;
      item.append(el("strong", "", T(`instructions.kind.${x.kind}`)), " ", el("span", "", x.text));
      const when = x.in_force ? T("instructions.until", { time: at(x.ends_at) }) : T("instructions.from", { time: at(x.starts_at) });
      const bits = [when];
      if (x.account) bits.push(`#${x.account}`);
      if (x.caller) bits.push(T("instructions.caller", { name: x.caller }));
      item.append(" ", el("span", "instruction-when", `(${bits.join(" · ")})`));
      list.append(item);
    }
    box.append(list);
    return box;
  }

  function holding() {
    const alarm = state.alarm;
    return CAN_HANDLE && alarm?.state === "taken" && state.me && alarm.holder_id === state.me;
  }

  function panel() {
    const list = state.checklist;
    const box = el("section", "alarm-plan");
    box.dataset.testid = "alarm-plan";
    if (!list) return box;
    const source = list.steps[0]?.source ?? "default";
    box.append(el("h3", "alarm-section", `${T("plan.title")} · ${T(`plan.source.${source}`)}`));
    if (!list.started) box.append(el("p", "empty-hint", T("plan.preview")));
    const ol = el("ol", "plan-steps");
    ol.dataset.testid = "plan-steps";
    state.current = Math.min(state.current, Math.max(list.steps.length - 1, 0));
    list.steps.forEach((step, index) => {
      const item = el("li", `plan-step is-${step.state}`);
      item.dataset.testid = "plan-step";
      item.dataset.state = step.state;
      item.dataset.kind = step.kind;
      item.dataset.mandatory = step.mandatory ? "yes" : "no";
      if (list.started && index === state.current) {
        item.classList.add("is-current");
        item.setAttribute("aria-current", "step");
      }
      const head = el("p", "plan-step-head");
      head.append(
        el("span", "plan-step-no", `${step.position}.`),
        " ",
        el("strong", "", T(`plan.kind.${step.kind}`)),
        " ",
        el("span", step.mandatory ? "plan-mandatory" : "plan-optional", step.mandatory ? `* ${T("plan.mandatory")}` : T("plan.optional")),
        " ",
        el("span", `plan-state is-${step.state}`, T(`plan.state.${step.state}`)),
      );
      item.append(head, el("p", "plan-instruction", step.instruction));
      if (step.state !== "pending") {
        const said = [step.result, step.answered_by, step.said, step.reason].filter(Boolean).join(" · ");
        const outcome = el("p", "plan-outcome", said);
        outcome.append(" ", el("span", "plan-by", T("plan.by", { name: step.done_by, time: at(step.done_at) })));
        item.append(outcome);
      }
      ol.append(item);
    });
    box.append(ol);
    const pending = list.steps.filter((s) => s.mandatory && s.state === "pending").length;
    const status = el("p", pending ? "plan-status is-pending" : "plan-status is-ready");
    status.dataset.testid = "plan-status";
    status.textContent = pending ? T("plan.not_ready", { count: pending }) : T("plan.ready");
    box.append(status);
    if (holding()) box.append(el("p", "pane-note plan-keys", T("plan.keys")));
    return box;
  }

  function draw(building = false) {
    const view = state.view;
    if (!view || (!building && !view.isConnected)) return; // a view drawn since replaced this one
    view.querySelector('[data-testid="instructions-banner"]')?.remove();
    const top = banner();
    if (top) view.prepend(top);
    const old = view.querySelector('[data-testid="alarm-plan"]');
    const fresh = panel();
    if (old) old.replaceWith(fresh);
    else {
      const head = view.querySelector(".alarm-head");
      if (head) head.after(fresh);
      else view.append(fresh);
    }
  }

  // ---------------------------------------------------------------- data
  async function load() {
    if (state.loading) {
      state.again = true;
      return;
    }
    const alarm = state.alarm;
    if (!alarm) return;
    state.loading = true;
    try {
      if (state.me === null) state.me = (await getJson("/api/v1/me"))?.id ?? "";
      const [checklist, instructions] = await Promise.all([
        getJson(`/api/v1/alarms/${encodeURIComponent(alarm.id)}/steps`),
        alarm.site_id ? getJson(`/api/v1/sites/${encodeURIComponent(alarm.site_id)}/instructions`) : [],
      ]);
      if (state.alarm?.id !== alarm.id) return;
      if (checklist) {
        const firstLoad = state.checklist?.alarm_id !== alarm.id || !state.checklist?.started;
        const was = firstLoad ? null : state.checklist.steps[state.current];
        state.checklist = checklist;
        const pending = checklist.steps.findIndex((s) => s.state === "pending");
        if (firstLoad) state.current = Math.max(0, pending);
        else if (was?.state === "pending" && pending >= 0) {
          // an act (a call, a dispatch, a request, a class switch) completed or replaced the current
          // step by itself: move on to the next pending step, as O and X do
          const now = checklist.steps.find((s) => s.id === was.id);
          if (!now || now.state !== "pending") state.current = pending;
        }
      }
      state.instructions = instructions ?? [];
      draw();
    } catch {
      // offline: the panel keeps what it had
    } finally {
      state.loading = false;
      if (state.again) {
        state.again = false;
        load();
      }
    }
  }

  /** Called by console.js each time it draws the alarm view. */
  function render(view, alarm) {
    const changed = state.alarm?.id !== alarm?.id;
    state.alarm = alarm;
    state.view = view;
    if (changed) {
      state.checklist = null;
      state.instructions = [];
      state.current = 0;
    }
    draw(true);
    load();
  }

  // ---------------------------------------------------------------- acting on a step
  let dialog = null;
  function makeDialog() {
    dialog = el("dialog", "help alarm-dialog plan-dialog");
    dialog.dataset.testid = "step-dialog";
    const form = el("form", "alarm-form");
    form.noValidate = true;
    form.autocomplete = "off";
    const title = el("h2", "", "");
    const what = el("p", "help-intro", "");
    form.append(title, what);
    const field = (name, label, testid) => {
      const id = `plan-${name}`;
      const caption = el("label", "field-label", label);
      caption.htmlFor = id;
      const input = el("input");
      input.id = id;
      input.name = name;
      input.type = "text";
      input.maxLength = name === "answered_by" ? 200 : 2000;
      input.dataset.testid = testid;
      form.append(caption, input);
      return [caption, input];
    };
    const result = field("result", T("plan.result"), "step-result");
    const answered = field("answered_by", T("plan.answered_by"), "step-answered-by");
    const said = field("said", T("plan.said"), "step-said");
    const reason = field("reason", T("plan.reason"), "step-reason");
    const error = el("p", "alert");
    error.setAttribute("role", "alert");
    error.dataset.testid = "step-error";
    error.hidden = true;
    const actions = el("div", "help-actions");
    const cancel = el("button", "quiet", `${T("dialog.cancel")} `);
    cancel.type = "button";
    cancel.append(el("kbd", "", "Esc"));
    const submit = el("button", "primary", "");
    submit.type = "submit";
    actions.append(cancel, submit);
    form.append(error, actions);
    dialog.append(form);
    document.body.append(dialog);
    cancel.addEventListener("click", () => dialog.close());
    dialog.addEventListener("keydown", (event) => {
      event.stopPropagation(); // the console's keys do not apply inside this dialog
      if (event.key === "Enter" && !(event.target instanceof HTMLButtonElement)) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    dialog.addEventListener("close", () => document.querySelector('[data-testid="alarm-plan"]')?.focus?.());
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const { step, verb } = dialog.acting;
      let body;
      if (verb === "done") {
        body = { result: result[1].value.trim(), answered_by: answered[1].value.trim(), said: said[1].value.trim() };
        if (!body.result && !body.answered_by && !body.said) return fail(T("plan.need_result"));
      } else {
        body = { reason: reason[1].value.trim() };
        if (!body.reason) return fail(T("plan.need_reason"));
      }
      const url = `/api/v1/alarms/${encodeURIComponent(state.alarm.id)}/steps/${encodeURIComponent(step.id)}/${verb}`;
      try {
        const { ok, reply } = await post(url, body);
        if (!ok) return fail(reply?.detail ?? T("error.offline"));
        if (reply?.steps) {
          state.checklist = reply;
          const next = reply.steps.findIndex((s) => s.state === "pending");
          if (next >= 0) state.current = next;
          draw();
        }
        dialog.close();
      } catch {
        fail(T("error.offline"));
      }
      return undefined;
    });
    function fail(text) {
      error.textContent = text;
      error.hidden = false;
    }
    dialog.parts = { title, what, result, answered, said, reason, error, submit };
  }

  function openStepDialog(verb) {
    const list = state.checklist;
    if (!list?.started || !holding()) return notice(T("plan.not_holder"));
    const step = list.steps[state.current];
    if (!step || step.state !== "pending") return notice(T("plan.no_step"));
    if (!dialog) makeDialog();
    const p = dialog.parts;
    dialog.acting = { step, verb };
    p.title.textContent = verb === "done" ? T("plan.done_title") : T("plan.skip_title");
    p.what.textContent = `${step.position}. ${T(`plan.kind.${step.kind}`)}: ${step.instruction}`;
    for (const [caption, input] of [p.result, p.answered, p.said, p.reason]) {
      input.value = "";
      const shown = verb === "done" ? input !== p.reason[1] : input === p.reason[1];
      caption.hidden = !shown;
      input.hidden = !shown;
    }
    p.error.hidden = true;
    p.submit.replaceChildren(`${verb === "done" ? T("plan.submit_done") : T("plan.submit_skip")} `, el("kbd", "", "Enter"));
    dialog.showModal();
    (verb === "done" ? p.result[1] : p.reason[1]).focus();
    return undefined;
  }

  let noticeTimer = null;
  function notice(text) {
    const box = document.getElementById("notice"); // the status line's notice, as console.js uses it
    if (!box) return;
    box.textContent = text;
    box.classList.add("is-error");
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => {
      if (box.textContent === text) box.textContent = "";
    }, 10000);
  }

  function move(step) {
    const list = state.checklist;
    if (!list?.started || !list.steps.length) return;
    state.current = Math.min(Math.max(state.current + step, 0), list.steps.length - 1);
    draw();
    document.querySelector('[data-testid="plan-step"].is-current')?.scrollIntoView({ block: "nearest" });
  }

  const isField = (target) =>
    target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || target?.isContentEditable;

  // Registered on window in the capture phase: these keys are decided before console.js's, which skips
  // an event already handled.
  window.addEventListener(
    "keydown",
    (event) => {
      if (!state.view?.isConnected || event.defaultPrevented || event.isComposing) return;
      if (document.querySelector("dialog[open]") || isField(event.target)) return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const key = event.key;
      let action = null;
      if (event.shiftKey && (key === "ArrowDown" || key === "J")) action = () => move(1);
      else if (event.shiftKey && (key === "ArrowUp" || key === "K")) action = () => move(-1);
      else if (!event.shiftKey && CAN_HANDLE && (key === "o" || key === "O")) action = () => openStepDialog("done");
      else if (!event.shiftKey && CAN_HANDLE && (key === "x" || key === "X")) action = () => openStepDialog("skip");
      if (!action) return;
      event.preventDefault();
      action();
    },
    true,
  );

  window.TocsinAlarmPlan = { render };
})();
