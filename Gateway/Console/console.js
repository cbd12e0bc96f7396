"use strict";

// The console's views: (in console-overview.js) the overview it opens on, events, one event, dead
// letters, firing by hand, the webhook register, (in console-triggers.js) the Space Cloud triggers of a
// project and (in console-endpoints.js) endpoints.

const DefaultView = "overview";

const eventsQuery = { status: "", q: "", page: 1, pageSize: 20 };
const deadLettersQuery = { page: 1, pageSize: 20 };
const webhooksQuery = { page: 1, pageSize: 20 };
let shownEventId = null;

// ---- Events list ----

async function loadEvents() {
  await attempt(async () => {
    const answer = await callApi("GET", Routes.events, { query: { ...eventsQuery, project: listProject() } });
    fillRows("events-rows", answer.items.map(eventRow), 7, "No events match.");
    renderPager("events-pager", answer, eventsQuery, loadEvents);
  });
}

function eventRow(event) {
  return element("tr", {},
    element("td", {}, eventLink(event.id)),
    element("td", {}, statusBadge(event.status)),
    element("td", {}, eventTarget(event)),
    element("td", {}, orDash(event.nextFireAt)),
    element("td", { class: "number" }, orDash(event.fireCount)),
    element("td", {}, lastDeliverySummary(event.lastDelivery)),
    element("td", {}, orDash(event.createdAt)));
}

function eventTarget(event) {
  const parts = [];
  if (event.url) parts.push(`${event.method || "POST"} ${event.url}`);
  if (event.channel) parts.push(`channel ${event.channel}`);
  return parts.length > 0 ? parts.join(" · ") : "–";
}

function lastDeliverySummary(delivery) {
  if (!delivery) {
    return "–";
  }
  const code = delivery.statusCode ? ` ${delivery.statusCode}` : "";
  const error = delivery.error ? ` – ${delivery.error}` : "";
  return `${delivery.status}${code}, ${delivery.attempts} attempt(s)${error}`;
}

function readEventsFilter(form) {
  const fields = new FormData(form);
  eventsQuery.status = fields.get("status");
  eventsQuery.q = fields.get("q").trim();
  eventsQuery.pageSize = Number(fields.get("pageSize"));
  eventsQuery.page = 1;
}

// ---- Event detail ----

async function loadEvent(id) {
  shownEventId = id;
  byId("event-id").textContent = id;
  await attempt(async () => {
    const [read, attempts] = await Promise.all([
      callApi("GET", Routes.event, { params: { id } }),
      callApi("GET", Routes.deliveries, { params: { id } }),
    ]);
    renderEventFields(read.event);
    fillRows("deliveries-rows", attempts.deliveries.map(deliveryRow), 6, "No attempts yet.");
  });
}

function renderEventFields(event) {
  const simple = ["status", "url", "method", "channel", "delay", "timestamp", "repeat", "cron", "timezone", "catchup", "overlap",
    "retries", "timeout", "createdAt", "updatedAt", "nextFireAt", "fireCount", "skippedFires"];
  const structured = ["headers", "data", "lastDelivery"];
  const entries = [
    ...simple.map((name) => [name, name === "status" ? statusBadge(event.status) : String(orDash(event[name]))]),
    ...structured.map((name) => [name, element("pre", {}, jsonText(event[name]))]),
  ];
  byId("event-fields").replaceChildren(...entries.flatMap(([name, value]) => [element("dt", {}, name), element("dd", {}, value)]));
  showPauseButtons(event);
}

function deliveryRow(delivery) {
  return element("tr", { class: delivery.error ? "failed" : "" },
    element("td", { class: "number" }, delivery.seq),
    element("td", { class: "number" }, delivery.attempt),
    element("td", {}, orDash(delivery.at)),
    element("td", { class: "number" }, orDash(delivery.statusCode)),
    element("td", { class: "number" }, orDash(delivery.durationMs)),
    element("td", {}, orDash(delivery.error)));
}

async function cancelShownEvent() {
  const id = shownEventId;
  if (!id || !window.confirm(`Cancel event ${id}? No fire starts after the cancel.`)) {
    return;
  }
  if (await attempt(() => callApi("DELETE", Routes.event, { params: { id } }))) {
    showNotice(`Event ${id} cancelled.`);
    await loadEvent(id);
  }
}

async function redeliverEvent(id, reload) {
  if (await attempt(() => callApi("POST", Routes.redeliver, { params: { id } }))) {
    showNotice(`Redelivery of event ${id} accepted.`);
    await reload();
  }
}

// ---- Dead letters ----

async function loadDeadLetters() {
  await attempt(async () => {
    const answer = await callApi("GET", Routes.deadLetters, { query: { ...deadLettersQuery, project: listProject() } });
    fillRows("deadletters-rows", answer.items.map(deadLetterRow), 7, "No dead letters.");
    rememberShownDeadLetters(answer.items);
    renderPager("deadletters-pager", answer, deadLettersQuery, loadDeadLetters);
  });
}

function deadLetterRow(letter) {
  return element("tr", {},
    element("td", {}, eventLink(letter.id)),
    element("td", { class: "number" }, letter.seq),
    element("td", {}, orDash(letter.url)),
    element("td", { class: "number" }, letter.attempts),
    element("td", {}, orDash(letter.lastError)),
    element("td", {}, orDash(letter.failedAt)),
    element("td", {}, actionButton("Redeliver", () => redeliverEvent(letter.id, loadDeadLetters))));
}

// ---- Fire an event by hand ----

