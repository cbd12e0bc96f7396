"use strict";

// The console's only way to the gateway: its routes, and errors carrying the API's `error` text.

// Every gateway route the console calls. The gateway's ConsoleTests check each one against the
// OpenAPI document, so a route belongs here and nowhere else in the console's scripts.
const Routes = Object.freeze({
  overview: "/eventd/v1/overview",
  events: "/eventd/v1/events",
  event: "/eventd/v1/events/{id}",
  deliveries: "/eventd/v1/events/{id}/deliveries",
  redeliver: "/eventd/v1/events/{id}/redeliver",
  pause: "/eventd/v1/events/{id}/pause",
  resume: "/eventd/v1/events/{id}/resume",
  deadLetters: "/eventd/v1/deadletters",
  redriveDeadLetters: "/eventd/v1/deadletters/redeliver",
  endpoints: "/eventd/v1/endpoints",
  enableEndpoint: "/eventd/v1/endpoints/enable",
  flowControlKeys: "/eventd/v1/flow-control",
  webhooks: "/webhook",
  webhook: "/webhook/{id}",
  triggers: "/v1/config/projects/{project}/eventing/triggers",
  trigger: "/v1/config/projects/{project}/eventing/triggers/{name}",
  queue: "/v1/api/{project}/eventing/queue",
  queuedEvent: "/v1/api/{project}/eventing/events/{id}",
});

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function routeUrl(template, params = {}, query = {}) {
  const path = template.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(params[name]));
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== "" && value !== null && value !== undefined) {
      search.set(name, String(value));
    }
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

// The secret key the operator typed (API.md "Keys and auth"), kept for this tab only.
const KeyStorage = "eventd.console.key";

function consoleKey() {
  return sessionStorage.getItem(KeyStorage) ?? "";
}

function setConsoleKey(key) {
  if (key) {
    sessionStorage.setItem(KeyStorage, key);
  } else {
    sessionStorage.removeItem(KeyStorage);
  }
}

// The project the lists show (`?project=`): empty means the key's own (the admin key's: default).
const ProjectStorage = "eventd.console.project";

function listProject() {
  return sessionStorage.getItem(ProjectStorage) ?? "";
}

function setListProject(project) {
  if (project) {
    sessionStorage.setItem(ProjectStorage, project);
  } else {
    sessionStorage.removeItem(ProjectStorage);
  }
}

async function callApi(method, template, { params, query, body } = {}) {
  const init = { method, headers: { Accept: "application/json" } };
  const key = consoleKey();
  if (key) {
    init.headers.Authorization = `Bearer ${key}`;
  }
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(routeUrl(template, params, query), init);
  } catch (failure) {
    throw new ApiError(0, `network: ${failure.message}`);
  }
  const answer = await readAnswer(response);
  if (response.status === 401) {
    throw new ApiError(401, `${errorText(response, answer)} (enter a key at the top of the page)`);
  }
  if (!response.ok) {
    throw new ApiError(response.status, errorText(response, answer));
  }
  return answer;
}

async function readAnswer(response) {
  const text = await response.text();
  if (text === "") {
    return null;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorText(response, answer) {
  if (answer && typeof answer === "object") {
    if (typeof answer.error === "string" && answer.error) return answer.error;
    if (typeof answer.message === "string" && answer.message) return answer.message;
  }
  if (typeof answer === "string" && answer) {
    return answer;
  }
  return `HTTP ${response.status} ${response.statusText}`;
}
