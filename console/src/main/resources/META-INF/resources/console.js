// Agent OS console: helpers every page shares. Plain JavaScript, no build step.
"use strict";

const Console = (() => {
  const PAGES = [["/", "Cycles"], ["/waiting.html", "Waiting for me"], ["/history.html", "History"]];

  function header(here) {
    const nav = PAGES.map(([href, name]) =>
      `<a href="${href}" class="${href === here ? "here" : ""}" data-page="${href}">${name}</a>`).join("");
    document.body.insertAdjacentHTML("afterbegin",
      `<header><span class="brand">Agent OS</span><nav>${nav}</nav><span class="live" id="live">offline</span>` +
      `<span class="identity muted" id="identity"></span></header>`);
    getJson("/api/identity").then(me => {
      if (me.user) document.getElementById("identity").textContent = `signed in as ${me.user}`;
    }).catch(() => {});
  }

  function esc(value) {
    return String(value ?? "").replace(/[&<>"']/g, c =>
      ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) throw new Error(body?.error?.message || response.statusText);
    return body;
  }

  // Every change goes through the API; the header tells the console it comes from its own page.
  async function act(cycleId, action, request) {
    const response = await fetch(`/api/cycles/${encodeURIComponent(cycleId)}/${action}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Agentos-Console": "1" },
      body: JSON.stringify(request || {}),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body?.error?.message || response.statusText);
    return body;
  }

  // The live feed: rows ("row") and events ("event"), and "open" each time the stream (re)opens.
  // A browser gives a host six connections, so the page shares one stream with the console's other
  // tabs (live-worker.js) where it can, and holds one of its own where it cannot. A page kept in the
  // back/forward cache would keep its share: it leaves when it is left, and comes back (with a
  // fresh load, through "open") if it is shown again. EventSource reconnects by itself.
  function feed(on) {
    if (typeof SharedWorker !== "function") return stream(on);
    const worker = new SharedWorker("/live-worker.js");
    let close = () => { worker.port.postMessage("leave"); worker.port.close(); };
    // A worker that cannot start (a proxy that refuses its script, say): the page's own stream.
    worker.onerror = () => { worker.port.close(); close = stream(on); };
    worker.port.onmessage = m => on(m.data.kind, m.data.data);
    worker.port.start();
    return () => close();
  }

  function stream(on) {
    const source = new EventSource("/api/stream");
    source.onopen = () => on("open");
    source.onerror = () => on("error");
    for (const kind of ["row", "event"]) source.addEventListener(kind, e => on(kind, e.data));
    return () => source.close();
  }

  function live(handlers) {
    const badge = document.getElementById("live");
    const show = (text, on) => { badge.textContent = text; badge.classList.toggle("on", on); };
    const on = (kind, data) => {
      if (kind === "open") { show("live", true); handlers.open?.(); }
      else if (kind === "error") show("reconnecting", false);
      else if (kind === "row") handlers.row?.(JSON.parse(data));
      else if (kind === "event") handlers.event?.(JSON.parse(data));
    };
    let leave = feed(on);
    window.addEventListener("pagehide", () => { leave?.(); leave = null; show("offline", false); });
    window.addEventListener("pageshow", e => { if (e.persisted && !leave) leave = feed(on); });
  }

  function age(iso) {
    if (!iso) return "";
    const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
    return duration(s);
  }

  function duration(seconds) {
    if (seconds == null) return "";
    const s = Math.round(seconds);
    if (s < 60) return `${s}s`;
    if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
    if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
    return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
  }

  function time(iso) {
    return iso ? new Date(iso).toLocaleTimeString([], { hour12: false }) : "";
  }

  function cost(usd) {
    return usd == null ? "" : "$" + Number(usd).toFixed(usd < 1 ? 4 : 2);
  }

  function badge(text) {
    return text ? `<span class="badge ${esc(text)}">${esc(text)}</span>` : "";
  }

  const ACTION_LABELS = { approve: "Approve", reject: "Reject", answer: "Answer", resume: "Resume", retry: "Retry", cancel: "Cancel" };

  // Buttons for the actions a cycle allows; reject and cancel ask for a comment first.
  function actionButtons(cycleId, actions) {
    return (actions || []).map(a =>
      `<button class="${a === "approve" || a === "answer" ? "" : a === "cancel" || a === "reject" ? "danger" : "secondary"}"
        data-action="${a}" data-cycle="${esc(cycleId)}">${ACTION_LABELS[a] || a}</button>`).join("");
  }

  function wireActions(root, done) {
    root.querySelectorAll("button[data-action]").forEach(button => {
      button.onclick = async event => {
        event.stopPropagation();
        const action = button.dataset.action;
        const typed = kind => root.querySelector(`textarea[data-${kind}="${button.dataset.cycle}"]`)?.value.trim() || null;
        let comment = typed("comment");
        const answer = typed("answer");
        if (action === "answer" && !answer) {
          done?.(new Error("Type your answer in the answer box first."));
          return;
        }
        if (action === "reject" && !comment) {
          comment = prompt("Why? Your comment becomes the feedback of the next iteration.");
          if (!comment) return;
        }
        if (action === "cancel" && !confirm(`Cancel cycle ${button.dataset.cycle}?`)) return;
        button.disabled = true;
        try {
          await act(button.dataset.cycle, action, action === "answer" ? { answer } : comment ? { comment } : {});
          // Said: the box is emptied, so that the next action does not send the same words again.
          root.querySelectorAll(`textarea[data-comment="${button.dataset.cycle}"], textarea[data-answer="${button.dataset.cycle}"]`)
            .forEach(t => { t.value = ""; });
          done?.(null);
        } catch (e) {
          done?.(e);
        } finally {
          button.disabled = false;
        }
      };
    });
  }

  // Redraws what draw() puts in root and keeps what a person is typing there: the text of each
  // answer or comment box, and the focus and caret of the box being typed in. A live page redraws
  // on every change it is told of; an answer half written must survive that, and so must the
  // keyboard's place in it.
  function redrawKeepingTyping(root, draw) {
    const key = t => t.dataset.answer ? `answer:${t.dataset.answer}` : `comment:${t.dataset.comment}`;
    const typed = new Map([...root.querySelectorAll("textarea")].map(t => [key(t), t.value]));
    const active = document.activeElement;
    const focused = active?.tagName === "TEXTAREA" && root.contains(active)
      ? { key: key(active), start: active.selectionStart, end: active.selectionEnd } : null;
    draw();
    root.querySelectorAll("textarea").forEach(t => {
      const value = typed.get(key(t));
      if (value) t.value = value;
      if (focused?.key === key(t)) {
        t.focus();
        t.setSelectionRange(focused.start, focused.end);
      }
    });
  }

  // Whether a row read from the list may replace the one a page has: a list fetched before a
  // live update may answer after it, and must not put an older state back.
  function newer(row, known) {
    return !known || Date.parse(row.updated_at || 0) > Date.parse(known.updated_at || 0);
  }

  // Adds the values a select does not offer yet, sorted, keeping what is chosen.
  function fillOptions(select, values) {
    const chosen = select.value;
    const have = new Set([...select.options].map(o => o.value));
    [...new Set(values)].sort().forEach(v => { if (v && !have.has(v)) select.add(new Option(v, v)); });
    select.value = chosen;
  }

  // The question a cycle waits on (status NEEDS_INPUT): its text, context, step and age.
  function question(q) {
    if (!q) return "";
    return `<div class="question"><p><strong>Question</strong>${q.step_id ? ` <span class="muted">from step
        <span class="mono">${esc(q.step_id)}</span></span>` : ""}${q.asked_at ? ` <span class="muted">asked at
        ${time(q.asked_at)} (${age(q.asked_at)} ago)</span>` : ""}</p>
      <p class="question-text">${esc(q.text)}</p>${q.context ? `<pre class="output question-context">${esc(
        typeof q.context === "string" ? q.context : JSON.stringify(q.context, null, 2))}</pre>` : ""}</div>`;
  }

  return { question, newer, redrawKeepingTyping, fillOptions, header, esc, getJson, act, live, age, duration, time, cost, badge, actionButtons, wireActions };
})();