// Builds the create body, or throws with the field named first as the API does.
function fireBody(form) {
  const fields = new FormData(form);
  const body = {};
  const url = fields.get("url").trim();
  if (url) {
    body.url = url;
    body.method = fields.get("method");
  }
  const data = readJsonField(fields, "data");
  if (data !== undefined) {
    body.data = data;
  }
  const delayText = fields.get("delay").trim();
  body.delay = delayText === "" ? 0 : Number(delayText);
  const channel = fields.get("channel").trim();
  if (channel) {
    body.channel = channel;
  }
  addScheduleFields(fields, body);
  return body;
}

async function fireEvent(form) {
  const answerBox = byId("fire-answer");
  answerBox.hidden = true;
  try {
    const answer = await callApi("POST", Routes.events, { body: fireBody(form) });
    answerBox.replaceChildren(jsonText(answer), "\n", eventLink(answer.id));
    answerBox.className = "";
    showNotice(`Event ${answer.id} scheduled.`);
  } catch (failure) {
    answerBox.replaceChildren(failure.message);
    answerBox.className = "error";
    showError(failure);
  }
  answerBox.hidden = false;
}

// ---- Webhook register ----

async function loadWebhooks() {
  await attempt(async () => {
    const answer = await callApi("GET", Routes.webhooks, { query: { ...webhooksQuery, project: listProject() } });
    fillRows("webhooks-rows", answer.items.map(webhookRow), 8, "No webhooks registered.");
    renderPager("webhooks-pager", answer, webhooksQuery, loadWebhooks);
  });
}

function webhookRow(hook) {
  const args = Object.entries(hook.args || {}).map(([name, value]) => `${name}=${value}`).join(", ");
  const target = hook.url ? `${hook.method || "POST"} ${hook.url}` : "log only";
  return element("tr", {},
    element("td", {}, element("code", {}, hook.id)),
    element("td", {}, hook.userid),
    element("td", {}, orDash(args)),
    element("td", {}, target),
    element("td", {}, orDash(hook.createdAt)),
    element("td", { class: "number" }, hook.triggerCount),
    element("td", {}, orDash(hook.lastTriggeredAt)),
    element("td", {},
      actionButton("Trigger", () => triggerWebhook(hook.id)),
      " ",
      actionButton("Delete", () => deleteWebhook(hook.id), "danger")));
}

async function triggerWebhook(id) {
  await attempt(async () => {
    const answer = await callApi("POST", Routes.webhook, { params: { id } });
    showNotice(`${answer.message}: ${id}`);
    await loadWebhooks();
  });
}

async function deleteWebhook(id) {
  if (!window.confirm(`Delete webhook ${id}?`)) {
    return;
  }
  if (await attempt(() => callApi("DELETE", Routes.webhook, { params: { id } }))) {
    showNotice(`Webhook ${id} deleted.`);
    await loadWebhooks();
  }
}

// ---- Views, chosen by the URL's fragment so that back, forward and bookmarks work ----

const viewLoaders = {
  overview: () => startOverview(),
  events: () => loadEvents(),
  event: (id) => loadEvent(id),
  deadletters: () => loadDeadLetters(),
  endpoints: () => loadEndpoints(),
  fire: () => {},
  webhooks: () => loadWebhooks(),
  triggers: (project) => loadTriggers(project),
};

function parseFragment() {
  const [name, ...rest] = window.location.hash.replace(/^#/, "").split("/");
  const argument = rest.length > 0 ? decodeURIComponent(rest.join("/")) : null;
  return name in viewLoaders && (name !== "event" || argument) ? { name, argument } : { name: DefaultView, argument: null };
}

function showView() {
  const { name, argument } = parseFragment();
  clearNotice();
  stopOverview();
  for (const section of document.querySelectorAll(".view")) {
    section.hidden = section.id !== `view-${name}`;
  }
  for (const link of document.querySelectorAll("nav a")) {
    const current = link.dataset.view === name || (name === "event" && link.dataset.view === "events");
    link.toggleAttribute("aria-current", current);
  }
  viewLoaders[name](argument);
}

function wireControls() {
  byId("events-filter").addEventListener("submit", (submit) => {
    submit.preventDefault();
    readEventsFilter(submit.target);
    loadEvents();
  });
  byId("fire-form").addEventListener("submit", (submit) => {
    submit.preventDefault();
    fireEvent(submit.target);
  });
  byId("event-refresh").addEventListener("click", () => loadEvent(shownEventId));
  byId("event-redeliver").addEventListener("click", () => redeliverEvent(shownEventId, () => loadEvent(shownEventId)));
  byId("event-cancel").addEventListener("click", cancelShownEvent);
  byId("deadletters-redrive").addEventListener("click", redeliverShownDeadLetters);
  byId("event-pause").addEventListener("click", () => pauseOrResumeEvent(shownEventId, "pause", () => loadEvent(shownEventId)));
  byId("event-resume").addEventListener("click", () => pauseOrResumeEvent(shownEventId, "resume", () => loadEvent(shownEventId)));
  wireTriggerControls();
  const keyForm = byId("key-form");
  keyForm.elements.key.value = consoleKey();
  keyForm.elements.project.value = listProject();
  keyForm.addEventListener("submit", (submit) => {
    submit.preventDefault();
    setConsoleKey(keyForm.elements.key.value.trim());
    setListProject(keyForm.elements.project.value.trim());
    showView();
  });
  window.addEventListener("hashchange", showView);
}

wireControls();
showView();
