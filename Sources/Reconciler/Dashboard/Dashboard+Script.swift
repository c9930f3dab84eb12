extension Dashboard {
    /// The page's behaviour: hash routes (#/services, #/services/NAME, #/controller), polling the API
    /// with If-None-Match every 2 s, windowed rendering of the services table, the log tail, actions.
    static let script = #"""
    "use strict";
    const POLL_MS = 2000, LOG_MS = 1000, ROW_HEIGHT = 29, OVERSCAN = 10;
    const cache = new Map();          // url -> {etag, data}
    let timer = null, logTimer = null, routeId = 0;

    function el(tag, attrs, ...children) {
      const node = document.createElement(tag);
      for (const [k, v] of Object.entries(attrs || {})) {
        if (v === null || v === undefined || v === false) continue;
        if (k === "class") node.className = v; else if (k === "text") node.textContent = v;
        else if (k === "style") node.style.cssText = v;   // CSSOM: allowed by the page's Content-Security-Policy
        else if (k.startsWith("on")) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v === true ? "" : v);
      }
      for (const c of children.flat(Infinity)) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
      return node;
    }
    const main = () => document.getElementById("main");
    const put = (node, ...children) => node.replaceChildren(...children.flat(Infinity).filter(c => c !== null && c !== undefined));
    const fmtTime = t => t ? t.replace("T", " ").replace(/\.\d+Z$/, "Z") : "-";
    function age(t) {
      if (!t) return "-";
      let s = Math.max(0, Math.round((Date.now() - Date.parse(t)) / 1000));
      if (s < 60) return s + "s"; if (s < 3600) return Math.floor(s / 60) + "m" + (s % 60 ? (s % 60) + "s" : "");
      if (s < 86400) return Math.floor(s / 3600) + "h" + Math.floor((s % 3600) / 60) + "m"; return Math.floor(s / 86400) + "d";
    }
    const isJob = s => ["Scheduled", "OnDemand", "RunOnce"].includes(s.kind);
    const badge = text => el("span", {class: text, text: text});

    function banner(text) {
      const b = document.getElementById("banner");
      b.hidden = !text; b.textContent = text || "";
    }

    /// GET with If-None-Match; a 304 answers the cached document. Throws {status, message} on errors.
    async function getJSON(url) {
      const cached = cache.get(url), headers = {};
      if (cached && cached.etag) headers["If-None-Match"] = cached.etag;
      let response;
      try { response = await fetch(url, {headers, cache: "no-store"}); }
      catch (e) { throw {status: 0, message: "the controller cannot be reached (" + e.message + ")"}; }
      if (response.status === 304 && cached) return {data: cached.data, changed: false};
      const text = await response.text();
      let data = null;
      try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
      if (!response.ok) throw {status: response.status, message: (data && data.error) || ("HTTP " + response.status)};
      cache.set(url, {etag: response.headers.get("ETag"), data});
      return {data, changed: true};
    }

    function schedule(fn, ms) {
      const id = routeId;
      clearTimeout(timer);
      timer = setTimeout(async () => { if (id === routeId) await fn(); }, ms);
    }

    async function poll(url, render) {
      const id = routeId;
      try {
        const {data, changed} = await getJSON(url);
        if (id !== routeId) return;
        banner(null);
        document.getElementById("conn").textContent = "updated " + new Date().toLocaleTimeString();
        if (changed || !main().dataset.rendered) { render(data); main().dataset.rendered = "1"; }
      } catch (e) {
        if (id !== routeId) return;
        banner(e.status === 0 ? "Controller unreachable: " + e.message : "Error " + e.status + ": " + e.message);
        if (e.status === 404 && !main().dataset.rendered) main().replaceChildren(el("p", {class: "empty", text: e.message}));
      }
      schedule(() => poll(url, render), POLL_MS);
    }

    // ---- services --------------------------------------------------------------------------------
    const services = {all: [], shown: [], filter: ""};

    function matches(s, words) {
      return words.every(w => {
        const eq = w.indexOf("=");
        if (eq > 0) { const k = w.slice(0, eq), v = w.slice(eq + 1); return (s.labels || {})[k] !== undefined && (v === "" || s.labels[k] === v); }
        return s.name.includes(w) || (s.owners || []).some(o => o.includes(w)) ||
          Object.entries(s.labels || {}).some(([k, v]) => k.includes(w) || v.includes(w));
      });
    }

    function applyFilter() {
      const words = services.filter.toLowerCase().split(/\s+/).filter(Boolean);
      services.shown = words.length ? services.all.filter(s => matches(s, words)) : services.all;
      const count = document.getElementById("count");
      if (count) count.textContent = services.shown.length === services.all.length
        ? services.all.length + " services" : services.shown.length + " of " + services.all.length + " services";
      renderWindow(true);
    }

    function serviceRow(s) {
      const i = s.instances, job = isJob(s);
      const ready = job ? "-" : i.healthy + "/" + i.desired, upToDate = job ? "-" : String(i.updated);
      const runs = job ? ((s.lastRun ? s.lastRun.outcome + " " + age(s.lastRun.startedAt) + " ago" : "never run") +
        (s.nextRun ? ", next " + fmtTime(s.nextRun) : s.kind === "OnDemand" ? ", on trigger" : "")) : "";
      return el("tr", {class: "row", "data-name": s.name},
        el("td", {}, el("a", {href: "#/services/" + encodeURIComponent(s.name), text: s.name})),
        el("td", {text: s.kind}), el("td", {}, badge(s.sync)), el("td", {}, badge(s.health)),
        el("td", {class: "ready", text: ready}), el("td", {class: "uptodate", text: upToDate}),
        el("td", {text: runs, title: runs}), el("td", {text: s.deployId}),
        el("td", {text: (s.owners || []).join(", ")}));
    }

    /// Only the rows in view (plus some) are in the DOM: 10,000 services scroll like 50.
    function renderWindow(force) {
      const viewport = document.getElementById("viewport"), body = document.getElementById("rows");
      if (!viewport || !body) return;
      const rows = services.shown;
      if (!rows.length) {
        body.replaceChildren(el("tr", {}, el("td", {colspan: 9, class: "empty",
          text: services.all.length ? "No service matches the filter." : "No services: the applied revision has none yet."})));
        return;
      }
      const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_HEIGHT) - OVERSCAN);
      const count = Math.ceil(viewport.clientHeight / ROW_HEIGHT) + 2 * OVERSCAN;
      const last = Math.min(rows.length, first + count);
      if (!force && body.dataset.first === String(first) && body.dataset.last === String(last)) return;
      body.dataset.first = first; body.dataset.last = last;
      const top = el("tr", {class: "spacer"}, el("td", {colspan: 9, style: "height:" + first * ROW_HEIGHT + "px"}));
      const bottom = el("tr", {class: "spacer"}, el("td", {colspan: 9, style: "height:" + (rows.length - last) * ROW_HEIGHT + "px"}));
      body.replaceChildren(top, ...rows.slice(first, last).map(serviceRow), bottom);
    }

    function servicesPage() {
      const filter = el("input", {id: "filter", type: "search", placeholder: "name, owner, label or key=value",
        "aria-label": "Filter services by name, owner or label", value: services.filter});
      filter.addEventListener("input", () => { services.filter = filter.value; applyFilter(); });
      const head = el("tr", {}, ["Name", "Kind", "Sync", "Health", "Ready", "Up-to-date", "Runs", "Deploy", "Owners"]
        .map((h, n) => el("th", {scope: "col", style: "width:" + [18, 8, 8, 9, 6, 8, 17, 10, 16][n] + "%", text: h})));
      const viewport = el("div", {id: "viewport", class: "viewport", tabindex: "0", "aria-label": "Services"},
        el("table", {id: "services"}, el("thead", {}, head), el("tbody", {id: "rows"})));
      viewport.addEventListener("scroll", () => renderWindow(false), {passive: true});
      main().replaceChildren(el("h1", {text: "Services"}),
        el("div", {class: "toolbar"}, filter, el("span", {id: "count", class: "muted", role: "status"})), viewport);
      poll("/api/v1/services", data => { services.all = data; applyFilter();
        if (!window.dashboardFirstRender) window.dashboardFirstRender = performance.now(); });
    }

    // ---- one service -----------------------------------------------------------------------------
    function table(headers, rows, empty) {
      if (!rows.length) return el("p", {class: "muted", text: empty});
      return el("table", {}, el("thead", {}, el("tr", {}, headers.map(h => el("th", {scope: "col", text: h})))),
        el("tbody", {}, rows.map(r => el("tr", {}, r.map(c => el("td", {}, c))))));
    }

    function servicePage(name) {
      const url = "/api/v1/services/" + encodeURIComponent(name);
      const details = el("div", {id: "details"}), log = logPanel(name);
      main().replaceChildren(el("h1", {text: name}), details, actionsPanel(name), log.node);
      poll(url, s => {
        const i = s.instances, src = s.source;
        put(details, 
          el("dl", {class: "facts"},
            el("dt", {text: "Kind"}), el("dd", {text: s.kind}),
            el("dt", {text: "Sync"}), el("dd", {}, badge(s.sync), s.syncReason ? " " + s.syncReason : ""),
            el("dt", {text: "Health"}), el("dd", {}, badge(s.health), s.healthReason ? " " + s.healthReason : ""),
            isJob(s) ? [el("dt", {text: "Last run"}), el("dd", {text: s.lastRun ? s.lastRun.outcome + " at " + fmtTime(s.lastRun.startedAt) : "never"}),
                        el("dt", {text: "Next run"}), el("dd", {text: s.nextRun ? fmtTime(s.nextRun) : "-"})]
                     : [el("dt", {text: "Ready"}), el("dd", {id: "ready", text: i.healthy + "/" + i.desired + " (healthy of desired, any deploy)"}),
                        el("dt", {text: "Up-to-date"}), el("dd", {text: i.updated + " running, " + i.updatedHealthy + " healthy of deploy " + s.deployId})],
            el("dt", {text: "Owners"}), el("dd", {text: (s.owners || []).join(", ") || "-"}),
            el("dt", {text: "Labels"}), el("dd", {text: Object.entries(s.labels || {}).map(([k, v]) => k + "=" + v).join(", ") || "-"}),
            el("dt", {text: "Source"}), el("dd", {id: "source", text: src ? src.file + ":" + src.line + (src.revision ? " at " + src.revision.slice(0, 12) : "") : "not in the applied revision"}),
            s.pendingReason ? [el("dt", {text: "Pending"}), el("dd", {text: s.pendingReason})] : null),
          el("h2", {text: "Tasks"}),
          table(["Instance", "Task", "Deploy", "Host", "Ports", "State", "Healthy", "Age"], s.tasks.map(t =>
            [String(t.instance), t.id, t.deployId, t.host, t.ports.join(", "), badge(t.state), t.healthy ? "yes" : "no", age(t.launchedAt)]), "No tasks."),
          el("h2", {text: "Deploys"}),
          table(["Deploy", "State", "Revision", "Started", "Ended", "Reason"], s.deploys.map(d =>
            [d.id, badge(d.state), (d.revision || "-").slice(0, 12), fmtTime(d.startedAt), fmtTime(d.endedAt), d.reason || ""]), "No deploys."),
          el("h2", {text: "Overrides"}),
          table(["Kind", "Value", "Reason", "Created", "Expires"], s.overrides.map(o =>
            [o.kind, o.value === null ? "-" : String(o.value), o.reason, fmtTime(o.createdAt), o.expiresAt ? fmtTime(o.expiresAt) + " (in " + age(new Date(2 * Date.now() - Date.parse(o.expiresAt)).toISOString()) + ")" : "until removed"]), "No override in force."),
          s.runs.length ? [el("h2", {text: "Runs"}), table(["Run", "Attempt", "Started", "Ended", "Outcome"], s.runs.map(r =>
            [r.taskId, String(r.attempt), fmtTime(r.startedAt), fmtTime(r.endedAt), badge(r.outcome)]), "")] : null);
        log.tasks(s.tasks.filter(t => t.state === "running" || t.state === "starting" || t.state === "staging"));
      });
    }

    /// The tail of a chosen instance's stdout or stderr, read through the files API.
    function logPanel(name) {
      const task = el("select", {id: "log-task", "aria-label": "Instance"});
      const file = el("select", {id: "log-file", "aria-label": "File"}, el("option", {value: "stdout", text: "stdout"}), el("option", {value: "stderr", text: "stderr"}));
      const out = el("pre", {id: "log", class: "log", tabindex: "0", "aria-label": "Log", "aria-live": "off"});
      const status = el("span", {id: "log-status", class: "muted", role: "status"});
      let offset = null, key = "";
      async function tick() {
        clearTimeout(logTimer);
        const id = task.value;
        if (!id) { out.textContent = ""; status.textContent = "No running instance."; return; }
        const now = id + "/" + file.value;
        if (now !== key) { key = now; offset = null; out.textContent = ""; }
        const base = "/api/v1/services/" + encodeURIComponent(name) + "/tasks/" + encodeURIComponent(id) + "/files/read?path=" + file.value;
        try {
          if (offset === null) {
            const size = await getJSON(base + "&offset=-1");
            offset = Math.max(0, (size.data.offset || 0) - 16384);
          }
          const chunk = (await getJSON(base + "&offset=" + offset + "&length=65536")).data;
          if (key !== now) return;
          if (chunk.data) {
            const stick = out.scrollTop + out.clientHeight >= out.scrollHeight - 4;
            out.textContent = (out.textContent + chunk.data).slice(-200000);
            if (stick) out.scrollTop = out.scrollHeight;
            offset = chunk.offset + chunk.data.length;
          } else if (chunk.offset < offset) { offset = 0; }   // rotated: the file shrank
          status.textContent = "following " + file.value + " of " + id;
        } catch (e) { status.textContent = e.message; }
        logTimer = setTimeout(tick, LOG_MS);
      }
      task.addEventListener("change", tick); file.addEventListener("change", tick);
      return {
        node: el("section", {"aria-labelledby": "log-title"}, el("h2", {id: "log-title", text: "Log tail"}),
          el("div", {class: "toolbar"}, task, file, status), out),
        tasks(list) {
          const current = task.value, ids = list.map(t => t.id);
          if (ids.join() !== Array.from(task.options).map(o => o.value).join()) {
            task.replaceChildren(...list.map(t => el("option", {value: t.id, text: "instance " + t.instance + " (" + t.host + ") " + t.id})));
            task.value = ids.includes(current) ? current : (ids[0] || "");
            tick();
          } else if (!logTimer && ids.length) tick();
        },
      };
    }

    // ---- actions ---------------------------------------------------------------------------------
    function askToken() {
      const saved = sessionStorage.getItem("converge.token");
      if (saved) return Promise.resolve(saved);
      const dialog = document.getElementById("token-dialog"), input = document.getElementById("token-input");
      input.value = "";
      return new Promise(resolve => {
        const form = document.getElementById("token-form"), cancel = document.getElementById("token-cancel");
        function done(value) { form.removeEventListener("submit", submit); cancel.removeEventListener("click", close); if (dialog.open) dialog.close(); resolve(value); }
        function submit(e) { e.preventDefault(); const v = input.value.trim(); if (v) { sessionStorage.setItem("converge.token", v); showForget(); } done(v || null); }
        function close() { done(null); }
        form.addEventListener("submit", submit); cancel.addEventListener("click", close);
        dialog.addEventListener("cancel", close, {once: true});
        dialog.showModal(); input.focus();
      });
    }
    function showForget() { document.getElementById("forget-token").hidden = !sessionStorage.getItem("converge.token"); }

    async function act(name, action, body) {
      const result = document.getElementById("action-result");
      const token = await askToken();
      if (!token) { result.className = "bad"; result.textContent = "Cancelled: no token given."; return; }
      result.className = ""; result.textContent = action + "…";
      try {
        const response = await fetch("/api/v1/services/" + encodeURIComponent(name) + "/" + action, {method: "POST",
          headers: {"Authorization": "Bearer " + token, "Content-Type": "application/json"}, body: JSON.stringify(body || {})});
        const text = await response.text();
        let data = null; try { data = JSON.parse(text); } catch (e) {}
        if (!response.ok) {
          if (response.status === 401 || response.status === 403) { sessionStorage.removeItem("converge.token"); showForget(); }
          result.className = "bad";
          result.textContent = action + " refused (" + response.status + "): " + ((data && data.error) || text);
          return;
        }
        result.className = "good";
        result.textContent = action + " accepted: " + (data ? JSON.stringify(data) : text);
        cache.clear();
      } catch (e) { result.className = "bad"; result.textContent = "The controller cannot be reached: " + e.message; }
    }

    function actionsPanel(name) {
      const instances = el("input", {id: "scale-instances", type: "number", min: "0", max: "10000", required: true, style: "width:6em"});
      const duration = el("input", {id: "scale-for", type: "text", placeholder: "2h", style: "width:5em"});
      const reason = el("input", {id: "action-reason", type: "text", placeholder: "incident 7", style: "width:12em"});
      const scale = el("form", {id: "scale-form", onsubmit: e => { e.preventDefault();
        const body = {instances: Number(instances.value), reason: reason.value}; if (duration.value) body.for = duration.value;
        act(name, "scale", body); }},
        el("fieldset", {}, el("legend", {text: "Scale"}), el("label", {}, "Instances", instances), el("label", {}, "For", duration),
          el("button", {type: "submit", id: "scale", text: "Scale"})));
      const simple = a => el("button", {type: "button", id: a, text: a[0].toUpperCase() + a.slice(1),
        onclick: () => act(name, a, a === "trigger" ? {} : {reason: reason.value})});
      return el("section", {"aria-labelledby": "actions-title"}, el("h2", {id: "actions-title", text: "Actions"}),
        el("div", {class: "actions"}, scale, el("label", {}, "Reason", reason), ["pause", "resume", "bounce", "trigger"].map(simple)),
        el("div", {id: "action-result", role: "status", "aria-live": "polite"}));
    }

    // ---- the controller --------------------------------------------------------------------------
    function controllerPage() {
      const body = el("div", {id: "controller"});
      main().replaceChildren(el("h1", {text: "Controller"}), body);
      let status = null, plan = null, history = null;
      function render() {
        if (!status || !plan || !history) return;
        const last = status.lastSync, rejected = history.filter(h => h.outcome === "rejected");
        const changes = plan.changes || [];
        const byAction = a => changes.filter(c => c.action === a).map(c => c.name).join(", ") || "-";
        put(body,
          el("dl", {class: "facts"},
            el("dt", {text: "Revision in force"}), el("dd", {id: "revision", text: status.revision || "none applied"}),
            el("dt", {text: "Latest at the source"}), el("dd", {text: status.latestRevision || "-"}),
            el("dt", {text: "Source"}), el("dd", {text: status.repository + (status.branch ? " ref " + status.branch : "") + (status.path ? " path " + status.path : "")}),
            el("dt", {text: "Last sync"}), el("dd", {}, last ? [badge(last.outcome), " at " + fmtTime(last.at) + ": " + last.message] : "none yet"),
            el("dt", {text: "Mesos"}), el("dd", {text: status.framework.connected ? "connected (framework " + status.framework.id + ")" : "not connected"}),
            el("dt", {text: "Ready"}), el("dd", {text: status.ready ? "yes" : "no, still starting"})),
          el("h2", {text: "Plan (applied revision against what runs)"}),
          el("dl", {class: "facts", id: "plan"},
            ["create", "deploy", "scale", "update", "delete"].map(a => [el("dt", {text: a + " (" + (plan.summary[a] || 0) + ")"}), el("dd", {text: byAction(a)})]),
            el("dt", {text: "decommission (" + plan.summary.decommission + ")"}),
            el("dd", {text: (plan.maintenance || []).map(m => m.action + " " + JSON.stringify(m.selector)).join(", ") || "-"})),
          el("h2", {text: "Rejected revisions"}),
          rejected.length ? el("ul", {id: "rejected"}, rejected.map(h => el("li", {}, (h.revision || "?").slice(0, 12) + " at " + fmtTime(h.startedAt) + ": " + h.message,
            el("ul", {class: "errors"}, h.errors.map(e => el("li", {text: e})))))) : el("p", {class: "muted", text: "None."}),
          el("h2", {text: "Sync history"}),
          table(["#", "Revision", "Trigger", "Started", "Outcome", "Message"], history.map(h =>
            [String(h.id), (h.revision || "-").slice(0, 12), h.trigger, fmtTime(h.startedAt), badge(h.outcome), h.message]), "No sync yet."));
      }
      poll("/api/v1/status", d => { status = d; render(); });
      const id = routeId;
      const side = async () => {
        if (id !== routeId) return;
        try { plan = (await getJSON("/api/v1/plan")).data; history = (await getJSON("/api/v1/history?limit=50")).data; render(); } catch (e) {}
        setTimeout(side, POLL_MS);
      };
      side();
    }

    // ---- routing ---------------------------------------------------------------------------------
    function route() {
      routeId++; clearTimeout(timer); clearTimeout(logTimer); logTimer = null;
      delete main().dataset.rendered;
      const hash = location.hash || "#/services";
      const m = hash.match(/^#\/services\/(.+)$/);
      document.getElementById("nav-services").toggleAttribute("aria-current", !hash.startsWith("#/controller"));
      if (document.getElementById("nav-services").hasAttribute("aria-current")) document.getElementById("nav-services").setAttribute("aria-current", "page");
      document.getElementById("nav-controller").toggleAttribute("aria-current", hash.startsWith("#/controller"));
      if (hash.startsWith("#/controller")) { document.getElementById("nav-controller").setAttribute("aria-current", "page"); controllerPage(); }
      else if (m) servicePage(decodeURIComponent(m[1]));
      else servicesPage();
    }
    window.addEventListener("hashchange", route);
    document.getElementById("forget-token").addEventListener("click", () => { sessionStorage.removeItem("converge.token"); showForget(); });
    showForget();
    route();
    """#
}
