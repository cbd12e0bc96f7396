"use strict";

// Schedules in the console (API.md "Schedules", "Pause and resume"): the fire form's repeat, cron,
// time zone, catch-up and overlap fields, and the event view's Pause and Resume buttons.

// Adds the schedule fields of the fire form to a create body; an empty field is left out (the API's default).
function addScheduleFields(fields, body) {
  if (fields.get("repeat") === "on") {
    body.repeat = true;
  }
  for (const name of ["cron", "timezone", "catchup", "overlap"]) {
    const value = (fields.get(name) || "").trim();
    if (value) {
      body[name] = value;
    }
  }
  if (body.cron) {
    // A cron replaces delay and repeat.
    delete body.delay;
    delete body.repeat;
  }
}

async function pauseOrResumeEvent(id, verb, reload) {
  const route = verb === "pause" ? Routes.pause : Routes.resume;
  if (await attempt(() => callApi("POST", route, { params: { id } }))) {
    showNotice(verb === "pause" ? `Event ${id} paused: no fire starts until it is resumed.` : `Event ${id} resumed.`);
    await reload();
  }
}

// Only the button that applies is offered: Resume on a paused event, Pause on one still to fire.
function showPauseButtons(event) {
  byId("event-pause").hidden = event.status === "paused" || event.nextFireAt === null || event.status === "cancelled";
  byId("event-resume").hidden = event.status !== "paused";
}
