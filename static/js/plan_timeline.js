// The plan timeline: one horizontal bar per activity from start to due date, today's line,
// overdue activities in red with a cross at their due date. Data comes from json_script.
document.addEventListener("DOMContentLoaded", () => {
  const target = document.getElementById("plan-timeline");
  const source = document.getElementById("plan-timeline-data");
  if (!target || !source || !window.Plotly) return;
  const data = JSON.parse(source.textContent);
  const rows = data.activities;
  if (!rows.length) {
    target.textContent = "No activities yet.";
    return;
  }
  const DAY = 24 * 60 * 60 * 1000;
  const label = (row) => (row.title.length > 48 ? row.title.slice(0, 47) + "…" : row.title) + " #" + row.id;
  const colour = (row) => (row.overdue ? "#b02a37" : row.status === "Done" ? "#198754" : row.on_track ? "#0d6efd" : "#e0a800");
  const bars = {
    type: "bar",
    orientation: "h",
    y: rows.map(label),
    base: rows.map((r) => r.start),
    x: rows.map((r) => Math.max(DAY, Date.parse(r.due) - Date.parse(r.start))),
    marker: { color: rows.map(colour) },
    customdata: rows.map((r) => [r.goal, r.owner || "No owner", r.status, r.start, r.due]),
    hovertemplate: "%{y}<br>%{customdata[0]}<br>%{customdata[1]} · %{customdata[2]}<br>%{customdata[3]} → %{customdata[4]}<extra></extra>",
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
  const layout = {
    height: Math.max(320, 28 * rows.length + 120),
    margin: { l: 320, r: 20, t: 30, b: 40 },
    xaxis: { type: "date" },
    yaxis: { autorange: "reversed", automargin: true, tickfont: { size: 11 } },
    barmode: "overlay",
    shapes: [
      { type: "line", xref: "x", yref: "paper", x0: data.today, x1: data.today, y0: 0, y1: 1, line: { color: "#212529", dash: "dash", width: 2 } },
    ],
    annotations: [{ x: data.today, y: 1, xref: "x", yref: "paper", text: "Today", showarrow: false, yanchor: "bottom" }],
    legend: { orientation: "h", y: -0.05 },
  };
  window.Plotly.newPlot(target, [bars, crosses], layout, { displaylogo: false, responsive: true });
});
