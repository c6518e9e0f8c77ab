// Every chart the app draws goes through window.mtssCharts.draw: one Plotly configuration, and a
// signal when the chart is on the page: data-chart-drawn="true" on its element and a bubbling
// "chart:drawn" event (browser tests and the page benchmark wait for it); a chart with nothing to
// draw says so in words and is marked data-chart-drawn="empty". Figures built on the
// server are passed with json_script: <div data-chart="ID"> + <script id="ID" type="application/json">.
(function () {
  "use strict";
  var CONFIG = {
    displaylogo: false,
    responsive: true,
    modeBarButtonsToRemove: ["sendDataToCloud", "lasso2d", "select2d"],
  };

  function draw(element, data, layout, config) {
    if (typeof Plotly === "undefined") {
      element.dataset.chartDrawn = "failed";
      return Promise.resolve(element);
    }
    var options = Object.assign({}, CONFIG, config || {});
    return Plotly.newPlot(element, data || [], layout || {}, options).then(function () {
      element.dataset.chartDrawn = "true";
      element.dispatchEvent(new CustomEvent("chart:drawn", { bubbles: true }));
      return element;
    });
  }

  function onReady(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  window.mtssCharts = { draw: draw, onReady: onReady };

  onReady(function () {
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.dataset.chart);
      if (!source) return;
      var figure = JSON.parse(source.textContent);
      draw(element, figure.data, figure.layout);
    });
  });
})();
