"use strict";

// The Endpoints view (a project's target origins, their health and an Enable button, and its
// flow-control keys with their waiting and in-flight counts) and the dead letters' "redeliver all
// shown" (API.md "Endpoint health", "Flow control", "Bulk redrive").

async function loadEndpoints() {
  await attempt(async () => {
    const query = { project: listProject() };
    const [endpoints, keys] = await Promise.all([
      callApi("GET", Routes.endpoints, { query }),
      callApi("GET", Routes.flowControlKeys, { query }),
    ]);
    fillRows("endpoints-rows", endpoints.items.map(endpointRow), 6, "No endpoints seen yet.");
    fillRows("flowcontrol-rows", keys.items.map(flowControlRow), 6, "No flow-control keys named yet.");
  });
}

function flowControlRow(key) {
  return element("tr", {},
    element("td", {}, element("code", {}, key.key)),
    element("td", {}, orDash(key.rate)),
    element("td", {}, String(key.period)),
    element("td", {}, orDash(key.parallelism)),
    element("td", {}, String(key.waiting)),
    element("td", {}, String(key.inFlight)));
}

function endpointRow(endpoint) {
  const enable = endpoint.status === "disabled" ? actionButton("Enable", () => enableEndpoint(endpoint.origin)) : "";
  return element("tr", { class: endpoint.status === "disabled" ? "failed" : "" },
    element("td", {}, element("code", {}, endpoint.origin)),
    element("td", {}, statusBadge(endpoint.status)),
    element("td", {}, orDash(endpoint.reason)),
    element("td", {}, orDash(endpoint.failingSince)),
    element("td", {}, orDash(endpoint.lastSuccessAt)),
    element("td", {}, enable));
}

async function enableEndpoint(origin) {
  const project = listProject();
  if (await attempt(() => callApi("POST", Routes.enableEndpoint, { query: { project }, body: { origin } }))) {
    showNotice(`Endpoint ${origin} enabled; its dead letters can be redelivered now.`);
    await loadEndpoints();
  }
}

// The dead letters the list shows now; "redeliver all shown" selects exactly their time range and count.
let shownDeadLetters = [];

function rememberShownDeadLetters(items) {
  shownDeadLetters = items;
  byId("deadletters-redrive").disabled = items.length === 0;
}

async function redeliverShownDeadLetters() {
  const letters = shownDeadLetters;
  if (letters.length === 0 || !window.confirm(`Redeliver the ${letters.length} dead letter(s) shown?`)) {
    return;
  }
  const times = letters.map((letter) => Date.parse(letter.failedAt));
  const body = { since: Math.min(...times), until: Math.max(...times), limit: letters.length };
  await attempt(async () => {
    const answer = await callApi("POST", Routes.redriveDeadLetters, { query: { project: listProject() }, body });
    showNotice(`Redelivery of ${answer.count} event(s) accepted.`);
    await loadDeadLetters();
  });
}
