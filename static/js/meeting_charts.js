// Meeting self-rating trend (data from json_script).
window.mtssCharts.onReady(() => {
  const source = document.getElementById("rating-data");
  const target = document.getElementById("rating-chart");
  if (!source || !target) return;
  const data = JSON.parse(source.textContent);
  window.mtssCharts.draw(
    target,
    [{ x: data.x, y: data.y, type: "scatter", mode: "lines+markers", name: "Score", line: { color: "#0d6efd" } }],
    {
      margin: { t: 20, r: 20, b: 50, l: 50 },
      yaxis: { title: { text: "Score (%)" }, range: [0, 105] },
      xaxis: { title: { text: "Meeting date" } },
    },
    { displayModeBar: false },
  );
});
