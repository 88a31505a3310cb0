// The sites page: search a site, read its file and, with the permissions for it, edit it. Everything goes
// through /api/v1 with the session's CSRF token, so the server checks, scopes and logs each change; the
// flags in #sites-config only keep controls the user may not use off the screen. Keyboard first: "/"
// searches, the arrows move through the results, Enter opens one, Escape comes back to the search.
// Secrets (a contact's password and duress word) are only ever sent: the page shows "set" or "not set".
(function () {
  "use strict";
  var T = JSON.parse(document.getElementById("sites-strings").textContent);
  var CONFIG = JSON.parse(document.getElementById("sites-config").textContent);
  var CAN = CONFIG.can;
  var CSRF = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var search = document.getElementById("site-search");
  var results = document.getElementById("site-results");
  var message = document.getElementById("sites-message");
  var file = document.getElementById("site-file");
  var fileTitle = document.getElementById("site-file-title");
  var fileBody = document.getElementById("site-file-body");
  var clients = {};
  var schedules = [];
  var current = null; // the open site's file
  var editing = null; // the alarm class whose site plan is being edited
  var searchTimer = null;
  var searchSeq = 0;

  function known(key) { return Object.prototype.hasOwnProperty.call(T, key); }
  function word(prefix, value) { return known(prefix + value) ? T[prefix + value] : value; }

  function t(key, params) {
    var text = known(key) ? T[key] : key;
    Object.keys(params || {}).forEach(function (name) { text = text.split("{" + name + "}").join(params[name]); });
    return text;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) { return; }
      if (name === "text") { node.textContent = value; }
      else if (name === "dataset") { Object.assign(node.dataset, value); }
      else if (name === "on") { Object.keys(value).forEach(function (ev) { node.addEventListener(ev, value[ev]); }); }
      else if (value === true) { node.setAttribute(name, ""); }
      else { node.setAttribute(name, String(value)); }
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) { node.append(child); }
    });
    return node;
  }

  function say(text, isError) {
    message.textContent = text;
    message.classList.toggle("is-error", Boolean(isError));
    message.dataset.state = isError ? "error" : "ok";
    message.setAttribute("role", isError ? "alert" : "status");
  }

  function api(method, url, body) {
    var options = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method !== "GET") { options.headers["X-CSRF-Token"] = CSRF; }
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      return response.text().then(function (text) {
        var data = text ? JSON.parse(text) : null;
        if (!response.ok) {
          var error = new Error((data && data.detail) || String(response.status));
          error.status = response.status;
          throw error;
        }
        return data;
      });
    });
  }

  function failed(error) { say(t("sitefile.failed", { detail: error.message }), true); }

  function formValues(form) {
    var values = {};
    new FormData(form).forEach(function (value, name) { values[name] = typeof value === "string" ? value.trim() : value; });
    return values;
  }

  function text(value) { return value === null || value === undefined || value === "" ? "–" : String(value); }

  // ---------------------------------------------------------------- search

  function runSearch() {
    var q = search.value.trim();
    var seq = ++searchSeq;
    if (!q) { results.replaceChildren(); delete results.dataset.loaded; return Promise.resolve(); }
    return api("GET", "/api/v1/sites?limit=20&q=" + encodeURIComponent(q)).then(function (found) {
      if (seq !== searchSeq) { return; }
      var items = found.map(function (site) {
        var label = site.name + " · " + site.ref;
        var where = [site.address, site.postcode, site.city].filter(Boolean).join(" ");
        var client = clients[site.client_id] ? clients[site.client_id].name : "";
        return el("li", {}, [el("button", {
          type: "button", class: "site-hit", "data-testid": "site-hit", dataset: { siteId: site.id, ref: site.ref },
          on: { click: function () { openSite(site.id, true); } },
        }, [el("strong", { text: label }), el("span", { class: "muted", text: [where, client].filter(Boolean).join(" · ") })])]);
      });
      if (!items.length) { items = [el("li", { class: "muted", "data-testid": "site-none", text: t("sitefile.none") })]; }
      results.replaceChildren.apply(results, items);
      results.dataset.loaded = q;
    }).catch(failed);
  }

  search.addEventListener("input", function () {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(runSearch, 150);
  });
  document.getElementById("site-search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    window.clearTimeout(searchTimer);
    var ready = results.dataset.loaded === search.value.trim() ? Promise.resolve() : runSearch();
    ready.then(function () {
      var first = results.querySelector("button");
      if (first) { first.focus(); }
    });
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown") {
      var first = results.querySelector("button");
      if (first) { ev.preventDefault(); first.focus(); }
    }
  });
  results.addEventListener("keydown", function (ev) {
    var hits = Array.prototype.slice.call(results.querySelectorAll("button"));
    var at = hits.indexOf(document.activeElement);
    if (at < 0) { return; }
    if (ev.key === "ArrowDown" && at < hits.length - 1) { ev.preventDefault(); hits[at + 1].focus(); }
    if (ev.key === "ArrowUp") { ev.preventDefault(); (at > 0 ? hits[at - 1] : search).focus(); }
  });
  document.addEventListener("keydown", function (ev) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    if (ev.key === "/" && !typing && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
      ev.preventDefault();
      search.focus();
      search.select();
    } else if (ev.key === "Escape" && document.activeElement !== search) {
      ev.preventDefault();
      search.focus();
    }
  });

  // ---------------------------------------------------------------- the site file

  function openSite(siteId, focusTitle) {
    return api("GET", "/api/v1/sites/" + siteId).then(function (site) {
      var changed = !current || current.id !== site.id;
      current = site;
      if (changed) { editing = null; }
      return Promise.all([
        api("GET", "/api/v1/sites/" + siteId + "/instructions"),
        Promise.all(CONFIG.plan_classes.map(function (k) {
          return api("GET", "/api/v1/sites/" + siteId + "/action-plans/" + k);
        })),
      ]).then(function (more) {
        render(site, more[0], more[1]);
        if (focusTitle) { fileTitle.focus(); }
      });
    }).catch(failed);
  }

  function refresh(done) {
    say(done);
    return openSite(current.id, false);
  }

  function render(site, instructions, plans) {
    var active = document.activeElement;
    var key = active && active.dataset ? active.dataset.key : null;
    fileTitle.textContent = site.name + " · " + site.ref;
    file.dataset.siteId = site.id;
    file.dataset.ref = site.ref;
    fileBody.replaceChildren(
      fieldsSection(site), scheduleSection(site), zonesSection(site), contactsSection(site),
      accountsSection(site), plansSection(site, plans), instructionsSection(site, instructions)
    );
    file.hidden = false;
    document.body.dataset.siteLoaded = site.id;
    document.body.dataset.loads = String(Number(document.body.dataset.loads || 0) + 1);
    if (key) {
      var again = fileBody.querySelector('[data-key="' + key + '"]');
      if (again) { again.focus(); }
    }
  }

  function section(id, title, children) {
    return el("section", { class: "site-part", id: "site-" + id, "data-testid": "site-" + id, "aria-labelledby": "site-" + id + "-title" },
      [el("h3", { id: "site-" + id + "-title", text: title })].concat(children));
  }

  function input(name, value, attrs) {
    return el("input", Object.assign({ name: name, value: value === null || value === undefined ? "" : value }, attrs || {}));
  }

  function labelled(label, control) { return el("label", {}, [label + " ", control]); }

  function fieldsSection(site) {
    var client = clients[site.client_id];
    var clientText = client ? client.name + " (" + client.ref + ")" : site.client_id;
    if (!CAN.write) {
      var rows = [
        ["sitefile.client", clientText], ["sitefile.name", site.name], ["sitefile.ref", site.ref],
        ["sitefile.address", site.address], ["sitefile.postcode", site.postcode], ["sitefile.city", site.city],
        ["sitefile.latitude", site.latitude], ["sitefile.longitude", site.longitude],
        ["sitefile.time_zone", site.time_zone], ["sitefile.notes", site.notes],
      ];
      return section("fields", t("sitefile.fields"), [el("dl", { class: "site-facts" }, rows.reduce(function (out, row) {
        return out.concat([el("dt", { text: t(row[0]) }), el("dd", { text: text(row[1]) })]);
      }, []))]);
    }
    var form = el("form", { class: "site-form", "data-testid": "site-fields-form" }, [
      labelled(t("sitefile.client"), el("select", { name: "client_id", dataset: { key: "f-client" } },
        Object.keys(clients).map(function (id) { return clients[id]; }).sort(function (a, b) {
          return a.name.localeCompare(b.name);
        }).map(function (c) {
          return el("option", { value: c.id, selected: c.id === site.client_id, text: c.name + " (" + c.ref + ")" });
        }))),
      el("p", {}, [el("span", { class: "muted", text: t("sitefile.ref") }), " ", el("strong", { text: site.ref })]),
      labelled(t("sitefile.name"), input("name", site.name, { required: true, maxlength: 200, dataset: { key: "f-name" } })),
      labelled(t("sitefile.address"), input("address", site.address, { maxlength: 300, dataset: { key: "f-address" } })),
      labelled(t("sitefile.postcode"), input("postcode", site.postcode, { maxlength: 20 })),
      labelled(t("sitefile.city"), input("city", site.city, { maxlength: 100 })),
      labelled(t("sitefile.latitude"), input("latitude", site.latitude, { inputmode: "decimal", size: 10 })),
      labelled(t("sitefile.longitude"), input("longitude", site.longitude, { inputmode: "decimal", size: 10 })),
      labelled(t("sitefile.time_zone"), input("time_zone", site.time_zone, { required: true, maxlength: 64 })),
      labelled(t("sitefile.notes"), el("textarea", { name: "notes", maxlength: 4000, rows: 2, text: site.notes })),
      el("button", { type: "submit", dataset: { key: "f-save" }, text: t("sitefile.save") }),
    ]);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var v = formValues(form);
      var body = { client_id: v.client_id, name: v.name, address: v.address, postcode: v.postcode, city: v.city, time_zone: v.time_zone, notes: v.notes };
      body.latitude = v.latitude === "" ? null : Number(v.latitude.replace(",", "."));
      body.longitude = v.longitude === "" ? null : Number(v.longitude.replace(",", "."));
      if (Number.isNaN(body.latitude) || Number.isNaN(body.longitude)) {
        say(t("sitefile.bad_number"), true);
        return;
      }
      api("PATCH", "/api/v1/sites/" + site.id, body).then(function () { refresh(t("sitefile.saved")); }).catch(failed);
    });
    return section("fields", t("sitefile.fields"), [form]);
  }

  function scheduleSection(site) {
    var named = schedules.filter(function (s) { return s.id === site.schedule_id; })[0];
    var shown = el("p", { "data-testid": "site-schedule-name", text: named ? named.name : t("sitefile.no_schedule") });
    if (!CAN.write) { return section("schedule", t("sitefile.schedule"), [shown]); }
    var select = el("select", { name: "schedule_id", dataset: { key: "schedule" }, "aria-label": t("sitefile.schedule") },
      [el("option", { value: "", text: t("sitefile.no_schedule") })].concat(schedules.filter(function (s) {
        return !s.client_id || s.client_id === site.client_id;
      }).map(function (s) {
        return el("option", { value: s.id, selected: s.id === site.schedule_id, text: s.name });
      })));
    var form = el("form", { class: "site-form inline" }, [select, el("button", { type: "submit", text: t("sitefile.assign") })]);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      api("PUT", "/api/v1/sites/" + site.id + "/schedule", { schedule_id: select.value || null })
        .then(function () { refresh(t("sitefile.saved")); }).catch(failed);
    });
    return section("schedule", t("sitefile.schedule"), [shown, form]);
  }

  function kindSelect(name, kinds, value, prefix, key) {
    var offered = kinds.indexOf(value) < 0 ? [value].concat(kinds) : kinds; // an imported kind stays as it is
    return el("select", { name: name, dataset: { key: key } }, offered.map(function (k) {
      return el("option", { value: k, selected: k === value, text: word(prefix, k) });
    }));
  }

  function table(headers, rows, testid) {
    return el("table", { class: "users site-table", "data-testid": testid }, [
      el("thead", {}, [el("tr", {}, headers.map(function (h) { return el("th", { scope: "col", text: h }); }))]),
      el("tbody", {}, rows),
    ]);
  }

  function zonesSection(site) {
    var headers = [t("sitefile.zone_number"), t("sitefile.zone_label"), t("sitefile.zone_kind")];
    if (CAN.write) { headers.push(t("sitefile.actions")); }
    var rows = site.zones.slice().sort(function (a, b) {
      return a.number.localeCompare(b.number, undefined, { numeric: true });
    }).map(function (zone) {
      if (!CAN.write) {
        return el("tr", { dataset: { zone: zone.number } }, [
          el("td", { text: zone.number }), el("td", { class: "zone-label", text: zone.name }),
          el("td", { text: word("class.", zone.kind) }),
        ]);
      }
      var k = "z-" + zone.id + "-";
      var number = input("number", zone.number, { required: true, maxlength: 16, size: 4, "aria-label": t("sitefile.zone_number"), dataset: { key: k + "n" } });
      var name = input("name", zone.name, { required: true, maxlength: 200, "aria-label": t("sitefile.zone_label"), dataset: { key: k + "l" } });
      var kind = kindSelect("kind", CONFIG.zone_kinds, zone.kind, "class.", k + "k");
      kind.setAttribute("aria-label", t("sitefile.zone_kind"));
      var save = el("button", { type: "button", dataset: { key: k + "s" }, text: t("sitefile.save"), on: { click: function () {
        api("PATCH", "/api/v1/sites/" + site.id + "/zones/" + zone.id, { number: number.value.trim(), name: name.value.trim(), kind: kind.value })
          .then(function () { refresh(t("sitefile.saved")); }).catch(failed);
      } } });
      var remove = el("button", { type: "button", class: "quiet", text: t("sitefile.remove"), on: { click: function () {
        if (!window.confirm(t("sitefile.confirm_remove", { what: zone.number + " " + zone.name }))) { return; }
        api("DELETE", "/api/v1/sites/" + site.id + "/zones/" + zone.id).then(function () { refresh(t("sitefile.removed")); }).catch(failed);
      } } });
      [number, name].forEach(function (field) {
        field.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); save.click(); } });
      });
      return el("tr", { dataset: { zone: zone.number } }, [el("td", {}, [number]), el("td", {}, [name]), el("td", {}, [kind]), el("td", {}, [save, remove])]);
    });
    var parts = [rows.length ? table(headers, rows, "zones-table") : el("p", { class: "muted", text: t("sitefile.no_zones") })];
    if (CAN.write) {
      var form = el("form", { class: "site-form inline", "data-testid": "zone-add" }, [
        labelled(t("sitefile.zone_number"), input("number", "", { required: true, maxlength: 16, size: 4 })),
        labelled(t("sitefile.zone_label"), input("name", "", { required: true, maxlength: 200 })),
        labelled(t("sitefile.zone_kind"), kindSelect("kind", CONFIG.zone_kinds, "intrusion", "class.", "z-new-k")),
        el("button", { type: "submit", text: t("sitefile.add_zone") }),
      ]);
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        api("POST", "/api/v1/sites/" + site.id + "/zones", formValues(form)).then(function () { refresh(t("sitefile.saved")); }).catch(failed);
      });
      parts.push(form);
    }
    return section("zones", t("sitefile.zones"), parts);
  }

  function phonesOf(value) { return value.split(/[,;]/).map(function (p) { return p.trim(); }).filter(Boolean); }

  function secretState(isSet, testid) {
    return el("span", { class: isSet ? "secret-set" : "secret-unset", "data-testid": testid, text: t(isSet ? "sitefile.set" : "sitefile.not_set") });
  }

  function contactsSection(site) {
    var contacts = site.contacts.slice().sort(function (a, b) { return a.call_order - b.call_order; });
    var headers = [t("sitefile.call_order"), t("sitefile.contact_name"), t("sitefile.phones"), t("sitefile.role"), t("sitefile.password"), t("sitefile.duress")];
    if (CAN.write) { headers.push(t("sitefile.actions")); }
    function move(at, by) {
      var ids = contacts.map(function (c) { return c.id; });
      var moved = ids.splice(at, 1)[0];
      ids.splice(at + by, 0, moved);
      api("PUT", "/api/v1/sites/" + site.id + "/contacts/order", { contact_ids: ids })
        .then(function () { refresh(t("sitefile.saved")); }).catch(failed);
    }
    var rows = contacts.map(function (contact, at) {
      var states = [secretState(contact.password_set, "password-state"), secretState(contact.duress_set, "duress-state")];
      if (!CAN.write) {
        return el("tr", { dataset: { contact: contact.name } }, [
          el("td", { text: String(contact.call_order) }), el("td", { text: contact.name }),
          el("td", { text: contact.phones.join(" · ") }), el("td", { text: contact.role }),
          el("td", {}, [states[0]]), el("td", {}, [states[1]]),
        ]);
      }
      var k = "c-" + contact.id + "-";
      var name = input("name", contact.name, { required: true, maxlength: 200, "aria-label": t("sitefile.contact_name"), dataset: { key: k + "n" } });
      var phones = input("phones", contact.phones.join(", "), { maxlength: 220, "aria-label": t("sitefile.phones"), dataset: { key: k + "p" } });
      var role = input("role", contact.role, { required: true, maxlength: 32, size: 10, "aria-label": t("sitefile.role"), dataset: { key: k + "r" } });
      var password = input("password", "", { type: "password", autocomplete: "new-password", maxlength: 200, size: 12,
        placeholder: t("sitefile.new_password"), "aria-label": t("sitefile.new_password"), "data-testid": "contact-password", dataset: { key: k + "pw" } });
      var duress = input("duress_word", "", { type: "password", autocomplete: "new-password", maxlength: 200, size: 12,
        placeholder: t("sitefile.new_duress"), "aria-label": t("sitefile.new_duress"), "data-testid": "contact-duress", dataset: { key: k + "dw" } });
      var save = el("button", { type: "button", dataset: { key: k + "s" }, text: t("sitefile.save"), on: { click: function () {
        var body = { name: name.value.trim(), phones: phonesOf(phones.value), role: role.value.trim() };
        if (password.value) { body.password = password.value; }
        if (duress.value) { body.duress_word = duress.value; }
        api("PATCH", "/api/v1/sites/" + site.id + "/contacts/" + contact.id, body)
          .then(function () { refresh(t("sitefile.saved")); }).catch(failed);
      } } });
      [name, phones, role, password, duress].forEach(function (field) {
        field.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); save.click(); } });
      });
      var up = el("button", { type: "button", class: "quiet", disabled: at === 0, "aria-label": t("sitefile.move_up") + " " + contact.name,
        text: "↑", on: { click: function () { move(at, -1); } } });
      var down = el("button", { type: "button", class: "quiet", disabled: at === contacts.length - 1, "aria-label": t("sitefile.move_down") + " " + contact.name,
        text: "↓", on: { click: function () { move(at, 1); } } });
      var remove = el("button", { type: "button", class: "quiet", text: t("sitefile.remove"), on: { click: function () {
        if (!window.confirm(t("sitefile.confirm_remove", { what: contact.name }))) { return; }
        api("DELETE", "/api/v1/sites/" + site.id + "/contacts/" + contact.id).then(function () { refresh(t("sitefile.removed")); }).catch(failed);
      } } });
      return el("tr", { dataset: { contact: contact.name } }, [
        el("td", { text: String(contact.call_order) }), el("td", {}, [name]), el("td", {}, [phones]), el("td", {}, [role]),
        el("td", {}, [states[0], " ", password]), el("td", {}, [states[1], " ", duress]), el("td", {}, [save, up, down, remove]),
      ]);
    });
    var parts = [rows.length ? table(headers, rows, "contacts-table") : el("p", { class: "muted", text: t("sitefile.no_contacts") })];
    if (CAN.write) {
      var form = el("form", { class: "site-form inline", "data-testid": "contact-add" }, [
        labelled(t("sitefile.contact_name"), input("name", "", { required: true, maxlength: 200 })),
        labelled(t("sitefile.phones"), input("phones", "", { maxlength: 220 })),
        labelled(t("sitefile.role"), input("role", "keyholder", { required: true, maxlength: 32, size: 10 })),
        labelled(t("sitefile.password"), input("password", "", { type: "password", autocomplete: "new-password", maxlength: 200, size: 12 })),
        labelled(t("sitefile.duress"), input("duress_word", "", { type: "password", autocomplete: "new-password", maxlength: 200, size: 12 })),
        el("button", { type: "submit", text: t("sitefile.add_contact") }),
      ]);
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var v = formValues(form);
        var body = { call_order: Math.min(99, contacts.length + 1), name: v.name, phones: phonesOf(v.phones), role: v.role };
        if (v.password) { body.password = v.password; }
        if (v.duress_word) { body.duress_word = v.duress_word; }
        api("POST", "/api/v1/sites/" + site.id + "/contacts", body).then(function () { refresh(t("sitefile.saved")); }).catch(failed);
      });
      parts.push(form);
    }
    return section("contacts", t("sitefile.contacts"), parts);
  }

  function accountsSection(site) {
    var rows = site.accounts.map(function (a) {
      return el("tr", { dataset: { account: a.number } }, [
        el("td", { text: "R" + a.receiver + " L" + a.line + " #" + a.number }), el("td", { text: text(a.profile) }),
        el("td", { text: a.supervision_seconds ? a.supervision_seconds + " s" : "–" }),
      ]);
    });
    var parts = [rows.length ? table([t("sitefile.account"), t("sitefile.profile"), t("sitefile.supervision")], rows, "accounts-table")
      : el("p", { class: "muted", text: t("sitefile.no_accounts") })];
    if (CAN.write) {
      var form = el("form", { class: "site-form inline", "data-testid": "account-add" }, [
        labelled(t("sitefile.account_number"), input("number", "", { required: true, minlength: 3, maxlength: 16, pattern: "[0-9A-Fa-f]+", size: 8, spellcheck: "false" })),
        labelled(t("sitefile.receiver"), input("receiver", "0", { required: true, maxlength: 6, pattern: "[0-9A-Fa-f]+", size: 3 })),
        labelled(t("sitefile.line"), input("line", "0", { required: true, maxlength: 6, pattern: "[0-9A-Fa-f]+", size: 3 })),
        el("button", { type: "submit", text: t("sitefile.add_account") }),
      ]);
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        api("POST", "/api/v1/sites/" + site.id + "/accounts", formValues(form)).then(function () { refresh(t("sitefile.saved")); }).catch(failed);
      });
      parts.push(form);
    }
    return section("accounts", t("sitefile.accounts"), parts);
  }

  function stepRow(step) {
    var kind = kindSelect("kind", CONFIG.step_kinds, step.kind, "plan.kind.", "");
    kind.setAttribute("aria-label", t("sitefile.step_kind"));
    var instruction = input("instruction", step.instruction, { required: true, maxlength: 500, size: 50, "aria-label": t("sitefile.step_text") });
    var mandatory = el("input", { type: "checkbox", name: "mandatory", checked: step.mandatory });
    var row = el("li", { class: "plan-step-edit" }, [kind, instruction, el("label", {}, [mandatory, " " + t("plan.mandatory")])]);
    row.append(el("button", { type: "button", class: "quiet", text: t("sitefile.remove"), on: { click: function () { row.remove(); } } }));
    return row;
  }

  function planEditor(site, plan) {
    var list = el("ol", { class: "plan-steps-edit", "data-testid": "plan-editor-steps" }, plan.steps.map(stepRow));
    var add = el("button", { type: "button", text: t("sitefile.add_step"), on: { click: function () {
      var row = stepRow({ kind: "free_text", instruction: "", mandatory: true });
      list.append(row);
      row.querySelector("input").focus();
    } } });
    var save = el("button", { type: "submit", class: "primary", text: t("sitefile.save_override") });
    var cancel = el("button", { type: "button", class: "quiet", text: t("sitefile.cancel"), on: { click: function () {
      editing = null;
      refresh("");
    } } });
    var form = el("form", { class: "plan-editor", "data-testid": "plan-editor" }, [list, el("p", {}, [add, " ", save, " ", cancel])]);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var steps = Array.prototype.map.call(list.children, function (row) {
        return {
          kind: row.querySelector('[name="kind"]').value,
          instruction: row.querySelector('[name="instruction"]').value.trim(),
          mandatory: row.querySelector('[name="mandatory"]').checked,
        };
      });
      api("PUT", "/api/v1/sites/" + site.id + "/action-plans/" + plan.alarm_class, { steps: steps })
        .then(function () { editing = null; refresh(t("sitefile.plan_saved")); }).catch(failed);
    });
    return form;
  }

  function plansSection(site, plans) {
    var blocks = plans.map(function (plan) {
      var k = plan.alarm_class;
      var head = el("h4", {}, [t("class." + k) + " · ", el("span", { class: "plan-source", "data-testid": "plan-source", dataset: { source: plan.source },
        text: t("plan.source." + plan.source) })]);
      var body = editing === k ? planEditor(site, plan) : el("ol", { class: "plan-steps" }, plan.steps.map(function (s) {
        return el("li", {}, [el("strong", { text: t("plan.kind." + s.kind) }), " " + s.instruction + " ",
          el("span", { class: "muted", text: "(" + t(s.mandatory ? "plan.mandatory" : "plan.optional") + ")" })]);
      }));
      var actions = [];
      if (CAN.plans && editing !== k) {
        actions.push(el("button", { type: "button", dataset: { key: "p-" + k + "-e" }, text: t(plan.source === "site" ? "sitefile.edit_override" : "sitefile.override"),
          on: { click: function () { editing = k; refresh(""); } } }));
        if (plan.source === "site") {
          actions.push(el("button", { type: "button", class: "quiet", text: t("sitefile.remove_override"), on: { click: function () {
            api("DELETE", "/api/v1/sites/" + site.id + "/action-plans/" + k).then(function () { refresh(t("sitefile.plan_removed")); }).catch(failed);
          } } }));
        }
      }
      return el("div", { class: "plan-block", "data-testid": "plan-" + k, dataset: { alarmClass: k } }, [head, body, el("p", {}, actions)]);
    });
    return section("plans", t("sitefile.plans"), [el("p", { class: "muted", text: t("sitefile.plans_help") })].concat(blocks));
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function localInput(date) {
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) + "T" + pad(date.getHours()) + ":" + pad(date.getMinutes());
  }
  function when(iso) { return new Date(iso).toLocaleString(document.documentElement.lang); }

  function instructionsSection(site, instructions) {
    var rows = instructions.map(function (x) {
      var cells = [
        el("td", { text: t("instructions.kind." + x.kind) }), el("td", { class: "instruction-text", text: x.text }),
        el("td", { text: when(x.starts_at) }), el("td", { text: when(x.ends_at) }),
        el("td", { text: t(x.in_force ? "sitefile.in_force" : "sitefile.upcoming") }),
      ];
      if (CAN.instructions) {
        cells.push(el("td", {}, [el("button", { type: "button", text: t("sitefile.end_now"), on: { click: function () {
          api("DELETE", "/api/v1/sites/" + site.id + "/instructions/" + x.id).then(function () { refresh(t("sitefile.ended")); }).catch(failed);
        } } })]));
      }
      return el("tr", { dataset: { instruction: x.id } }, cells);
    });
    var headers = [t("sitefile.instruction_kind"), t("sitefile.instruction_text"), t("sitefile.starts"), t("sitefile.ends"), t("sitefile.state")];
    if (CAN.instructions) { headers.push(t("sitefile.actions")); }
    var parts = [rows.length ? table(headers, rows, "instructions-table") : el("p", { class: "muted", text: t("sitefile.no_instructions") })];
    if (CAN.instructions) {
      var now = new Date();
      var form = el("form", { class: "site-form inline", "data-testid": "instruction-add" }, [
        labelled(t("sitefile.instruction_kind"), kindSelect("kind", CONFIG.instruction_kinds, "note", "instructions.kind.", "i-new-k")),
        labelled(t("sitefile.instruction_text"), input("text", "", { required: true, maxlength: 1000, size: 40 })),
        labelled(t("sitefile.caller"), input("caller", "", { maxlength: 200, size: 14 })),
        labelled(t("sitefile.starts"), input("starts_at", localInput(now), { type: "datetime-local", required: true })),
        labelled(t("sitefile.ends"), input("ends_at", localInput(new Date(now.getTime() + 2 * 3600 * 1000)), { type: "datetime-local", required: true })),
        el("button", { type: "submit", text: t("sitefile.add_instruction") }),
      ]);
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var v = formValues(form);
        var body = { kind: v.kind, text: v.text, caller: v.caller,
          starts_at: new Date(v.starts_at).toISOString(), ends_at: new Date(v.ends_at).toISOString() };
        api("POST", "/api/v1/sites/" + site.id + "/instructions", body).then(function () { refresh(t("sitefile.saved")); }).catch(failed);
      });
      parts.push(form);
    }
    return section("instructions", t("sitefile.instructions"), parts);
  }

  // ---------------------------------------------------------------- creating clients and sites

  function fillClients() {
    var select = document.querySelector('#site-create [name="client_id"]');
    if (!select) { return; }
    var list = Object.keys(clients).map(function (id) { return clients[id]; }).sort(function (a, b) { return a.name.localeCompare(b.name); });
    var chosen = select.value;
    select.replaceChildren.apply(select, list.map(function (c) {
      return el("option", { value: c.id, selected: c.id === chosen, text: c.name + " (" + c.ref + ")" });
    }));
  }

  function loadClients() {
    return api("GET", "/api/v1/clients").then(function (found) {
      clients = {};
      found.forEach(function (c) { clients[c.id] = c; });
      fillClients();
    });
  }

  var clientForm = document.getElementById("client-create");
  if (clientForm) {
    clientForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      api("POST", "/api/v1/clients", formValues(clientForm)).then(function (client) {
        clients[client.id] = client;
        fillClients();
        document.querySelector('#site-create [name="client_id"]').value = client.id;
        clientForm.reset();
        say(t("sitefile.client_created", { name: client.name }));
      }).catch(failed);
    });
  }
  var siteForm = document.getElementById("site-create");
  if (siteForm) {
    siteForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      api("POST", "/api/v1/sites", formValues(siteForm)).then(function (site) {
        siteForm.reset();
        say(t("sitefile.site_created", { name: site.name }));
        return openSite(site.id, true);
      }).catch(failed);
    });
  }

  Promise.all([
    loadClients(),
    api("GET", "/api/v1/schedules").then(function (found) { schedules = found; }),
  ]).then(function () {
    document.body.dataset.sitesReady = "yes";
    var wanted = new URLSearchParams(window.location.search).get("site");
    if (wanted) { openSite(wanted, true); }
  }).catch(failed);
  search.focus();
})();
