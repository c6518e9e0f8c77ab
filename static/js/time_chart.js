// Coordinator time: stacked days per month by activity, with the target range as two lines.
window.mtssCharts.onReady(() => {
  const source = document.getElementById("time-data");
  const target = document.getElementById("time-chart");
  if (!source || !target) return;
  const data = JSON.parse(source.textContent);
  const traces = data.series.map((s) => ({ x: data.months, y: s.days, name: s.name, type: "bar" }));
  const [low, high] = data.target;
  traces.push({ x: data.months, y: data.months.map(() => low), name: `Target minimum (${low} days)`, type: "scatter", mode: "lines", line: { dash: "dash", color: "#198754" } });
  traces.push({ x: data.months, y: data.months.map(() => high), name: `Target maximum (${high} days)`, type: "scatter", mode: "lines", line: { dash: "dot", color: "#dc3545" } });
  window.mtssCharts.draw(
    target,
    traces,
    { barmode: "stack", margin: { t: 20, r: 10, b: 60, l: 50 }, yaxis: { title: { text: "Days" } }, legend: { orientation: "h", y: -0.25 } },
    { displayModeBar: false },
  );
});
