"use strict";

// Line charts drawn as plain SVG, so the console needs no library and works offline. A chart is
// redrawn whole on every poll: a few hundred points cost less than keeping a diff of them.

const SvgNamespace = "http://www.w3.org/2000/svg";
const ChartWidth = 600;
const ChartHeight = 180;
const ChartMargin = { top: 10, right: 10, bottom: 22, left: 48 };

function svgElement(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SvgNamespace, tag);
  for (const [name, value] of Object.entries(attributes)) {
    node.setAttribute(name, String(value));
  }
  node.append(...children.map(asNode));
  return node;
}

// Draws `lines` ({ name, label, values: [number|null] }) against `times` (ms since the epoch) over
// the `spanMs` before the last time, into the element with id `containerId`. A null value breaks
// its line: a gap says "nothing measured", where a zero would say "measured, none".
function drawLineChart(containerId, times, lines, { spanMs, unit }) {
  const plotWidth = ChartWidth - ChartMargin.left - ChartMargin.right;
  const plotHeight = ChartHeight - ChartMargin.top - ChartMargin.bottom;
  const end = times.length > 0 ? times[times.length - 1] : Date.now();
  const start = end - spanMs;
  const peak = Math.max(0, ...lines.flatMap((line) => line.values.filter((value) => value !== null)));
  const top = niceCeiling(peak);
  const x = (time) => ChartMargin.left + ((time - start) / spanMs) * plotWidth;
  const y = (value) => ChartMargin.top + plotHeight - (value / top) * plotHeight;

  const svg = svgElement("svg", {
    viewBox: `0 0 ${ChartWidth} ${ChartHeight}`,
    class: "chart",
    role: "img",
    "aria-label": lines.map((line) => line.label).join(", "),
  });
  for (const fraction of [0, 0.5, 1]) {
    const value = top * fraction;
    svg.append(
      svgElement("line", { class: "grid", x1: ChartMargin.left, x2: ChartWidth - ChartMargin.right, y1: y(value), y2: y(value) }),
      svgElement("text", { class: "axis", x: ChartMargin.left - 6, y: y(value) + 4, "text-anchor": "end" }, formatNumber(value)));
  }
  svg.append(
    svgElement("text", { class: "axis", x: ChartMargin.left, y: ChartHeight - 6 }, `-${Math.round(spanMs / 60000)} min`),
    svgElement("text", { class: "axis", x: ChartWidth - ChartMargin.right, y: ChartHeight - 6, "text-anchor": "end" }, "now"));
  for (const line of lines) {
    svg.append(svgElement("path", { class: `series series-${line.name}`, "data-series": line.name, d: linePath(times, line.values, x, y) }));
  }

  const legend = element("ul", { class: "legend" }, ...lines.map((line) => legendItem(line, unit)));
  byId(containerId).replaceChildren(svg, legend);
}

function linePath(times, values, x, y) {
  let path = "";
  let drawing = false;
  values.forEach((value, i) => {
    if (value === null) {
      drawing = false;
      return;
    }
    // "h0" after a move draws a dot with the round caps (console.css): a point between gaps still shows.
    path += drawing ? `L${x(times[i]).toFixed(1)},${y(value).toFixed(1)} ` : `M${x(times[i]).toFixed(1)},${y(value).toFixed(1)} h0 `;
    drawing = true;
  });
  return path.trim();
}

function legendItem(line, unit) {
  const measured = line.values.filter((value) => value !== null);
  const last = measured.length > 0 ? measured[measured.length - 1] : null;
  const peak = measured.length > 0 ? Math.max(...measured) : null;
  return element("li", { class: `series-${line.name}`, "data-series": line.name },
    element("span", { class: "swatch" }),
    ` ${line.label}: `,
    element("strong", { "data-value": "last" }, last === null ? "–" : `${formatNumber(last)} ${unit}`),
    " now, ",
    element("span", { "data-value": "peak" }, peak === null ? "–" : `${formatNumber(peak)} ${unit}`),
    " peak");
}

// The axis top: the peak rounded up to 1, 2 or 5 times a power of ten, and never 0, so an idle chart still has a scale.
function niceCeiling(value) {
  if (value <= 0) {
    return 1;
  }
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= value);
}

function formatNumber(value) {
  if (Number.isInteger(value) || value >= 100) {
    return String(Math.round(value));
  }
  return value.toFixed(value < 1 ? 2 : 1);
}
