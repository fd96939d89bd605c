// airtally dashboard: progressive enhancement only. Every page works without this file;
// it adds: the evidence a link points at is picked out, the alert map follows the slider
// without reloading, and a pasted report can be stored, or a figure reviewed, with a bearer
// token typed into the page (never a cookie).
"use strict";

function markCurrentEvidence() {
  document.querySelectorAll("mark.current").forEach((m) => m.classList.remove("current"));
  const id = decodeURIComponent(location.hash.slice(1));
  if (!id) return;
  const marks = Array.from(document.querySelectorAll("mark.evidence"))
    .filter((m) => (m.dataset.spans || "").split(" ").includes(id));
  marks.forEach((m) => m.classList.add("current"));
  const details = marks.length ? marks[0].closest("details") : null;
  if (details) details.open = true;
}

function setUpSlider() {
  const form = document.querySelector("form.slider-form");
  if (!form) return;
  const slider = form.querySelector("input[type=range]");
  const out = form.querySelector("output");
  const map = document.getElementById("alert-map");
  let pending = null;
  const render = () => {
    const params = new URLSearchParams(new FormData(form));
    const minutes = Number(slider.value);
    const time = String(Math.floor(minutes / 60)).padStart(2, "0") + ":" + String(minutes % 60).padStart(2, "0");
    out.textContent = time;
    history.replaceState(null, "", location.pathname + "?" + params.toString());
    followSlider(params, time);
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(form.dataset.map + "?" + params.toString(), { signal: pending.signal })
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(r.statusText))))
      .then((svg) => {
        map.innerHTML = svg;
        map.dataset.minute = String(minutes);
        followCoverage(map.querySelector("svg"), params.get("day") + " " + time);
      })
      .catch((e) => { if (e.name !== "AbortError") out.textContent += " (" + e.message + ")"; });
  };
  slider.addEventListener("input", render);
}

// Everything else on the page that names the time follows the slider too: the heading, the
// time field, the map's CSV/SVG/embed links; the list of alerts active at the page's first time
// is hidden rather than left describing another minute ("Show" reloads it for the new one).
function followSlider(params, time) {
  const day = params.get("day");
  const title = document.getElementById("alerts-title");
  if (title && title.dataset.template) title.textContent = title.dataset.template.replace("{at}", day + " " + time);
  const field = document.querySelector("input[type=datetime-local][name=at]");
  if (field) field.value = day + "T" + time;
  document.querySelectorAll(".chart-links a").forEach((a) => {
    const url = new URL(a.href);
    url.search = params.toString();
    a.href = url.pathname + url.search;
  });
  const active = document.getElementById("active-list");
  if (active) active.hidden = true;
}

// The "not covered" notice says what the map just fetched says: shown, naming the new time,
// when the stored history does not cover it (the map's data-covered), hidden when it does.
function followCoverage(svg, at) {
  const notice = document.getElementById("not-covered");
  if (!notice || !svg) return;
  notice.hidden = svg.dataset.covered === "true";
  const text = notice.querySelector(".notice-text");
  if (text && text.dataset.template) text.textContent = text.dataset.template.replace("{at}", at);
}

// POST JSON with the token typed into the page as a bearer header (never a cookie); resolves
// to the answer's {ok, data}.
function postWithToken(endpoint, body) {
  return fetch(endpoint, {
    method: "POST",
    credentials: "omit",
    headers: { "Content-Type": "application/json", Authorization: "Bearer " + document.getElementById("token").value },
    body: JSON.stringify(body),
  }).then((r) => r.json().then((data) => ({ ok: r.ok, data })));
}

function setUpStore() {
  const form = document.getElementById("store-form");
  if (!form) return;
  form.hidden = false;
  const result = document.getElementById("store-result");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = {
      text: document.getElementById("report-text").value,
      published: document.getElementById("published").value || null,
    };
    postWithToken(form.dataset.endpoint, body)
      .then(({ ok, data }) => {
        if (ok) {
          const template = data.duplicate ? form.dataset.duplicate : form.dataset.stored;
          result.textContent = template.replace("{id}", data.id);
          result.className = "ok";
        } else {
          result.textContent = form.dataset.failed + ": " + ((data.error && data.error.message) || JSON.stringify(data));
          result.className = "failed";
        }
      })
      .catch((e) => { result.textContent = form.dataset.failed + ": " + e.message; result.className = "failed"; });
  });
}

function setUpReview() {
  const forms = document.querySelectorAll("form.decide-form");
  if (!forms.length) return;
  document.getElementById("review-token").hidden = false;
  forms.forEach((form) => {
    form.hidden = false;
    const result = form.querySelector("output");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const body = { decision: data.get("decision"), note: data.get("note") || null };
      if (body.decision === "correct") body.value = data.get("value") === "" ? null : Number(data.get("value"));
      postWithToken(form.dataset.endpoint, body)
        .then(({ ok, data: answer }) => {
          if (ok) {
            result.textContent = form.dataset.ok.replace("{decision}", answer.decision).replace("{reviewer}", answer.reviewer);
            result.className = "ok";
            form.closest("tr").classList.add("decided");
          } else {
            const detail = answer.error && answer.error.message;
            result.textContent = form.dataset.failed + ": " + (detail || JSON.stringify(answer));
            result.className = "failed";
          }
        })
        .catch((e) => { result.textContent = form.dataset.failed + ": " + e.message; result.className = "failed"; });
    });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  markCurrentEvidence();
  setUpSlider();
  setUpStore();
  setUpReview();
});
window.addEventListener("hashchange", markCurrentEvidence);
