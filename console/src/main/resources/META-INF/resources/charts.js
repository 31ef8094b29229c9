// Small SVG charts for the history page: a value over time, and a value per group. No library.
"use strict";

const Charts = (() => {
  const W = 460, H = 200, L = 52, R = 12, T = 26, B = 30;
  const esc = s => Console.esc(s);

  function frame(title, inner, id) {
    return `<svg class="chart" id="${esc(id)}" viewBox="0 0 ${W} ${H}" role="img"
      aria-label="${esc(title)}"><text class="title" x="${L}" y="16">${esc(title)}</text>${inner}</svg>`;
  }

  function empty(title, id) {
    return frame(title, `<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no data</text>`, id);
  }

  function axis(min, max, format) {
    const y = v => T + (H - T - B) * (1 - (v - min) / (max - min || 1));
    return {
      y,
      grid: [min, (min + max) / 2, max].map(v =>
        `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#eef1f5"/>
         <text x="${L - 6}" y="${y(v) + 4}" text-anchor="end">${esc(format(v))}</text>`).join(""),
    };
  }

  // points: [{at: Date, value: number, label: string}], oldest first.
  function overTime(id, title, points, format, fixedMax) {
    if (!points.length) return empty(title, id);
    const values = points.map(p => p.value);
    const min = Math.min(0, ...values), max = fixedMax ?? Math.max(...values, 0.000001);
    const t0 = points[0].at.getTime(), t1 = points[points.length - 1].at.getTime();
    const x = t => L + (W - L - R) * (t1 === t0 ? 0.5 : (t - t0) / (t1 - t0));
    const { y, grid } = axis(min, max, format);
    const path = points.map((p, i) => `${i ? "L" : "M"}${x(p.at.getTime()).toFixed(1)},${y(p.value).toFixed(1)}`).join("");
    const dots = points.map(p => `<circle cx="${x(p.at.getTime()).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="3"
        fill="#2757c7" data-value="${p.value}"><title>${esc(p.label)}: ${esc(format(p.value))}</title></circle>`).join("");
    const when = d => d.toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
    return frame(title, `${grid}<path d="${path}" fill="none" stroke="#2757c7" stroke-width="1.5"/>${dots}
      <text x="${L}" y="${H - 8}">${esc(when(points[0].at))}</text>
      <text x="${W - R}" y="${H - 8}" text-anchor="end">${esc(when(points[points.length - 1].at))}</text>`, id);
  }

  // bars: [[label, value]]
  function perGroup(id, title, bars, format, fixedMax) {
    bars = bars.filter(([, v]) => v != null);
    if (!bars.length) return empty(title, id);
    const max = fixedMax ?? Math.max(...bars.map(([, v]) => v), 0.000001);
    const { y, grid } = axis(0, max, format);
    const slot = (W - L - R) / bars.length, bw = Math.min(48, slot * 0.6);
    const rects = bars.map(([label, v], i) => {
      const cx = L + slot * i + slot / 2;
      return `<rect x="${(cx - bw / 2).toFixed(1)}" y="${y(v).toFixed(1)}" width="${bw.toFixed(1)}"
          height="${(y(0) - y(v)).toFixed(1)}" fill="#6f8fdc" data-label="${esc(label)}" data-value="${v}">
          <title>${esc(label)}: ${esc(format(v))}</title></rect>
        <text x="${cx.toFixed(1)}" y="${H - 12}" text-anchor="middle">${esc(String(label).slice(0, 14))}</text>`;
    }).join("");
    return frame(title, grid + rects, id);
  }

  return { overTime, perGroup };
})();
