// Tocsin event partners: in an event's file, the partners the notification matrix says to tell, a
// message sent from a template, the partner's acknowledgment and reference, the radio channel, the
// report (compte-rendu) that closing needs, a correction of reference data, the sheet and EMSI export.
// Plain JavaScript, no build step. The event board calls TocsinEventPartners.show(section, id) each time
// the file is drawn whole, and TocsinEventPartners.refresh(id) on live news about the event: the section
// stays the same element per event and is updated in place (a list's unchanged lines are kept), so what
// is being typed, and the focus, are kept.
"use strict";

(() => {
  const STRINGS = JSON.parse(document.getElementById("ui-strings")?.textContent || "{}");
  const T = (key) => STRINGS[key] ?? key;
  const LANG = document.documentElement.lang || "en";
  const ZONE = document.body.dataset.roomTimeZone || undefined;
  const csrf = () => document.querySelector('meta[name="csrf-token"]')?.getAttribute("content") || "";
  const panels = new Map(); // event id → its section (at most a few kept)

  const node = (tag, className, text) => {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text !== undefined && text !== null) made.textContent = String(text);
    return made;
  };
  const time = (iso) => {
    const at = new Date(iso);
    if (!iso || Number.isNaN(at.getTime())) return "";
    return at.toLocaleTimeString(LANG === "fr" ? "fr-FR" : "en-GB", { timeZone: ZONE, hour12: false });
  };
  const option = (value, text, selected = false) => {
    const made = node("option", "", text);
    made.value = value;
    made.selected = selected;
    return made;
  };
  /** Make ``list``'s children the lines of ``items`` in order; a line whose key did not change keeps its
   * element (and what is typed in it, and the focus), the others are made by ``make``. */
  const reconcile = (list, items, keyOf, make) => {
    const kept = new Map([...list.children].map((li) => [li.dataset.key, li]));
    const wanted = items.map((item) => {
      const key = keyOf(item);
      const li = kept.get(key) ?? make(item);
      li.dataset.key = key;
      kept.delete(key);
      return li;
    });
    for (const li of kept.values()) li.remove();
    wanted.forEach((li, at) => {
      if (list.children[at] !== li) list.insertBefore(li, list.children[at] ?? null);
    });
  };
  /** Replace a select's options only when they changed (an open list stays open, the choice stays). */
  const options = (select, made) => {
    const signature = made.map((o) => `${o.value}\u0000${o.textContent}`).join("\u0001");
    if (select.dataset.signature === signature) return;
    const chosen = select.value;
    select.replaceChildren(...made);
    if (made.some((o) => o.value === chosen)) select.value = chosen;
    select.dataset.signature = signature;
  };
  const field = (labelText, control) => {
    const wrap = node("label", "ep-field");
    wrap.append(node("span", "", labelText), control);
    return wrap;
  };

  async function call(method, url, body) {
    const answer = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await answer.json().catch(() => ({}));
    if (!answer.ok) throw new Error(data.detail || String(answer.status));
    return data;
  }

  function build(id) {
    const base = `/api/v1/events/${encodeURIComponent(id)}`;
    const section = node("section", "event-partners");
    section.dataset.testid = "event-partners";
    const status = node("p", "ep-status");
    status.setAttribute("role", "status");
    const say = (text, bad = false) => {
      status.textContent = text;
      status.classList.toggle("is-bad", bad);
    };
    const suggestions = node("ul", "ep-suggestions");
    suggestions.dataset.testid = "ep-suggestions";
    const chain = node("p", "ep-chain");
    chain.dataset.testid = "ep-chain";
    const requests = node("ul", "ep-requests");
    requests.dataset.testid = "ep-requests";

    // send from a template
    const partner = node("select");
    partner.dataset.testid = "ep-partner";
    const channel = node("select");
    channel.dataset.testid = "ep-channel";
    for (const c of ["phone", "email", "radio"]) channel.append(option(c, c));
    const template = node("select");
    template.dataset.testid = "ep-template";
    const extra = node("input");
    extra.placeholder = "caller_phone=06…";
    extra.dataset.testid = "ep-fields";
    const send = node("button", "primary", T("partners.send"));
    send.type = "submit";
    send.dataset.testid = "ep-send";
    const sendForm = node("form", "ep-form");
    sendForm.append(
      field(T("partners.partner"), partner),
      field(T("partners.channel"), channel),
      field(T("partners.template"), template),
      field(T("partners.fields"), extra),
      send,
    );
    sendForm.addEventListener("submit", async (e) => {
      e.preventDefault();
      const fields = {};
      for (const pair of extra.value.split(";")) {
        const at = pair.indexOf("=");
        if (at > 0) fields[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
      }
      try {
        await call("POST", `${base}/partner-requests`, {
          partner_id: partner.value,
          channel: channel.value,
          template_code: template.value,
          fields,
        });
        extra.value = "";
        say(T("partners.sent"));
        refresh();
      } catch (error) {
        say(error.message, true);
      }
    });

    // radio
    const radio = node("input");
    radio.dataset.testid = "ep-radio";
    const talkgroup = node("input");
    const radioForm = node("form", "ep-form");
    const assign = node("button", "", T("partners.assign"));
    assign.type = "submit";
    radioForm.append(field(T("partners.radio"), radio), field(T("partners.talkgroup"), talkgroup), assign);
    radioForm.addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        await call("PUT", `${base}/radio`, { channel: radio.value, talkgroup: talkgroup.value });
        say(T("partners.radio"));
      } catch (error) {
        say(error.message, true);
      }
    });

    // report and close
    const outcomes = node("div", "ep-outcomes");
    outcomes.dataset.testid = "ep-outcomes";
    const text = node("textarea");
    text.rows = 3;
    text.dataset.testid = "ep-report-text";
    const written = node("p", "ep-written");
    const save = node("button", "", T("report.save"));
    save.type = "button";
    const close = node("button", "primary", T("report.close"));
    close.type = "submit";
    close.dataset.testid = "ep-close";
    const reportForm = node("form", "ep-form ep-report");
    reportForm.append(outcomes, field(T("report.text"), text), written, save, close);
    const report = () => ({
      outcomes: [...outcomes.querySelectorAll("input:checked")].map((x) => x.value),
      text: text.value,
    });
    save.addEventListener("click", async () => {
      try {
        await call("PUT", `${base}/report`, report());
        say(T("report.save"));
        refresh();
      } catch (error) {
        say(error.message, true);
      }
    });
    reportForm.addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        await call("POST", `${base}/close`, report());
        say(T("report.close"));
      } catch (error) {
        say(error.message, true);
      }
    });

    // a correction of reference data
    const subject = node("select");
    for (const s of ["address", "contact", "site", "partner", "other"]) subject.append(option(s, s));
    const ref = node("input");
    const what = node("input");
    what.dataset.testid = "ep-correction-text";
    const file = node("button", "", T("correction.file"));
    file.type = "submit";
    const correctionForm = node("form", "ep-form");
    correctionForm.append(
      field(T("correction.subject"), subject),
      field(T("correction.ref"), ref),
      field(T("correction.text"), what),
      file,
    );
    correctionForm.addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        await call("POST", `${base}/corrections`, { subject: subject.value, ref: ref.value, text: what.value });
        what.value = "";
        say(T("correction.filed"));
      } catch (error) {
        say(error.message, true);
      }
    });

    const links = node("p", "ep-links");
    const sheet = node("a", "", T("report.sheet"));
    sheet.href = `${base}/sheet.pdf`;
    sheet.dataset.testid = "ep-sheet";
    const emsi = node("a", "", T("report.emsi"));
    emsi.href = `${base}/emsi`;
    emsi.target = "_blank";
    links.append(sheet, " · ", emsi);

    section.append(
      node("h4", "", T("partners.suggested")),
      chain,
      suggestions,
      sendForm,
      node("h4", "", T("partners.requests")),
      requests,
      radioForm,
      node("h4", "", T("report.title")),
      reportForm,
      node("h4", "", T("correction.title")),
      correctionForm,
      links,
      status,
    );

    function ackForm(request) {
      const form = node("form", "ep-ack");
      const reference = node("input");
      reference.placeholder = T("partners.reference");
      reference.dataset.testid = "ep-ack-reference";
      const record = node("button", "", T("partners.record_ack"));
      record.type = "submit";
      record.dataset.testid = "ep-ack";
      form.append(reference, record);
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        try {
          await call("POST", `${base}/partner-requests/${encodeURIComponent(request.id)}/ack`, {
            reference: reference.value,
          });
          refresh();
        } catch (error) {
          say(error.message, true);
        }
      });
      return form;
    }

    function draw(view) {
      options(partner, view.partners.map((p) => option(p.id, `${p.name} (${T(`partner_kind.${p.kind}`)})`)));
      options(template, view.templates.map((t) => option(t.code, t.name)));
      chain.textContent = view.chain_of_command.length
        ? `${T("partners.chain")}: ${view.chain_of_command.join(", ")}`
        : "";
      const none = (text) => [{ none: text }];
      reconcile(
        suggestions,
        view.suggestions.length ? view.suggestions : none(T("partners.none_suggested")),
        (s) => JSON.stringify(s),
        (s) => {
          if (s.none) return node("li", "muted", s.none);
          const li = node("li", s.sent ? "is-sent" : "");
          li.dataset.partner = s.partner_id;
          li.append(node("strong", "", s.partner_name), ` · ${s.channel} ${s.address || ""} · `, node("span", "muted", s.reason));
          if (s.sent) li.append(" ", node("span", "tag", `✓ ${T("partners.sent")}`));
          else {
            const use = node("button", "", T("partners.send"));
            use.type = "button";
            use.dataset.testid = "ep-suggestion-send";
            use.addEventListener("click", () => {
              partner.value = s.partner_id;
              channel.value = s.channel;
              template.value = s.template_code;
              sendForm.requestSubmit();
            });
            li.append(" ", use);
          }
          return li;
        },
      );
      reconcile(
        requests,
        view.requests.length ? view.requests : none(T("partners.no_requests")),
        (r) => JSON.stringify(r),
        (r) => {
          if (r.none) return node("li", "muted", r.none);
          const li = node("li");
          li.dataset.id = r.id;
          li.append(node("time", "", time(r.sent_at)), " ", node("strong", "", r.partner_name), ` (${r.channel} ${r.address}) — ${r.message} `);
          if (r.acknowledged) li.append(node("span", "tag", `${T("partners.ack")} ${time(r.acked_at)} ${r.reference}`.trim()));
          else li.append(node("span", "muted", T("partners.waiting")), " ", ackForm(r));
          return li;
        },
      );
      if (view.radio && !radio.value && document.activeElement !== radio) {
        radio.value = view.radio.channel;
        talkgroup.value = view.radio.talkgroup;
      }
      if (!outcomes.childElementCount) {
        for (const o of view.outcome_codes) {
          const box = node("input");
          box.type = "checkbox";
          box.value = o.code;
          const wrap = node("label", "ep-outcome");
          wrap.append(box, ` ${T(`outcome.${o.code}`)} `, node("span", "muted", o.apco));
          outcomes.append(wrap);
        }
      }
      if (view.report) {
        written.textContent = `${T("report.written")} ${view.report.by} ${time(view.report.written_at)} — ${view.report.dispositions.join(", ")}`;
        if (!text.value && document.activeElement !== text) {
          text.value = view.report.text;
          for (const box of outcomes.querySelectorAll("input")) box.checked = view.report.outcomes.includes(box.value);
        }
      }
    }

    async function refresh() {
      try {
        const answer = await fetch(`${base}/partners`, { credentials: "same-origin" });
        if (answer.ok) draw(await answer.json());
      } catch {
        /* the next entry about this event redraws it */
      }
    }
    section.refresh = refresh;
    return section;
  }

  window.TocsinEventPartners = {
    /** Put the event's partners panel at the end of ``container`` and bring it up to date. */
    show(container, id) {
      let section = panels.get(id);
      if (!section) {
        if (panels.size >= 8) panels.delete(panels.keys().next().value);
        section = build(id);
        panels.set(id, section);
      }
      container.append(section);
      section.refresh();
    },
    /** Live news about the event: its panel, where it stands, reads its data again (nothing is moved). */
    refresh(id) {
      const section = panels.get(id);
      if (section?.isConnected) section.refresh();
    },
  };
})();
