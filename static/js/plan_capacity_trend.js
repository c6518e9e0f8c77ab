// Capacity assessment trend: total percentage per administration against the target line.
window.mtssCharts.onReady(() => {
  document.querySelectorAll("[data-capacity-trend]").forEach((target) => {
    const source = document.getElementById(target.dataset.capacityTrend);
    if (!source) return;
    const points = JSON.parse(source.textContent).filter((p) => p.percent !== null);
    if (!points.length) {
      target.textContent = "No scored administrations yet.";
      target.dataset.chartDrawn = "empty";
      return;
    }
    const series = [...new Set(points.map((p) => p.series))];
    // With one date a date axis zooms into milliseconds around it; name the administration instead.
    const oneDate = new Set(points.map((p) => p.date)).size < 2;
    const traces = series.map((name) => {
      const mine = points.filter((p) => p.series === name);
      return { type: "scatter", mode: "lines+markers+text", name, x: mine.map((p) => (oneDate ? p.label : p.date)), y: mine.map((p) => p.percent), text: mine.map((p) => p.percent + "%"), textposition: "top center", hovertext: mine.map((p) => p.label), hovertemplate: "%{hovertext}: %{y}%<extra>%{fullData.name}</extra>" };
    });
    const targetLine = points[0].target;
    const layout = {
      height: 300,
      margin: { l: 50, r: 20, t: 20, b: 40 },
      yaxis: { range: [0, 105], title: { text: "% of points" }, ticksuffix: "%" },
      xaxis: oneDate ? { type: "category" } : { type: "date", tickformat: "%b %Y" },
      shapes: [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: targetLine, y1: targetLine, line: { color: "#198754", dash: "dash" } }],
      annotations: [{ xref: "paper", x: 1, y: targetLine, text: "Target " + targetLine + "%", showarrow: false, xanchor: "right", yanchor: "bottom" }],
      showlegend: series.length > 1,
    };
    window.mtssCharts.draw(target, traces, layout);
  });
});
