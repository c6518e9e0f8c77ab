// The plan timeline: one horizontal bar per activity from start to due date, today's line,
// overdue activities in red with a cross at their due date. Data comes from json_script.
// On a narrow screen each activity's name sits above its bar, so the bars keep the width,
// and the chart's toolbar is left out so it covers nothing.
window.mtssCharts.onReady(() => {
  const target = document.getElementById("plan-timeline");
  const source = document.getElementById("plan-timeline-data");
  if (!target || !source) return;
  const data = JSON.parse(source.textContent);
  const rows = data.activities;
  if (!rows.length) {
    target.textContent = "No activities yet.";
    target.dataset.chartDrawn = "empty";
    return;
  }
  const DAY = 24 * 60 * 60 * 1000;
  const NARROW = 576;
  const shorten = (text, length) => (text.length > length ? text.slice(0, length - 1) + "…" : text);
  const key = (row) => "#" + row.id;
  const colour = (row) => (row.overdue ? "#b02a37" : row.status === "Done" ? "#198754" : row.on_track ? "#0d6efd" : "#e0a800");

  const draw = () => {
    const narrow = target.clientWidth < NARROW;
    // Wide: the name is the axis label. Narrow: a short key on the axis, the name above the bar.
    const label = (row) => (narrow ? key(row) : shorten(row.title, 48) + " " + key(row));
    const bars = {
      type: "bar",
      orientation: "h",
      y: rows.map(label),
      base: rows.map((r) => r.start),
      x: rows.map((r) => Math.max(DAY, Date.parse(r.due) - Date.parse(r.start))),
      width: narrow ? 0.45 : undefined,
      marker: { color: rows.map(colour) },
      customdata: rows.map((r) => [r.title, r.goal, r.owner || "No owner", r.status, r.start, r.due]),
      hovertemplate: "%{customdata[0]}<br>%{customdata[1]}<br>%{customdata[2]} · %{customdata[3]}<br>%{customdata[4]} → %{customdata[5]}<extra></extra>",
      showlegend: false,
    };
    const overdue = rows.filter((r) => r.overdue);
    const crosses = {
      type: "scatter",
      mode: "markers",
      name: "Overdue",
      y: overdue.map(label),
      x: overdue.map((r) => r.due),
      marker: { symbol: "x", size: 11, color: "#58151c" },
      hoverinfo: "skip",
    };
    const names = narrow
      ? rows.map((r) => ({
          xref: "paper",
          x: 0,
          xanchor: "left",
          yref: "y",
          y: label(r),
          yanchor: "bottom",
          yshift: 7,
          text: shorten(r.title, Math.max(24, Math.floor(target.clientWidth / 7))),
          showarrow: false,
          font: { size: 11, color: "#212529" },
          bgcolor: "rgba(255, 255, 255, 0.85)",
        }))
      : [];
    const layout = {
      height: Math.max(320, (narrow ? 46 : 28) * rows.length + 120),
      margin: narrow ? { l: 36, r: 12, t: 30, b: 60 } : { l: 320, r: 20, t: 40, b: 40 },
      xaxis: { type: "date", nticks: narrow ? 4 : undefined, tickfont: { size: 11 } },
      yaxis: { type: "category", autorange: "reversed", automargin: !narrow, tickfont: { size: 11 } },
      barmode: "overlay",
      shapes: [
        { type: "line", xref: "x", yref: "paper", x0: data.today, x1: data.today, y0: 0, y1: 1, line: { color: "#212529", dash: "dash", width: 2 } },
      ],
      annotations: [{ x: data.today, y: 1, xref: "x", yref: "paper", text: "Today", showarrow: false, yanchor: "bottom" }, ...names],
      legend: { orientation: "h", x: 0, y: narrow ? -30 / (46 * rows.length) : -0.05, yanchor: "top" },
    };
    window.mtssCharts.draw(target, [bars, crosses], layout, { displayModeBar: narrow ? false : "hover" });
    target.dataset.layout = narrow ? "narrow" : "wide";
  };

  draw();
  let wasNarrow = target.clientWidth < NARROW;
  window.addEventListener("resize", () => {
    const narrow = target.clientWidth < NARROW;
    if (narrow !== wasNarrow) {
      wasNarrow = narrow;
      draw();
    }
  });
});
