"use strict";

// Building the page. Values from the API only ever enter it as text nodes, never as markup,
// so nothing a client stored in an event can run in the operator's browser.

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "onclick") {
      node.addEventListener("click", value);
    } else {
      node.setAttribute(name, value);
    }
  }
  node.append(...children.filter((child) => child !== null && child !== undefined).map(asNode));
  return node;
}

function asNode(child) {
  return child instanceof Node ? child : document.createTextNode(String(child));
}

function byId(id) {
  return document.getElementById(id);
}

function orDash(value) {
  return value === null || value === undefined || value === "" ? "–" : value;
}

function jsonText(value) {
  return value === null || value === undefined ? "–" : JSON.stringify(value, null, 2);
}

function eventLink(id) {
  return element("a", { href: `#event/${encodeURIComponent(id)}` }, element("code", {}, id));
}

function actionButton(label, action, className = "") {
  return element("button", { type: "button", class: className, onclick: action }, label);
}

function statusBadge(status) {
  return element("span", { class: `badge status-${String(status).replace(/[^a-z]/g, "")}` }, orDash(status));
}

function fillRows(tbodyId, rows, columnCount, emptyText) {
  const rowsToShow = rows.length > 0 ? rows : [element("tr", {}, element("td", { colspan: String(columnCount), class: "empty" }, emptyText))];
  byId(tbodyId).replaceChildren(...rowsToShow);
}

function renderPager(containerId, pageAnswer, query, reload) {
  const goTo = (page) => {
    query.page = page;
    reload();
  };
  const totalPages = Math.max(pageAnswer.totalPages || 0, 1);
  const previous = actionButton("‹ Previous", () => goTo(query.page - 1));
  const next = actionButton("Next ›", () => goTo(query.page + 1));
  previous.disabled = query.page <= 1;
  next.disabled = query.page >= totalPages;
  byId(containerId).replaceChildren(previous, ` Page ${pageAnswer.page} of ${totalPages} (${pageAnswer.total} in all) `, next);
}

// ---- Notices ----

function showNotice(text, kind = "info") {
  const notice = byId("notice");
  notice.textContent = text;
  notice.className = kind;
  notice.hidden = false;
}

function showError(failure) {
  const prefix = failure.status ? `${failure.status}: ` : "";
  showNotice(`${prefix}${failure.message}`, "error");
}

function clearNotice() {
  byId("notice").hidden = true;
}

// Runs an action, shows its error if it fails; returns whether it succeeded.
async function attempt(action) {
  try {
    await action();
    return true;
  } catch (failure) {
    showError(failure);
    return false;
  }
}

// A form field holding JSON text: its value, or undefined when left empty. Refused before anything
// is sent when it is not JSON, so the gateway's answer is never about a typo in the form.
function readJsonField(fields, name) {
  const text = fields.get(name).trim();
  if (!text) {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (failure) {
    throw new ApiError(0, `${name}: not valid JSON (${failure.message})`);
  }
}
