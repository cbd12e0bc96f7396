"use strict";

// The Space Cloud triggers view (API.md section 3): one project's triggers, a form to create or
// replace one, queueing an event for the project and looking a queued event up. The project is
// kept in the URL's fragment (#triggers/{project}) like the other views' arguments.

const DefaultProject = "default";
let shownProject = DefaultProject;

function triggersFragment(project) {
  return `#triggers/${encodeURIComponent(project)}`;
}

// ---- The project's triggers ----

async function loadTriggers(project) {
  const name = project || DefaultProject;
  if (name !== shownProject) {
    clearQueuedEvent();
  }
  shownProject = name;
  byId("triggers-project").elements.project.value = name;
  document.querySelector('nav a[data-view="triggers"]').setAttribute("href", triggersFragment(name));
  await attempt(async () => {
    const answer = await callApi("GET", Routes.triggers, { params: { project: name } });
    fillRows("triggers-rows", answer.result.map(triggerRow), 6, `No triggers in project ${name}.`);
  });
}

function triggerRow(trigger) {
  return element("tr", {},
    element("td", {}, element("code", {}, trigger.id)),
    element("td", {}, trigger.type),
    element("td", {}, trigger.url),
    element("td", { class: "number" }, trigger.retries),
    element("td", { class: "number" }, trigger.timeout),
    element("td", {},
      actionButton("Edit", () => editTrigger(trigger)),
      " ",
      actionButton("Delete", () => deleteTrigger(trigger.id), "danger")));
}

function editTrigger(trigger) {
  const fields = byId("trigger-form").elements;
  fields.name.value = trigger.id;
  fields.type.value = trigger.type;
  fields.url.value = trigger.url;
  fields.retries.value = trigger.retries;
  fields.timeout.value = trigger.timeout;
  fields.name.focus();
}

async function deleteTrigger(name) {
  const project = shownProject;
  if (!window.confirm(`Delete trigger ${name} of project ${project}?`)) {
    return;
  }
  if (await attempt(() => callApi("DELETE", Routes.trigger, { params: { project, name } }))) {
    showNotice(`Trigger ${name} deleted.`);
    await loadTriggers(project);
  }
}

// Empty number fields are left out, so the API's defaults apply.
function triggerBody(form) {
  const fields = new FormData(form);
  const body = { type: fields.get("type").trim(), url: fields.get("url").trim() };
  for (const name of ["retries", "timeout"]) {
    const text = fields.get(name).trim();
    if (text !== "") {
      body[name] = Number(text);
    }
  }
  return body;
}

async function saveTrigger(form) {
  const project = shownProject;
  const name = new FormData(form).get("name").trim();
  const body = triggerBody(form);
  if (await attempt(() => callApi("POST", Routes.trigger, { params: { project, name }, body }))) {
    showNotice(`Trigger ${name} saved in project ${project}.`);
    await loadTriggers(project);
  }
}

// ---- Queueing an event and looking one up ----

// Builds the queue body, or throws when the data is not JSON, before anything is sent.
function queueBody(form) {
  const fields = new FormData(form);
  const body = { type: fields.get("type").trim() };
  const delayText = fields.get("delay").trim();
  body.delay = delayText === "" ? 0 : Number(delayText);
  const data = readJsonField(fields, "data");
  if (data !== undefined) {
    body.data = data;
  }
  return body;
}

async function queueEvent(form) {
  const project = shownProject;
  const answerBox = byId("queue-answer");
  answerBox.hidden = true;
  try {
    const answer = await callApi("POST", Routes.queue, { params: { project }, body: queueBody(form) });
    answerBox.replaceChildren(`Queued in project ${project} as `, element("code", {}, answer.id));
    answerBox.className = "";
    byId("queued-lookup").elements.id.value = answer.id;
    showNotice(`Event ${answer.id} queued.`);
    await loadQueuedEvent(answer.id);
  } catch (failure) {
    answerBox.replaceChildren(failure.message);
    answerBox.className = "error";
    showError(failure);
  }
  answerBox.hidden = false;
}

async function loadQueuedEvent(id) {
  const project = shownProject;
  clearQueuedEvent();
  await attempt(async () => {
    const event = await callApi("GET", Routes.queuedEvent, { params: { project, id } });
    const entries = [["id", element("code", {}, event.id)], ["type", event.type], ["status", statusBadge(event.status)]];
    byId("queued-fields").replaceChildren(...entries.flatMap(([name, value]) => [element("dt", {}, name), element("dd", {}, value)]));
    fillRows("queued-rows", event.deliveries.map(queuedDeliveryRow), 4, "No trigger of this type: nothing to deliver.");
  });
}

function queuedDeliveryRow(delivery) {
  return element("tr", { class: delivery.status === "failed" ? "failed" : "" },
    element("td", {}, delivery.trigger),
    element("td", {}, statusBadge(delivery.status)),
    element("td", { class: "number" }, delivery.attempts),
    element("td", { class: "number" }, orDash(delivery.statusCode)));
}

function clearQueuedEvent() {
  byId("queued-fields").replaceChildren();
  byId("queued-rows").replaceChildren();
}

// ---- Controls ----

function wireTriggerControls() {
  const onSubmit = (id, action) => byId(id).addEventListener("submit", (submit) => {
    submit.preventDefault();
    action(submit.target);
  });
  onSubmit("triggers-project", (form) => {
    const project = new FormData(form).get("project").trim() || DefaultProject;
    const fragment = triggersFragment(project);
    if (window.location.hash === fragment) {
      loadTriggers(project);
    } else {
      window.location.hash = fragment;
    }
  });
  onSubmit("trigger-form", saveTrigger);
  onSubmit("queue-form", queueEvent);
  onSubmit("queued-lookup", (form) => loadQueuedEvent(new FormData(form).get("id").trim()));
}
