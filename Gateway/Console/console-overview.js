"use strict";

// The Overview view, which the console opens on (API.md "Operations"): the cluster's attempts per
// second and fire lateness over the last minutes, the project's events by status, its dead letters and
// newest events. It polls while shown, at the pace the gateway samples the cluster.

const OverviewPollMs = 2000;
const OverviewMinSpanMs = 60 * 1000;
const OverviewMaxSpanMs = 5 * 60 * 1000;
const CountedStatuses = ["scheduled", "paused", "delivering", "failed"];

// Bumped whenever polling starts or stops, so a poll still in flight when the operator leaves the
// view does not schedule another.
let overviewGeneration = 0;

function startOverview() {
  const generation = ++overviewGeneration;
  const poll = async () => {
    await loadOverview();
    if (generation === overviewGeneration) {
      window.setTimeout(poll, OverviewPollMs);
    }
  };
  poll();
}

function stopOverview() {
  overviewGeneration++;
}

async function loadOverview() {
  await attempt(async () => {
    const answer = await callApi("GET", Routes.overview, { query: { project: listProject() } });
    renderOverview(answer);
  });
}

function renderOverview(answer) {
  const times = answer.series.map((point) => Date.parse(point.at));
  // The charts cover what the gateway has, from a minute up to the five it keeps: a gateway started
  // a moment ago would otherwise squeeze its few points against the right edge.
  const held = times.length > 1 ? times[times.length - 1] - times[0] : 0;
  const spanMs = Math.min(OverviewMaxSpanMs, Math.max(OverviewMinSpanMs, Math.ceil(held / 60000) * 60000));
  drawLineChart("overview-throughput", times, [
    { name: "delivered", label: "delivered", values: answer.series.map((point) => point.deliveredPerSecond) },
    { name: "failed", label: "failed", values: answer.series.map((point) => point.failedPerSecond) },
  ], { spanMs, unit: "per s" });
  drawLineChart("overview-lateness", times, [
    { name: "p50", label: "p50", values: answer.series.map((point) => point.latenessP50Ms) },
    { name: "p99", label: "p99", values: answer.series.map((point) => point.latenessP99Ms) },
  ], { spanMs, unit: "ms" });
  byId("overview-window").textContent = `each point over the ${answer.windowSeconds} s before it, every silo`;
  byId("overview-counts").replaceChildren(
    ...CountedStatuses.map((status) => countCard(status, answer.statuses[status], () => showEventsWithStatus(status))),
    countCard("dead letters", answer.deadLetters, () => { window.location.hash = "#deadletters"; }));
  fillRows("overview-recent-rows", answer.recent.map(recentEventRow), 4, "No events yet.");
}

function countCard(label, count, open) {
  return element("button", { type: "button", class: `count status-${label.replace(/[^a-z]/g, "")}`, "data-count": label, onclick: open },
    element("strong", {}, orDash(count)),
    element("span", {}, label));
}

function showEventsWithStatus(status) {
  eventsQuery.status = status;
  eventsQuery.q = "";
  eventsQuery.page = 1;
  const filter = byId("events-filter").elements;
  filter.status.value = status;
  filter.q.value = "";
  window.location.hash = "#events";
}

function recentEventRow(event) {
  return element("tr", {},
    element("td", {}, eventLink(event.id)),
    element("td", {}, statusBadge(event.status)),
    element("td", {}, eventTarget(event)),
    element("td", {}, orDash(event.createdAt)));
}
