'use strict';
// The Plotly build the app serves (static/vendor/plotly/plotly-strict.min.js), made by `make plotly-bundle`.
// Only the trace types the app draws: scatter (lines; always in the core), bar (tier stacks, the
// triangle, time and ratings charts) and heatmap (schools by tier). A chart needing another type
// must be added here and the bundle rebuilt.
var Plotly = require('plotly.js/lib/core');

Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/heatmap')]);

module.exports = Plotly;
